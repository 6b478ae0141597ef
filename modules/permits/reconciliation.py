"""The reconciliation of the retribution (issue 15.4) as data, and its alert.

- ``rows``: per permit type and the tenant's local month, the fees of the paid applications
  (``payments.billed``) against what the core ledger collected (``payments.collected``): what the
  reconciliation page, its CSV and the JSON API (``GET /api/v1/permits/reconciliation``) show.
- ``alert``: the scheduled check (``jobs.permits_reconciliation_alert``, every hour). Each
  disagreement of a type and month is told once to the tenant's finance officers (the holders of
  the position named by the ``finance_position`` setting, e.g. the bendahara penerimaan; without
  one, or while nobody holds it, the tenant's admins) through the core outbox, and audited (``permits.reconciliation_alert``).
  It is told again only when its sums change, or when it comes back after the two sides agreed
  (``permits.reconciliation_resolved``, audited, nobody told). What was told is kept in
  ``ReconciliationAlert``, one row per type and month.
"""
from __future__ import annotations

import logging

from core.kit import (
    Actor, Tenant, ValidationError, audit, contact_of, db, enabled_modules, for_change, holders_of, members_of,
    module_settings, notify, tenant_scope, tenant_url, utcnow,
)

from . import payments
from .models import ReconciliationAlert
from .notices import money
from .figures import month_label
from .settings import NAME

logger = logging.getLogger("pamong.permits")
OBJECT = "permits.reconciliation"


def rows(tenant, names: dict[str, str]) -> list[dict]:
    """One row per ``(month, type)`` seen on either side, newest month first, types in code order:
    ``{"month": "YYYY-MM", "type_code", "type_name", "billed", "collected", "difference"
    (collected − billed, rupiah), "agrees": bool}``."""
    billed, collected = payments.billed(tenant), payments.collected(tenant)
    keys = sorted(set(billed) | set(collected), key=lambda k: (k[1], k[0]))
    keys.sort(key=lambda k: k[1], reverse=True)
    out = []
    for code, month in keys:
        b, c = billed.get((code, month), 0), collected.get((code, month), 0)
        out.append({"month": month, "type_code": code, "type_name": names.get(code, code), "billed": b,
                    "collected": c, "difference": c - b, "agrees": b == c})
    return out


def finance_officers(tenant) -> list:
    """Who is told of a disagreement: the holders of the ``finance_position`` setting's position
    today (acting holders included); the tenant's admins when none is set or nobody holds it today
    (a vacant post must not swallow the alert)."""
    position = module_settings(tenant, NAME).get("finance_position") or ""
    return (holders_of(tenant, position) if position else []) or members_of(tenant, "admin")


def _tell(tenant, people, code: str, month: str, collected: int, billed: int) -> int:
    link = tenant_url(tenant, "/permits/reconciliation")
    got, due, gap = money(collected), money(billed), money(collected - billed)   # core rupiah, per language
    shown = {lang: month_label(month, lang) for lang in ("id", "en")}   # "Des 2026", "Dec 2026"
    body = (f"Retribusi izin {code} bulan {shown['id']} tidak cocok: buku besar {got['id']}, permohonan "
            f"yang dibayar {due['id']} (selisih {gap['id']}). Periksa: {link}\n\n"
            f"Permit retribution {code} for {shown['en']} does not reconcile: ledger {got['en']}, paid "
            f"applications {due['en']} (difference {gap['en']}). Check: {link}")
    told = 0
    for user in people:
        try:
            channel, address = contact_of(user)
            notify(tenant, channel, address, body if channel == "email" else body.split("\n\n")[0][:300],
                   subject=f"Rekonsiliasi retribusi tidak cocok: {code} {shown['id']}",
                   ref=f"permits:reconcile:{code}:{month}")
            told += 1
        except ValidationError:   # an account without a usable address: the others are still told
            logger.warning("permits: a finance officer of %s has no usable address", tenant.slug)
    return told


def alert(tenant, now=None) -> list[tuple[str, str]]:
    """Tell the finance officers of each disagreement not told yet (or whose sums changed), and mark
    the ones that agree again; returns the ``(type, month)`` told. The caller commits."""
    now = now or utcnow()
    actor = Actor.system("permits-reconciliation", tenant)
    mismatches = payments.reconcile(tenant)
    told, people = [], None
    with tenant_scope(tenant):
        known = {(a.type_code, a.month): a for a in db.session.execute(
            for_change(db.select(ReconciliationAlert), ReconciliationAlert)).scalars()}
        for (code, month), (collected, billed) in mismatches.items():
            row = known.get((code, month))
            if row is not None and row.resolved_at is None and (row.collected, row.billed) == (collected, billed):
                continue   # already told
            before = None if row is None else {"collected": row.collected, "billed": row.billed,
                                               "resolved": row.resolved_at is not None}
            if row is None:
                row = ReconciliationAlert(type_code=code, month=month)
                db.session.add(row)
            row.collected, row.billed, row.notified_at, row.resolved_at = collected, billed, now, None
            if people is None:
                people = finance_officers(tenant)
            sent = _tell(tenant, people, code, month, collected, billed)
            audit(tenant, actor, "permits.reconciliation_alert", OBJECT, f"{code}/{month}", before=before,
                  after={"collected": collected, "billed": billed, "difference": collected - billed, "told": sent})
            told.append((code, month))
        for key, row in known.items():
            if key not in mismatches and row.resolved_at is None:
                row.resolved_at = now
                audit(tenant, actor, "permits.reconciliation_resolved", OBJECT, f"{key[0]}/{key[1]}",
                      before={"collected": row.collected, "billed": row.billed})
        db.session.flush()
    return told


def run_all(now=None) -> dict[str, int]:
    """Every tenant with the module: ``alert``, one transaction per tenant (one tenant's trouble
    does not stop the others)."""
    counts = {}
    for tenant in db.session.execute(db.select(Tenant).order_by(Tenant.id)).scalars().all():
        if NAME not in enabled_modules(tenant):
            continue
        try:
            counts[tenant.slug] = len(alert(tenant, now))
            db.session.commit()
        except Exception:  # noqa: BLE001
            db.session.rollback()
            logger.exception("permits: reconciliation alert failed for tenant %s", tenant.slug)
    return counts
