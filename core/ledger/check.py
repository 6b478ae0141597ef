"""``pamong ledger check``: every balance recomputed from the journal, and debits = credits.

A problem is one line naming the tenant, the account or transfer, and what differs. On PostgreSQL
the check reads one snapshot (REPEATABLE READ), so transfers committed meanwhile do not look like
a tear.
"""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from ..extensions import db
from ..tenancy.scope import tenant_scope
from .models import Account, Transfer

FIELDS = ("debits_posted", "credits_posted", "debits_pending", "credits_pending")


def recompute(transfers) -> dict[int, dict[str, int]]:
    """{account id: {field: rupiah}} from the journal alone (TigerBeetle's two-phase rules)."""
    sums: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(FIELDS, 0))
    ended = {t.pending_id for t in transfers if t.pending_id is not None}
    for t in transfers:
        if t.kind in ("single", "post"):
            sums[t.debit_account_id]["debits_posted"] += t.amount
            sums[t.credit_account_id]["credits_posted"] += t.amount
        elif t.kind == "pending" and t.id not in ended:
            sums[t.debit_account_id]["debits_pending"] += t.amount
            sums[t.credit_account_id]["credits_pending"] += t.amount
    return sums


def check_tenant(tenant, stats: dict | None = None) -> list[str]:
    """The problems of one tenant's ledger (none: an empty list). ``stats``: counts what was
    checked (``tenants``, ``accounts``, ``transfers``) into this dict."""
    problems = []
    with tenant_scope(tenant):
        accounts = db.session.execute(select(Account).order_by(Account.id)).scalars().all()
        transfers = db.session.execute(select(Transfer).order_by(Transfer.id)).scalars().all()
    if stats is not None:
        for key, n in (("tenants", 1), ("accounts", len(accounts)), ("transfers", len(transfers))):
            stats[key] = stats.get(key, 0) + n
    by_id = {t.id: t for t in transfers}
    sums = recompute(transfers)
    slug = tenant.slug
    for t in transfers:
        if t.amount <= 0:
            problems.append(f"{slug}: transfer {t.key}: amount {t.amount} is not positive")
        if t.pending_id is not None:
            p = by_id.get(t.pending_id)
            if p is None or p.kind != "pending":
                problems.append(f"{slug}: transfer {t.key}: ends no hold")
            elif (p.debit_account_id, p.credit_account_id) != (t.debit_account_id, t.credit_account_id):
                problems.append(f"{slug}: transfer {t.key}: accounts differ from its hold {p.key}")
            elif t.kind == "post" and t.amount > p.amount:
                problems.append(f"{slug}: transfer {t.key}: posts {t.amount}, more than the {p.amount} held")
    totals = dict.fromkeys(FIELDS, 0)
    for a in accounts:
        want = sums.get(a.id, dict.fromkeys(FIELDS, 0))
        for f in FIELDS:
            totals[f] += getattr(a, f)
            if getattr(a, f) != want[f]:
                problems.append(f"{slug}: account {a.code}: {f} is {getattr(a, f)}, the journal says {want[f]}")
        if a.debits_must_not_exceed_credits and a.debits_posted + a.debits_pending > a.credits_posted:
            problems.append(f"{slug}: account {a.code}: debits exceed credits")
        if a.credits_must_not_exceed_debits and a.credits_posted + a.credits_pending > a.debits_posted:
            problems.append(f"{slug}: account {a.code}: credits exceed debits")
    if totals["debits_posted"] != totals["credits_posted"]:
        problems.append(f"{slug}: posted debits {totals['debits_posted']} != posted credits {totals['credits_posted']}")
    if totals["debits_pending"] != totals["credits_pending"]:
        problems.append(f"{slug}: pending debits {totals['debits_pending']} != pending credits {totals['credits_pending']}")
    return problems


def check(tenants, stats: dict | None = None) -> list[str]:
    """Check each tenant in one read snapshot per tenant; all problems, in order. ``stats``: see
    ``check_tenant``."""
    problems = []
    for tenant in tenants:
        db.session.rollback()
        if db.session.get_bind().dialect.name == "postgresql":
            db.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        try:
            problems += check_tenant(tenant, stats)
        finally:
            db.session.rollback()
    return problems
