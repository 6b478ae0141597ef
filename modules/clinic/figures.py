"""Figures of the clinics: visits per clinic and poli, median wait (registered or arrived -> called)
and service time (called -> finished) in minutes, and the no-show share (absent among those called
or left uncalled on a past day). No personal data: counts and medians only."""
from __future__ import annotations

from datetime import date, timedelta
from statistics import median

from sqlalchemy import func, select

from core.kit import db, local_date, tenant_scope, utcnow

from . import estimates
from .labels import lazy_gettext as _l
from .models import ABSENT, BOOKED, CANCELLED, DONE, SKIPPED, Visit


def day_visits(clinic: str, poli: str, day: date) -> list[Visit]:
    return list(db.session.execute(select(Visit).where(
        Visit.clinic == clinic, Visit.poli == poli, Visit.day == day).order_by(Visit.serial)).scalars())


def _minutes(values) -> float | None:
    seen = [v for v in values if v is not None]
    return round(median(seen), 1) if seen else None


def _wait(visit: Visit) -> float | None:
    """Minutes from arrival (else registration, when the same day) to the call."""
    minutes = estimates.service_minutes(visit.arrived_at or visit.registered_at, visit.called_at)
    return minutes if minutes is not None and 0 <= minutes < 24 * 60 else None


def table(tenant, start: date, end: date) -> list[dict]:
    """One row per clinic and poli over ``[start, end]`` (local days): ``{clinic, poli, visits, done,
    absent, no_show, no_show_share (0..1), median_wait, median_service}`` (minutes, None without
    data). A no-show is a visit marked absent, or one of a day before the tenant's today never called
    (still booked, or skipped and not called again): nobody marks thirty SMS bookings absent by hand."""
    rows: dict[tuple, list] = {}
    today = local_date(tenant, utcnow())
    with tenant_scope(tenant):
        visits = db.session.execute(select(Visit).where(
            Visit.day >= start, Visit.day <= end, Visit.status != CANCELLED)).scalars()
        for v in visits:
            rows.setdefault((v.clinic, v.poli), []).append(v)
    out = []
    for (clinic, poli), visits in sorted(rows.items()):
        absent = sum(1 for v in visits if v.status == ABSENT)
        no_show = absent + sum(1 for v in visits if v.status in (BOOKED, SKIPPED) and v.day < today)
        done = [v for v in visits if v.status == DONE]
        out.append({
            "clinic": clinic, "poli": poli, "visits": len(visits), "done": len(done), "absent": absent,
            "no_show": no_show, "no_show_share": round(no_show / len(visits), 3) if visits else 0.0,
            "median_wait": _minutes(_wait(v) for v in visits),
            "median_service": _minutes(estimates.service_minutes(v.called_at, v.finished_at) for v in done),
        })
    return out


def headline(tenant) -> list[dict]:
    """The tenant home page's figures: visits today across the clinics. A hot path (``dashboard_metrics``,
    issue 11.1): one statement that counts today's entries of ``ix_clinic_visits_tenant_day`` only,
    sought per clinic (the index leads with tenant, clinic, day), so its cost is one day's visits,
    never the tenant's history."""
    from .settings import clinics

    codes = sorted(c.code for c in clinics(tenant))
    if not codes:
        return [{"label": _l("Clinic visits today"), "value": 0}]
    with tenant_scope(tenant):
        today = local_date(tenant, utcnow())
        count = db.session.execute(select(func.count()).select_from(Visit).where(
            Visit.clinic.in_(codes), Visit.day == today, Visit.status != CANCELLED)).scalar_one()
    return [{"label": _l("Clinic visits today"), "value": count}]


def last_days(tenant, days: int = 30) -> tuple[date, date]:
    end = local_date(tenant, utcnow())
    return end - timedelta(days=days - 1), end
