"""Registration: a patient (by NIK or BPJS card number) books a poli of a clinic on a local day.

One live booking per patient, poli and day: a second attempt returns the first (as BPJS Antrean
Online does). Checks, in order (``ValidationError.where`` names the field): the clinic and poli
exist, the day is not past nor further than ``days_ahead``, the clinic is open (tenant calendar,
clinic's closed days, a session that weekday), the identity number is well formed, a session of
that day has quota left for the patient's kind (JKN or not). A refused request is refused for
everything found wrong at once (``problems.Problems``: the place, the day, the phone, both numbers,
the card of another patient, a full day), so a form shows every problem. The queue number (``A-012``) comes from
the core's gap-free counter per clinic, poli and local day, taken last. Nothing is committed here.

The patients (found, added, their phone and record number) are in ``patients.py``; where a booking
stands in its queue (patients ahead, estimates as shown, local times) in ``waiting_times.py``; both
are imported here, so ``registration.<name>`` still finds them.
"""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, select

from core.kit import (
    IdentityError, ValidationError, audit, db, identity_lookup, issue_number, local_date, tenant_scope, utcnow,
    write_lock,
)

from . import estimates
from .labels import gettext as _
from .models import BOOKED, CANCELLED, DONE, IN_QUEUE, WAITING, Visit
from .patients import (  # noqa: F401  (offered here too: registration.find_patient, ...)
    _checked_phone, _identify, _patient, contact_key, find_patient, record_number,
)
from .problems import raise_all
from .settings import find_clinic, is_open, snapshot_of
from .waiting_times import (  # noqa: F401  (offered here too: registration.queue_place, ...)
    local_time, observed_minutes, opens_at, queue_ahead, queue_place, shown_estimate, shown_estimates,
)

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at a desk


@dataclass
class Request:
    """What a registration names: clinic and poli codes, the local day, the patient's NIK or BPJS
    number (one at least), name and phone (optional), JKN or not (default: a BPJS number given)."""

    clinic: str
    poli: str
    day: date
    nik: str = ""
    bpjs: str = ""
    name: str = ""
    phone: str = ""
    jkn: bool | None = None
    channel: str = "portal"
    attempt: str = ""  # the portal form's one-time value (``contact_key``)


def _checked(tenant, req: Request, now: datetime, settings: dict, every):
    """``(clinic, poli, problems)``: every refusal of the request that needs no patient, in the order
    a single-error caller answers the first (the place, the day, the phone, the identity numbers)."""
    problems: list[ValidationError] = []
    clinic = find_clinic(every, req.clinic)
    poli = clinic.poli(req.poli) if clinic is not None else None
    if clinic is None:
        problems.append(ValidationError(_("Unknown clinic."), where="clinic", code="unknown_clinic"))
    elif poli is None:
        problems.append(ValidationError(_("Unknown poli %(code)s.", code=req.poli[:20]), where="poli",
                                        code="unknown_poli"))
    today = local_date(tenant, now)
    if req.day is None:  # a form whose day did not parse says so itself
        pass
    elif req.day < today:
        problems.append(ValidationError(_("That day has passed."), where="day", code="day_past"))
    elif req.day > today + timedelta(days=settings["days_ahead"]):
        problems.append(ValidationError(_("Bookings open at most %(n)s days ahead.", n=settings["days_ahead"]),
                                        where="day", code="day_too_far"))
    elif poli is not None and not is_open(tenant, clinic, poli, req.day):
        problems.append(ValidationError(_("The poli is closed on that day."), where="day", code="closed"))
    elif poli is not None and not bookable_sessions(tenant, poli, req.day, now, req.channel):
        problems.append(ValidationError(_("Today's sessions at this poli have ended; choose another day."),
                                        where="day", code="sessions_over"))
    try:
        _checked_phone(req)
    except ValidationError as exc:
        problems.append(exc)
    if not req.nik and not req.bpjs:
        problems.append(ValidationError(_("Give a NIK or a BPJS card number."), where="nik", code="identity_missing"))
    for kind, value in (("nik", req.nik), ("bpjs", req.bpjs)):
        if value:
            try:
                identity_lookup(kind, value)
            except ValidationError as exc:  # IdentityError: where names the number
                problems.append(_named(exc, value))
    return clinic, poli, problems


