"""The queue of a poli on a local day: the desk calls, recalls, skips, marks absent, starts and
finishes; the patient checks in. Every step records its task time (BPJS Antrean task ids: 3 arrived,
4 called, 5 served, 7 finished) and is audited; after every call the estimate of each patient still
waiting is recomputed from the service times observed that day (``estimates.py``).

Each step holds the write lock of that poli's queue (``write_lock`` keyed by clinic, poli and day)
before it reads the visit, so two desks never call the same number. A step its state does not allow
raises ``ValidationError`` with code ``already_called``, ``not_called``, ``not_serving``,
``empty_queue``, ``queue_changed`` (a stale *call next*), ``bad_step``, ``already_checked_in`` or ``day_future`` (a check-in before the booking's day); nothing is written then. The caller commits.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select

from core.kit import (
    NotFound, ValidationError, audit, db, for_change, local_date, tenant_scope, utcnow, write_lock,
)

from . import estimates, order
from .labels import gettext as _
from .models import ABSENT, BOOKED, CALLED, CANCELLED, DONE, IN_QUEUE, SERVING, SKIPPED, WAITING, Visit
from .registration import local_time, observed_minutes, opens_at
from .settings import clinic_of


def _lock(tenant, clinic: str, poli: str, day: date) -> None:
    write_lock(db.session, key=f"clinic.queue:{clinic}:{poli}:{day}", ident=tenant.id)


def _visit(tenant, visit_id: int) -> Visit:
    """The visit, read under its queue's lock (the same lock ``call_next`` takes) and row lock."""
    write_lock(db.session)  # SQLite: a writer before the first read
    place = db.session.execute(select(Visit.clinic, Visit.poli, Visit.day).where(Visit.id == visit_id)).first()
    if place is None:
        raise NotFound(_("No such number."), where="visit")
    _lock(tenant, *place)
    return db.session.execute(for_change(select(Visit).where(Visit.id == visit_id), Visit)).scalar_one()


def locked_visit(tenant, visit_id: int) -> Visit:
    """The visit under its queue's lock and row lock (for a change outside the desk's steps, e.g. a
    cancellation); ``NotFound`` when there is none. Inside the tenant's scope."""
    return _visit(tenant, visit_id)


def call_order(clinic: str, poli: str, day: date):
    """The order in which *call next* calls (a select of ``Visit``, ``order.call_order``): those who
    checked in (``waiting``) by number, then those booked from afar and not yet arrived by number;
    skipped ones are not in it (they are called by hand). ``call_next`` takes its first row; the
    board's *Next* list its first rows; the patients ahead (``waiting_times.queue_ahead``) are a
    visit's place in it: one ordering, so the board names whom the desk will call."""
    return order.call_order(clinic, poli, day)


def next_to_call(clinic: str, poli: str, day: date, limit: int = 3) -> list[Visit]:
    """The next ``limit`` visits *call next* would call, in that order (``call_order``)."""
    return list(db.session.execute(call_order(clinic, poli, day).limit(limit)).scalars())


def recompute(tenant, clinic_code: str, poli_code: str, day: date, now: datetime | None = None) -> float:
    """Set ``estimated_at`` of every visit *call next* will call, ranked as it calls them
    (``call_order``: checked in first, then booked not arrived); a skipped visit has no place in it
    (it is called by hand), so it pushes nobody's estimate and has none (None). Returns the minutes
    per patient used."""
    now = now or utcnow()
    clinic = clinic_of(tenant, clinic_code)
    poli = clinic.poli(poli_code) if clinic else None
    default = poli.service_minutes if poli else 10
    minutes = estimates.minutes_per_patient(observed_minutes(clinic_code, poli_code, day), default)
    sessions = {s.index: s for s in poli.sessions} if poli else {}
    serving = clinic.practitioners_serving(poli.code) if poli else 1
    for ahead, visit in enumerate(db.session.execute(call_order(clinic_code, poli_code, day)).scalars()):
        session = sessions.get(visit.session)
        start = opens_at(tenant, day, session) if session else now
        visit.estimated_at = estimates.estimated_at(now, start, ahead, minutes, serving)
    for visit in db.session.execute(select(Visit).where(
            Visit.clinic == clinic_code, Visit.poli == poli_code, Visit.day == day, Visit.status == SKIPPED,
            Visit.estimated_at.is_not(None))).scalars():
        visit.estimated_at = None  # called by hand once back at the desk: no place, no estimate
    return minutes


def _called(tenant, actor, visit: Visit, now: datetime, action: str) -> Visit:
    before = visit.status
    visit.status, visit.called_at, visit.call_count = CALLED, now, visit.call_count + 1
    visit.estimated_at = now
    db.session.flush()
    recompute(tenant, visit.clinic, visit.poli, visit.day, now)
    audit(tenant, actor, action, "visit", visit.id, before={"status": before},
          after={"status": CALLED, "number": visit.number, "calls": visit.call_count})
    return visit


def calls_made(clinic: str, poli: str, day: date) -> int:
    """How many calls (and calls again) the poli has made that day: it only grows, so a page that
    shows it says which state of the queue its *call next* button was pressed on."""
    return db.session.execute(select(func.coalesce(func.sum(Visit.call_count), 0)).where(
        Visit.clinic == clinic, Visit.poli == poli, Visit.day == day)).scalar_one()


