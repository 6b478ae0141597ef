"""Where a booking stands in its queue, as every reader shows it (desk, status page, SMS, BPJS): the
patients ahead in *call next*'s order, the estimates shifted so none is before now
(``estimates.not_before``), a time in the tenant's zone, a session's opening, the service times
observed that day. Split out of ``registration.py``, which imports these names (and still offers
them under its own name)."""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from flask_babel import format_time
from sqlalchemy import case, func, select

from core.kit import db, tenant_scope, utcnow, zone_name

from . import estimates
from .models import BOOKED, DONE, IN_QUEUE, SKIPPED, WAITING, Visit


def local_time(tenant, when: datetime | None) -> str:
    """A stored UTC time as the tenant's wall clock with its zone, as the core writes times, in the
    current language (an SMS reply's: the tenant's; a page's: the reader's): "08.00 WITA" (id),
    "08:00 WITA" (en); "-" when None (SQLite gives naive UTC). Needs an app context, no request."""
    if when is None:
        return "-"
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    local = when.astimezone(ZoneInfo(tenant.timezone))
    return f"{format_time(local, 'short', rebase=False)} {zone_name(tenant.timezone, local)}"


def opens_at(tenant, day: date, session) -> datetime:
    return datetime.combine(day, session.start, tzinfo=ZoneInfo(tenant.timezone)).astimezone(timezone.utc)


def queue_ahead(visit: Visit) -> int:
    """Patients of the same poli and day still to be called before ``visit``."""
    return db.session.execute(select(func.count()).select_from(Visit).where(
        Visit.clinic == visit.clinic, Visit.poli == visit.poli, Visit.day == visit.day,
        Visit.status.in_(IN_QUEUE), Visit.serial < visit.serial)).scalar_one()


def shown_estimates(tenant, clinic: str, poli: str, day: date, now: datetime | None = None) -> dict[int, datetime]:
    """Visit id -> its estimate (``estimasi dilayani``) as shown now, for every visit of the poli and
    day *call next* will call (booked or checked in; a skipped one has none: it is called by hand):
    the stored estimates (of the last desk action) shifted so the first is no earlier than now
    (``estimates.not_before``). Every reader (desk, status page, SMS, BPJS) shows estimates through
    this or ``shown_estimate``."""
    with tenant_scope(tenant):
        rows = db.session.execute(select(Visit.id, Visit.estimated_at).where(
            Visit.clinic == clinic, Visit.poli == poli, Visit.day == day, Visit.status.in_((BOOKED, WAITING)),
            Visit.estimated_at.is_not(None))).all()
    return estimates.not_before(dict(rows), now or utcnow())


def shown_estimate(tenant, visit: Visit, now: datetime | None = None) -> datetime | None:
    """The estimate of ``visit`` as shown now (``queue_place``); a visit no longer waiting keeps its
    stored one."""
    return queue_place(tenant, visit, now)[1]


def queue_place(tenant, visit: Visit, now: datetime | None = None) -> tuple[int, datetime | None]:
    """``(ahead, estimate)`` of ``visit`` in one statement (the patient's status check is a hot
    path): the patients *call next* will call before it (``queue.call_order``: of those checked in,
    the lower numbers; of those booked not arrived, every one checked in and the lower numbers) and
    its estimate as shown now, shifted as ``shown_estimates`` shifts the whole queue
    (``estimates.not_before`` on the queue's earliest estimate). A skipped visit has no place in that
    order (called by hand when back): ``(0, None)``. A visit no longer waiting: ``(0, its stored
    estimate)``. Nothing is read for either."""
    if visit.status == SKIPPED:
        return 0, None
    if visit.status not in IN_QUEUE:
        return 0, visit.estimated_at
    before = (Visit.status == WAITING) & (Visit.serial < visit.serial)
    if visit.status == BOOKED:
        before = (Visit.status == WAITING) | (Visit.serial < visit.serial)
    with tenant_scope(tenant):
        ahead, first = db.session.execute(select(
            func.count(case((before, 1))), func.min(Visit.estimated_at)).where(
            Visit.clinic == visit.clinic, Visit.poli == visit.poli, Visit.day == visit.day,
            Visit.status.in_((BOOKED, WAITING)))).one()
    if visit.estimated_at is None:
        return ahead, None
    times = {"self": visit.estimated_at, **({"first": first} if first is not None else {})}
    return ahead, estimates.not_before(times, now or utcnow())["self"]


def observed_minutes(clinic: str, poli: str, day: date) -> list[float]:
    rows = db.session.execute(select(Visit.called_at, Visit.finished_at).where(
        Visit.clinic == clinic, Visit.poli == poli, Visit.day == day, Visit.status == DONE)).all()
    return [m for m in (estimates.service_minutes(a, b) for a, b in rows) if m is not None]