def _named(exc: ValidationError, value: str) -> ValidationError:
    """A malformed BPJS number's refusal naming the field as the form does ("Nomor kartu BPJS ...");
    the core's words "BPJS ..." name no field. The NIK's are the core's (NIK is the field's name)."""
    if exc.where != "bpjs" or exc.code not in ("not_digits", "length"):
        return exc
    if exc.code == "not_digits":
        return IdentityError(_("The BPJS card number may contain only digits (spaces, dots and hyphens are ignored)."), where="bpjs", code=exc.code)
    digits = len(re.sub(r"[\s.\-/]", "", value))
    return IdentityError(_("The BPJS card number must have 13 digits, not %(n)s.", n=digits), where="bpjs", code=exc.code)


def bookable_sessions(tenant, poli, day: date, now: datetime, channel: str) -> list:
    """The sessions of ``day`` a booking may take: on the tenant's today only those not yet ended
    (a number for a poli that has closed sends the patient to a shut door); the desk may still put
    a late walk-in into the day's sessions (its staff decide)."""
    sessions = poli.sessions_on(day)
    if channel == "desk" or day != local_date(tenant, now):
        return sessions
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    clock = now.astimezone(ZoneInfo(tenant.timezone)).time()
    return [s for s in sessions if s.end > clock]


def first_bookable_day(tenant, clinic, poli, now: datetime, channel: str = "portal") -> date:
    """The first local day from the tenant's today, at most ``days_ahead`` ahead, on which ``poli`` of
    ``clinic`` is open and a session is still to come (today's count only while one has not ended),
    the day a form offers first; the tenant's today when none is (the form then says why)."""
    today = local_date(tenant, now)
    ahead = snapshot_of(tenant)[0]["days_ahead"]
    for offset in range(ahead + 1):
        day = today + timedelta(days=offset)
        if is_open(tenant, clinic, poli, day) and bookable_sessions(tenant, poli, day, now, channel):
            return day
    return today


def _walk_in(tenant, req: Request, now: datetime) -> bool:
    """A patient registered at the desk for the tenant's today (the quotas do not turn them away)."""
    return req.channel == "desk" and req.day == local_date(tenant, now)


def _more_problems(tenant, req: Request, clinic, poli, problems: list, identified: bool, now: datetime) -> None:
    """Added to ``problems`` (a refused request, nothing written): the card of another patient
    (when the numbers are well formed) and a full quota (when the place and day are right)."""
    if identified:
        try:
            _identify(tenant, req)
        except ValidationError as exc:
            problems.append(exc)
    if poli is not None and req.day is not None and not any(p.where == "day" for p in problems):
        try:
            _session_with_room(clinic, poli, req.day, bool(req.bpjs) if req.jkn is None else req.jkn,
                               bookable_sessions(tenant, poli, req.day, now, req.channel), _walk_in(tenant, req, now))
        except ValidationError as exc:
            problems.append(exc)


