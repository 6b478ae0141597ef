"""Public figures of a tenant's complaints: counts, how they ended, time to fix, share fixed within
target, a monthly series, the list without personal data, and the CSV export for the tenant admin.

Nothing here returns the filer's name, phone or e-mail; free text passes through ``scrub`` first;
*rahasia* complaints are left out of the list and the CSV (``disclosure.py``) but counted in the
figures. Only real fixes count as resolved: closings that fixed nothing (not the agency's
responsibility, duplicate, could not be fixed, withdrawn, rejected) are counted apart.
"""
from __future__ import annotations

import csv
import io
import statistics
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from cachetools import TTLCache

from core.kit import OrgUnit, db, tenant_scope

from .disclosure import HIDDEN, public_only, scrub  # noqa: F401  (scrub: used as transparency.scrub)
from .labels import gettext, outcome_label, status_label
from .models import OUTCOMES, STATUSES, Complaint, aware


@dataclass
class Report:
    total: int
    by_status: list  # [(status, label, count)]
    by_category: list  # [(code, count)]
    by_agency: list  # [(name, count)]
    resolved: int  # fixed: resolutions only, not closings that fixed nothing
    median_hours: float | None  # filing to fix
    within_target: float | None  # share 0..1 of fixed complaints fixed within target
    series: list  # [(YYYY-MM, filed, fixed)]
    by_outcome: list = ()  # [(outcome, label, count)] of finished complaints
    confirmed: int = 0  # fixes the filer confirmed


_CACHE: "TTLCache | None" = None
_CACHE_LOCK = threading.Lock()


def cached_report(tenant, now: datetime, locale: str, ttl: int) -> Report:
    """``report()`` kept per tenant and language for ``ttl`` seconds (0: always fresh). The figures
    aggregate every complaint of the tenant, so a busy public page must not recompute them per view."""
    global _CACHE
    if ttl <= 0:
        return report(tenant, now)
    with _CACHE_LOCK:
        if _CACHE is None or _CACHE.ttl != ttl:
            _CACHE = TTLCache(maxsize=4096, ttl=ttl)
        hit = _CACHE.get((tenant.id, tenant.slug, locale))
    if hit is None:
        hit = report(tenant, now)
        with _CACHE_LOCK:
            _CACHE[(tenant.id, tenant.slug, locale)] = hit
    return hit


def _months(now_local: datetime, count: int) -> list[str]:
    year, month = now_local.year, now_local.month
    out = []
    for _ in range(count):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


def report(tenant, now: datetime, months: int = 12) -> Report:
    zone = ZoneInfo(tenant.timezone)
    with tenant_scope(tenant):
        by_status = dict(db.session.execute(
            db.select(Complaint.status, db.func.count()).group_by(Complaint.status)
        ).all())
        by_category = db.session.execute(
            db.select(Complaint.category_code, db.func.count()).group_by(Complaint.category_code)
            .order_by(db.func.count().desc(), Complaint.category_code)
        ).all()
        by_agency = db.session.execute(
            db.select(OrgUnit.name, db.func.count(Complaint.id)).join(OrgUnit, OrgUnit.id == Complaint.agency_id)
            .group_by(OrgUnit.name).order_by(db.func.count(Complaint.id).desc(), OrgUnit.name)
        ).all()
        done = db.session.execute(
            db.select(Complaint.created_at, Complaint.resolved_at, Complaint.resolved_within_target)
            .where(Complaint.resolved_at.is_not(None), Complaint.outcome == "fixed")
        ).all()
        by_outcome = dict(db.session.execute(
            db.select(Complaint.outcome, db.func.count()).where(Complaint.outcome != "").group_by(Complaint.outcome)
        ).all())
        confirmed = db.session.execute(
            db.select(db.func.count()).select_from(Complaint).where(Complaint.confirmed_at.is_not(None))
        ).scalar()
        labels = _months(now.astimezone(zone), months)
        start = datetime(int(labels[0][:4]), int(labels[0][5:]), 1, tzinfo=zone).astimezone(timezone.utc)
        created = db.session.execute(
            db.select(Complaint.created_at).where(Complaint.created_at >= start)
        ).scalars().all()
    hours = [(aware(r) - aware(c)).total_seconds() / 3600 for c, r, _ in done]
    judged = [w for _, _, w in done if w is not None]
    filed_by_month = {m: 0 for m in labels}
    resolved_by_month = {m: 0 for m in labels}
    for when in created:
        key = aware(when).astimezone(zone).strftime("%Y-%m")
        if key in filed_by_month:
            filed_by_month[key] += 1
    for _, when, _ in done:
        key = aware(when).astimezone(zone).strftime("%Y-%m")
        if key in resolved_by_month:
            resolved_by_month[key] += 1
    return Report(
        total=sum(by_status.values()),
        by_status=[(s, status_label(s), by_status.get(s, 0)) for s in STATUSES],
        by_category=[(code, n) for code, n in by_category],
        by_agency=[(name, n) for name, n in by_agency],
        resolved=len(done),
        median_hours=statistics.median(hours) if hours else None,
        within_target=(sum(1 for w in judged if w) / len(judged)) if judged else None,
        series=[(m, filed_by_month[m], resolved_by_month[m]) for m in labels],
        by_outcome=[(o, outcome_label(o), by_outcome.get(o, 0)) for o in OUTCOMES],
        confirmed=confirmed or 0,
    )