def call_next(tenant, actor, clinic: str, poli: str, day: date | None = None, now: datetime | None = None,
              seen: int | None = None) -> Visit:
    """Call the lowest number of those who have checked in (``waiting``); only when nobody here is
    waiting, the lowest number booked from afar and not yet arrived (a desk that does not check
    patients in still works). A patient who booked by SMS, portal or Mobile JKN and has not come is
    thus not called over the heads of those waiting in the room (BPJS Antrean: a number is called
    after its check-in, task 3 before task 4); checked in later, their lower number puts them first
    again. Skipped ones are called by hand.
    ``seen``: ``calls_made`` as the desk's page showed it; when a call was made since (a second tap
    of the button, another desk), nothing is called (``queue_changed``), so a double tap on a slow
    tablet never calls two patients at once."""
    now = now or utcnow()
    with tenant_scope(tenant):
        day = day or local_date(tenant, now)
        _lock(tenant, clinic, poli, day)
        if seen is not None and calls_made(clinic, poli, day) != seen:
            raise ValidationError(_("Someone was called since this page was shown, so nobody was called now: "
                                    "check the list, then press again."), where="queue", code="queue_changed")
        visit = db.session.execute(for_change(call_order(clinic, poli, day).limit(1), Visit)).scalar()
        if visit is None:
            raise ValidationError(_("Nobody is waiting."), where="queue", code="empty_queue")
        return _called(tenant, actor, visit, now, "clinic.queue.call")


def call(tenant, actor, visit_id: int, now: datetime | None = None) -> Visit:
    """Call one number (a skipped one, or out of turn). A number already called: ``already_called``
    (use ``recall``)."""
    now = now or utcnow()
    with tenant_scope(tenant):
        visit = _visit(tenant, visit_id)
        if visit.status not in IN_QUEUE:
            raise ValidationError(_("Number %(n)s has already been called.", n=visit.number),
                                  where="visit", code="already_called")
        return _called(tenant, actor, visit, now, "clinic.queue.call")


def recall(tenant, actor, visit_id: int, now: datetime | None = None) -> Visit:
    """Call a called number again (the patient did not come up yet)."""
    now = now or utcnow()
    with tenant_scope(tenant):
        visit = _visit(tenant, visit_id)
        if visit.status != CALLED:
            raise ValidationError(_("Only a called number can be called again."), where="visit", code="not_called")
        visit.call_count += 1
        audit(tenant, actor, "clinic.queue.recall", "visit", visit.id, after={"calls": visit.call_count})
        return visit


def _move(tenant, actor, visit_id: int, allowed: tuple, status: str, code: str, stamp: str | None = None,
          now: datetime | None = None, today_only: bool = False) -> Visit:
    now = now or utcnow()
    with tenant_scope(tenant):
        visit = _visit(tenant, visit_id)
        if today_only and visit.day > local_date(tenant, utcnow()):  # the core clock, not a stated time
            raise ValidationError(_("This booking is for %(day)s: check in on that day.", day=visit.day.strftime("%d-%m-%Y")),
                                  where="visit", code="day_future")
        if visit.status not in allowed:
            if status == WAITING and visit.arrived_at is not None and visit.status != CANCELLED:
                raise ValidationError(_("Number %(n)s was already checked in at %(time)s.", n=visit.number,
                                        time=local_time(tenant, visit.arrived_at)),
                                      where="visit", code="already_checked_in")
            messages = {"not_called": _("Only a called number can be skipped, marked absent or served."),
                        "not_serving": _("Only a patient being served can be finished."),
                        "bad_step": _("This number cannot do that now.")}
            raise ValidationError(messages[code], where="visit", code=code)
        before = visit.status
        visit.status = status
        if stamp:
            setattr(visit, stamp, now)
        if status == SKIPPED:
            visit.called_at = None
        audit(tenant, actor, f"clinic.queue.{status}", "visit", visit.id, before={"status": before},
              after={"status": status})
        if status in (DONE, SKIPPED, ABSENT, WAITING):  # a check-in moves the patient up the call order
            db.session.flush()
            if status == DONE:
                from .satusehat import enqueue

                enqueue(tenant, visit)
            recompute(tenant, visit.clinic, visit.poli, visit.day, now)
        return visit


def skip(tenant, actor, visit_id, now=None):
    return _move(tenant, actor, visit_id, (CALLED,), SKIPPED, "not_called", now=now)


def absent(tenant, actor, visit_id, now=None):
    return _move(tenant, actor, visit_id, (CALLED, SKIPPED), ABSENT, "not_called", now=now)


def serve(tenant, actor, visit_id, now=None):
    return _move(tenant, actor, visit_id, (CALLED,), SERVING, "not_called", "served_at", now=now)


def finish(tenant, actor, visit_id, now=None):
    return _move(tenant, actor, visit_id, (SERVING,), DONE, "not_serving", "finished_at", now=now)


def check_in(tenant, actor, visit_id, now=None):
    """The patient arrived (BPJS task 3): booked -> waiting; not before the booking's day
    (``day_future``, the tenant's local date). A second check-in: ``already_checked_in``, saying when
    the first was."""
    return _move(tenant, actor, visit_id, (BOOKED,), WAITING, "bad_step", "arrived_at", now=now, today_only=True)


def finish_visit(tenant, actor, visit_id, now=None) -> Visit:
    """The practitioner ends the visit from the encounter form: a patient only called (nobody pressed
    *Start*) is taken as served from now, then finished; each step audited as the desk's. Neither
    called nor being served: ``not_serving``."""
    with tenant_scope(tenant):
        status = db.session.execute(select(Visit.status).where(Visit.id == visit_id)).scalar()
    if status == CALLED:
        serve(tenant, actor, visit_id, now=now)
    return finish(tenant, actor, visit_id, now=now)