def book(tenant, actor, req: Request, now: datetime | None = None) -> tuple[Visit, bool]:
    """Book (or find) the patient's visit: ``(visit, created)``. ``ValidationError`` codes:
    unknown_clinic, unknown_poli, day_past, day_too_far, closed, sessions_over (today's sessions have
    ended; not at the desk), identity_missing, invalid_phone,
    bpjs_taken, bpjs_mismatch, quota_full (not for a walk-in at the desk for today: audited
    ``over_quota``) and the identity rules' (``where`` nik/bpjs); two or more
    at once as ``problems.Problems`` (every one found, the first as its own code). The caller commits.

    A new booking is about a dozen statements on PostgreSQL: the settings' version, two advisory
    locks (the patient's identity, the poli's day), the patient by keyed hash (and its insert when
    new), the patient's live booking that day, one count of the day's queue per session (quota and
    patients ahead), the medical record number (counter and row, first visit only), the queue number
    (counter), the visit, the audit entry; the observed service times only once someone is done."""
    now = now or utcnow()
    with tenant_scope(tenant):
        settings, every = snapshot_of(tenant)
        clinic, poli, problems = _checked(tenant, req, now, settings, every)
        if [p.code for p in problems] == ["sessions_over"]:  # too late for a number, not for one's own
            earlier = _live_booking(tenant, req, clinic, poli)
            if earlier is not None:
                return earlier, False
        if problems:  # nothing written: the rest that is wrong too, all at once
            _more_problems(tenant, req, clinic, poli, problems,
                           identified=not any(p.where in ("nik", "bpjs") for p in problems), now=now)
            raise_all(problems)
        try:
            patient, new = _patient(tenant, actor, req)
        except ValidationError as exc:  # a card of another patient, and perhaps a full day too
            problems = [exc]
            _more_problems(tenant, req, clinic, poli, problems, identified=False, now=now)
            raise_all(problems)
        write_lock(db.session, key=f"clinic.book:{clinic.code}:{poli.code}:{req.day}", ident=tenant.id)
        existing = None if new else db.session.execute(select(Visit).where(
            Visit.clinic == clinic.code, Visit.poli == poli.code, Visit.day == req.day,
            Visit.active_patient == patient.id)).scalar()
        if existing is not None:
            return existing, False
        jkn = bool(req.bpjs) if req.jkn is None else req.jkn
        session, ahead, done, over_quota = _session_with_room(
            clinic, poli, req.day, jkn, bookable_sessions(tenant, poli, req.day, now, req.channel),
            walk_in=_walk_in(tenant, req, now))
        record_number(tenant, patient, clinic.code, new=new)
        got, number = issue_number(tenant, ("clinic", clinic.code, poli.code), settings["number_pattern"],
                                   "day", when=req.day, placeholders=("letter",), letter=poli.letter)
        minutes = estimates.minutes_per_patient(
            observed_minutes(clinic.code, poli.code, req.day) if done else [], poli.service_minutes)
        visit = Visit(patient_id=patient.id, active_patient=patient.id, clinic=clinic.code, poli=poli.code,
                      day=req.day, session=session.index, serial=got.serial, number=number, jkn=jkn,
                      channel=req.channel, booking_code=_booking_code(), registered_at=now,
                      contact_hash=contact_key(req.phone, req.attempt),
                      estimated_at=estimates.estimated_at(now, opens_at(tenant, req.day, session), ahead, minutes,
                                                         clinic.practitioners_serving(poli.code)))
        db.session.add(visit)
        db.session.flush()
        visit.over_quota = over_quota  # not a column: for the desk's confirmation
        audit(tenant, actor, "clinic.visit.book", "visit", visit.id,
              after={"number": number, "clinic": clinic.code, "poli": poli.code, "day": req.day.isoformat(),
                     "channel": req.channel, "jkn": jkn, **({"over_quota": True} if over_quota else {})})
        return visit, True


def refusals(tenant, req: Request, now: datetime | None = None) -> list[ValidationError]:
    """Everything ``book`` would refuse ``req`` for, read only (``req.day`` may be None): for a form
    that came back with its own errors, so that it shows the service's too."""
    now = now or utcnow()
    with tenant_scope(tenant):
        settings, every = snapshot_of(tenant)
        clinic, poli, problems = _checked(tenant, req, now, settings, every)
        _more_problems(tenant, req, clinic, poli, problems,
                       identified=not any(p.where in ("nik", "bpjs") for p in problems), now=now)
    return problems


def _live_booking(tenant, req: Request, clinic, poli) -> Visit | None:
    """The patient's live booking at the poli that day, if the numbers name a patient who has one."""
    try:
        patient = _identify(tenant, req)
    except ValidationError:
        return None
    return None if patient is None else db.session.execute(select(Visit).where(
        Visit.clinic == clinic.code, Visit.poli == poli.code, Visit.day == req.day,
        Visit.active_patient == patient.id)).scalar()