def public_list(tenant, page: int = 1, per_page: int = 25) -> tuple[list[dict], bool]:
    """The newest complaints as the public may see them: no *rahasia* ones, no filer, scrubbed text."""
    with tenant_scope(tenant):
        rows = db.session.execute(
            public_only(db.select(Complaint)).order_by(Complaint.id.desc())
            .offset((page - 1) * per_page).limit(per_page + 1)
        ).scalars().all()
    return [public_row(c) for c in rows[:per_page]], len(rows) > per_page


def public_row(c: Complaint) -> dict:
    return {
        "number": c.number, "category": c.category_code, "agency_id": c.agency_id,
        "district_id": c.district_id, "village_id": c.village_id, "status": c.status, "outcome": c.outcome,
        "created_at": aware(c.created_at), "resolved_at": aware(c.resolved_at),
        "description": scrub(c.description, 280),
    }


def headline(tenant) -> list[dict]:
    """Two figures for the tenant's home page."""
    from core.kit import utcnow

    rep = report(tenant, utcnow(), months=1)
    out = [{"label": gettext("Complaints received"), "value": rep.total}]
    if rep.within_target is not None:
        out.append({"label": gettext("Resolved within target"), "value": f"{rep.within_target:.0%}"})
    return out


CSV_FIELDS = (
    "number", "created_at", "category", "agency", "district", "village", "channel", "status", "outcome",
    "responded_at", "resolved_at", "confirmed_at", "closed_at", "response_due_at", "resolution_due_at",
    "resolved_within_target", "escalation_level", "reopen_count", "address", "description",
)


def _cell(value) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return aware(value).isoformat(timespec="seconds")
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export_csv(tenant) -> str:
    """Every public complaint of the tenant (not the *rahasia* ones), without the filer's personal data."""
    with tenant_scope(tenant):
        names = {u.id: u.code for u in db.session.execute(db.select(OrgUnit)).scalars()}
        rows = db.session.execute(public_only(db.select(Complaint)).order_by(Complaint.id)).scalars().all()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_FIELDS)
    for c in rows:
        values = {
            "number": c.number, "created_at": c.created_at, "category": c.category_code,
            "agency": names.get(c.agency_id), "district": names.get(c.district_id), "village": names.get(c.village_id),
            "channel": c.channel, "status": c.status, "outcome": c.outcome, "responded_at": c.responded_at,
            "resolved_at": c.resolved_at, "confirmed_at": c.confirmed_at,
            "closed_at": c.closed_at, "response_due_at": c.response_due_at,
            "resolution_due_at": c.resolution_due_at,
            "resolved_within_target": "" if c.resolved_within_target is None else int(c.resolved_within_target),
            "escalation_level": c.escalation_level, "reopen_count": c.reopen_count,
            "address": scrub(c.address), "description": scrub(c.description),
        }
        writer.writerow([_cell(values[f]) for f in CSV_FIELDS])
    return out.getvalue()

