"""Where a booking stands in its queue, as every reader shows it (desk, status page, SMS, BPJS): the
patients ahead in *call next*'s order, the estimates shifted so none is before now
(``estimates.not_before``), a time in the tenant's zone, a session's opening, the service times
observed that day. Split out of ``registration.py``, which imports these names (and still offers
them under its own name)."""
from __future__ import annotations

from contextlib import nullcontext
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from flask_babel import format_time
from sqlalchemy import select

from core.kit import db, tenant_scope, utcnow, zone_name

from . import estimates, order
from .models import DONE, SKIPPED, Visit


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
    """Patients of the same poli and day *call next* will call before ``visit``: its place in the
    serving order (``order.ranked``, the ordering ``queue.call_next`` calls by), 0 for the one called
    next. A visit with no place in that order (skipped: called by hand; called, served, done, absent,
    cancelled) has nobody ahead: 0. Inside the tenant's scope."""
    return queue_place(None, visit)[0]


def shown_estimates(tenant, clinic: str, poli: str, day: date, now: datetime | None = None) -> dict[int, datetime]:
    """Visit id -> its estimate (``estimasi dilayani``) as shown now, for every visit of the poli and
    day *call next* will call (booked or checked in; a skipped one has none: it is called by hand):
    the stored estimates (of the last desk action) shifted so the first is no earlier than now
    (``estimates.not_before``). Every reader (desk, status page, SMS, BPJS) shows estimates through
    this or ``shown_estimate``."""
    with tenant_scope(tenant):
        rows = db.session.execute(select(Visit.id, Visit.estimated_at).where(
            *order.in_order(clinic, poli, day), Visit.estimated_at.is_not(None))).all()
    return estimates.not_before(dict(rows), now or utcnow())


def shown_estimate(tenant, visit: Visit, now: datetime | None = None) -> datetime | None:
    """The estimate of ``visit`` as shown now (``queue_place``); a visit no longer waiting keeps its
    stored one."""
    return queue_place(tenant, visit, now)[1]


def queue_place(tenant, visit: Visit, now: datetime | None = None) -> tuple[int, datetime | None]:
    """``(ahead, estimate)`` of ``visit`` in one statement (the patient's status check is a hot
    path): its place in the serving order (``queue_ahead``, ``order.ranked``) and its estimate as
    shown now, shifted as ``shown_estimates`` shifts the whole queue (``estimates.not_before`` on the
    queue's earliest estimate). A skipped visit has no place in that order (called by hand when
    back): ``(0, None)``. A visit no longer waiting: ``(0, its stored estimate)``. Nothing is read
    for either. ``tenant`` None: the caller is inside the tenant's scope."""
    if visit.status == SKIPPED:
        return 0, None
    if visit.status not in order.CALLABLE:
        return 0, visit.estimated_at
    ranked = order.ranked(visit.clinic, visit.poli, visit.day)
    with tenant_scope(tenant) if tenant is not None else nullcontext():
        row = db.session.execute(select(ranked.c.ahead, ranked.c.first).where(ranked.c.id == visit.id)).first()
    ahead, first = row if row is not None else (0, None)  # not (yet) stored as such: nobody counted
    if visit.estimated_at is None:
        return ahead, None
    times = {"self": visit.estimated_at, **({"first": first} if first is not None else {})}
    return ahead, estimates.not_before(times, now or utcnow())["self"]


def observed_minutes(clinic: str, poli: str, day: date) -> list[float]:
    rows = db.session.execute(select(Visit.called_at, Visit.finished_at).where(
        Visit.clinic == clinic, Visit.poli == poli, Visit.day == day, Visit.status == DONE)).all()
    return [m for m in (estimates.service_minutes(a, b) for a, b in rows) if m is not None]