def _session_with_room(clinic, poli, day: date, jkn: bool, sessions: list, walk_in: bool = False):
    """``(session, ahead, done, over_quota)``: the first session of ``day`` with quota left for the
    patient's kind, the patients *call next* will call that day (booked or checked in, all ahead of a
    new number: it is the highest; skipped ones are called by hand and count for nobody) and how many are done, from one count grouped by session; ``quota_full`` when none has
    room. ``walk_in`` (a patient at the desk for today): the quotas are what may be booked from afar
    (BPJS Antrean's *kuota JKN / non JKN*); one who stands at the counter is not sent home, so a
    full day gives the last session, ``over_quota`` True (audited)."""
    counts = {row.session: row for row in db.session.execute(
        select(Visit.session,
               func.count(case(((Visit.jkn == jkn) & (Visit.status != CANCELLED), 1))).label("taken"),
               func.count(case((Visit.status.in_((BOOKED, WAITING)), 1))).label("waiting"),  # skipped: called by hand
               func.count(case((Visit.status == DONE, 1))).label("done"))
        .where(Visit.clinic == clinic.code, Visit.poli == poli.code, Visit.day == day)
        .group_by(Visit.session))}
    ahead = sum(row.waiting for row in counts.values())
    done = sum(row.done for row in counts.values())
    for session in sessions:
        quota = session.quota_jkn if jkn else session.quota_non_jkn
        row = counts.get(session.index)
        if (row.taken if row is not None else 0) < quota:
            return session, ahead, done, False
    if walk_in and sessions:
        return sessions[-1], ahead, done, True
    raise ValidationError(_("The quota of that day is full."), where="day", code="quota_full")


def _booking_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


def cancel(tenant, actor, visit: Visit, reason: str = "") -> Visit:
    """Cancel a booking not yet called (``ValidationError`` code ``not_cancellable`` otherwise); the
    patient may book that poli and day again. The number is not reused (gap-free, never re-issued).
    A booking cancelled before: ``already_cancelled``, saying when (a second ``BATAL``)."""
    if visit.status == CANCELLED:
        raise ValidationError(already_cancelled(tenant, visit), where="status", code="already_cancelled")
    if visit.status not in IN_QUEUE:
        raise ValidationError(_("This booking can no longer be cancelled."), where="status", code="not_cancellable")
    from .queue import recompute

    visit.status, visit.active_patient, visit.cancelled_at = CANCELLED, None, utcnow()
    db.session.flush()
    recompute(tenant, visit.clinic, visit.poli, visit.day)  # the others move up
    audit(tenant, actor, "clinic.visit.cancel", "visit", visit.id, after={"reason": reason[:200]})
    return visit


def already_cancelled(tenant, visit: Visit) -> str:
    """What a second cancellation is told, in the current language: the queue number, its day and
    when it was cancelled (the tenant's date and wall clock). Not the booking code: an SMS reply
    holding it would keep it in the outbox."""
    if visit.cancelled_at is None:
        return _("Queue %(number)s (%(day)s) was already cancelled.", number=visit.number,
                 day=visit.day.strftime("%d-%m-%Y"))
    at = visit.cancelled_at if visit.cancelled_at.tzinfo else visit.cancelled_at.replace(tzinfo=timezone.utc)
    return _("Queue %(number)s (%(day)s) was already cancelled on %(when_day)s at %(time)s.",
             number=visit.number, day=visit.day.strftime("%d-%m-%Y"),
             when_day=local_date(tenant, at).strftime("%d-%m-%Y"), time=local_time(tenant, at))


def by_code(tenant, code: str) -> Visit | None:
    code = (code or "").strip().upper()
    if not code or len(code) > 20:
        return None
    with tenant_scope(tenant):
        return db.session.execute(select(Visit).where(Visit.booking_code == code)).scalar()
