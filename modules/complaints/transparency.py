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
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from core.kit import OrgUnit, db, local_iso, tenant_scope

from . import summary
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


def _months(now_local: datetime, count: int) -> list[str]:
    year, month = now_local.year, now_local.month
    out = []
    for _ in range(count):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


def _median_hours(histogram: dict[int, int]) -> float | None:
    """The median of a histogram {bucket's lower bound in minutes: count}, in hours (the mean of
    the two middle values for an even count, as ``statistics.median``)."""
    total = sum(histogram.values())
    if not total:
        return None
    wanted = sorted({(total - 1) // 2, total // 2})
    found, seen = [], 0
    for bucket in sorted(histogram):
        seen += histogram[bucket]
        while wanted and wanted[0] < seen:
            found.append(bucket)
            wanted.pop(0)
    return sum(found) / len(found) / 60


def report(tenant, now: datetime, months: int = 12) -> Report:
    """The tenant's figures, read from its counters (``summary.py``): two statements whatever the
    number of complaints (the counters, then the names of the agencies counted)."""
    zone = ZoneInfo(tenant.timezone)
    labels = _months(now.astimezone(zone), months)
    counts = summary.counters(tenant, since_month=labels[0])
    by_dim: dict[str, dict[str, int]] = {}
    for (dimension, key), n in counts.items():
        by_dim.setdefault(dimension, {})[key] = n
    by_status = by_dim.get("status", {})
    agencies = {int(k): n for k, n in by_dim.get("agency", {}).items() if k.isdigit() and n}
    names = {}
    if agencies:
        with tenant_scope(tenant):
            names = dict(db.session.execute(
                db.select(OrgUnit.id, OrgUnit.name).where(OrgUnit.id.in_(sorted(agencies)))).all())
    by_agency: dict[str, int] = {}
    for unit_id, n in agencies.items():
        name = names.get(unit_id, str(unit_id))
        by_agency[name] = by_agency.get(name, 0) + n
    within = by_dim.get("within_target", {})
    judged = within.get("1", 0) + within.get("0", 0)
    outcomes = by_dim.get("outcome", {})
    return Report(
        total=sum(by_status.values()),
        by_status=[(s, status_label(s), by_status.get(s, 0)) for s in STATUSES],
        by_category=sorted(((c, n) for c, n in by_dim.get("category", {}).items() if n), key=lambda x: (-x[1], x[0])),
        by_agency=sorted(by_agency.items(), key=lambda x: (-x[1], x[0])),
        resolved=sum(by_dim.get("fix_minutes", {}).values()),
        median_hours=_median_hours({int(k): n for k, n in by_dim.get("fix_minutes", {}).items()}),
        within_target=(within.get("1", 0) / judged) if judged else None,
        series=[(m, by_dim.get("filed", {}).get(m, 0), by_dim.get("fixed", {}).get(m, 0)) for m in labels],
        by_outcome=[(o, outcome_label(o), outcomes.get(o, 0)) for o in OUTCOMES],
        confirmed=by_dim.get("confirmed", {}).get("", 0),
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
    """Two figures for the tenant's home page, from its counters: one statement whatever the number
    of complaints (the ``dashboard_metrics`` contract, ``core/hookspecs.py``)."""
    counts = summary.counters(tenant, dimensions=("status", "within_target"))
    total = sum(n for (dimension, _k), n in counts.items() if dimension == "status")
    out = [{"label": gettext("Complaints received"), "value": total}]
    met, missed = counts.get(("within_target", "1"), 0), counts.get(("within_target", "0"), 0)
    if met + missed:
        out.append({"label": gettext("Resolved within target"), "value": f"{met / (met + missed):.0%}"})
    return out


CSV_FIELDS = (
    "number", "created_at", "category", "agency", "district", "village", "channel", "status", "outcome",
    "responded_at", "resolved_at", "confirmed_at", "closed_at", "response_due_at", "resolution_due_at",
    "resolved_within_target", "escalation_level", "reopen_count", "address", "description",
)


def _cell(value, zone: str) -> str:
    """A CSV cell that a spreadsheet will not run as a formula; times in ISO 8601 with the tenant's
    offset (``zone``), as Open311 and the JSON API give them."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return local_iso(aware(value), zone)
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
        writer.writerow([_cell(values[f], tenant.timezone) for f in CSV_FIELDS])
    return out.getvalue()

