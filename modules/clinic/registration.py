"""Registration: a patient (by NIK or BPJS card number) books a poli of a clinic on a local day.

One live booking per patient, poli and day: a second attempt returns the first (as BPJS Antrean
Online does). Checks, in order (``ValidationError.where`` names the field): the clinic and poli
exist, the day is not past nor further than ``days_ahead``, the clinic is open (tenant calendar,
clinic's closed days, a session that weekday), the identity number is well formed, a session of
that day has quota left for the patient's kind (JKN or not). A refused request is refused for
everything found wrong at once (``problems.Problems``: the place, the day, the phone, both numbers,
the card of another patient, a full day), so a form shows every problem. The queue number (``A-012``) comes from
the core's gap-free counter per clinic, poli and local day, taken last. Nothing is committed here.
"""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from flask_babel import format_time
from sqlalchemy import case, func, or_, select

from core.kit import (
    IdentityError, ValidationError, audit, db, identity_lookup, issue_number, keyed_hash, local_date, normalise_phone, tenant_scope,
    utcnow, write_lock, zone_name,
)

from . import estimates
from .labels import gettext as _
from .models import BOOKED, CANCELLED, DONE, IN_QUEUE, SKIPPED, WAITING, MedicalRecord, Patient, Visit
from .problems import raise_all
from .settings import find_clinic, is_open, snapshot_of

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


def find_patient(tenant, nik: str = "", bpjs: str = "") -> Patient | None:
    """The tenant's patient with that NIK, else that BPJS number (IdentityError if malformed): one
    query over both keyed hashes."""
    keys = [(column, identity_lookup(kind, value)) for kind, value, column in
            (("nik", nik, Patient.nik_hash), ("bpjs", bpjs, Patient.bpjs_hash)) if value]
    if not keys:
        return None
    with tenant_scope(tenant):
        found = list(db.session.execute(select(Patient).where(or_(*(column == key for column, key in keys)))
                                        .order_by(Patient.id)).scalars())
    for column, key in keys:  # the NIK's patient first
        for patient in found:
            if getattr(patient, column.key) == key:
                return patient
    return None


def _bpjs_taken(req: Request) -> ValidationError:
    return ValidationError(_("This BPJS card number is already registered to another patient."),
                           where="bpjs", code="bpjs_taken")


def _identify(tenant, req: Request) -> Patient | None:
    """The patient the numbers name (None: a new one); ``bpjs_taken`` when the card belongs to
    another patient than the NIK's, ``bpjs_mismatch`` when the patient has another card. Reads only."""
    patient = find_patient(tenant, req.nik, req.bpjs)
    if patient is not None and req.bpjs:
        card, key = identity_lookup("bpjs", req.bpjs), identity_lookup("nik", req.nik) if req.nik else ""
        holder = patient if patient.bpjs_hash == card else find_patient(tenant, bpjs=req.bpjs)
        if holder is not None and holder.id != patient.id:
            raise _bpjs_taken(req)  # the NIK's patient, the card another's
        if patient.bpjs_hash == card and req.nik and patient.nik and patient.nik_hash != key:
            raise _bpjs_taken(req)  # found by the card, but the NIK is someone else's
        if patient.bpjs and patient.bpjs_hash != card:
            raise ValidationError(_("This patient is registered with another BPJS card number; ask at the desk."),
                                  where="bpjs", code="bpjs_mismatch")
    return patient


def _patient(tenant, req: Request) -> tuple[Patient, bool]:
    """The patient (found, or added and flushed) and whether they are new, under the lock of the
    numbers (well formed: ``_checked``). A BPJS card number that belongs to another patient than the
    NIK's is refused (``bpjs_taken``): one card, one patient."""
    key = identity_lookup("nik", req.nik) if req.nik else identity_lookup("bpjs", req.bpjs)
    card = identity_lookup("bpjs", req.bpjs) if req.bpjs else ""
    if req.nik and req.bpjs:
        write_lock(db.session, key=f"clinic.patient:{card[:16]}", ident=tenant.id)  # the card's, then the NIK's
    write_lock(db.session, key=f"clinic.patient:{key[:16]}", ident=tenant.id)
    patient = _identify(tenant, req)
    if patient is None:
        patient = Patient(nik=req.nik or None, bpjs=req.bpjs or None, name=req.name[:120], phone=req.phone[:30])
        db.session.add(patient)
        db.session.flush()
        return patient, True
    if req.bpjs and not patient.bpjs:
        patient.bpjs = req.bpjs
    if req.nik and not patient.nik:
        patient.nik = req.nik
    if req.name and not patient.name:
        patient.name = req.name[:120]
    if req.phone and (not patient.phone or req.channel == "desk"):  # only the desk changes a phone on record
        patient.phone = req.phone[:30]
    return patient, False


def _checked_phone(req: Request) -> None:
    """The phone as E.164 (``phonenumbers``, as ``core.sms.phone``), else ``invalid_phone`` on it."""
    if not (req.phone or "").strip():
        req.phone = ""
        return
    try:
        req.phone = normalise_phone(req.phone, where="phone")
    except ValidationError:
        if req.channel == "sms":  # the gateway's sender, as it came: nobody typed it
            req.phone = req.phone.strip()[:30]
            return
        raise ValidationError(_("Not a mobile phone number (e.g. 0812 3456 7890)."), where="phone",
                              code="invalid_phone") from None


def contact_key(phone: str, attempt: str = "") -> str:
    """The keyed hash a booking keeps of the phone that made it, else of the portal form it was sent
    from (``attempt``: the form's one-time value, so that the same form sent twice on a slow phone
    is shown its booking, not refused as someone else's); "" for neither."""
    if phone:
        return keyed_hash(f"phone:{phone}")
    return keyed_hash(f"attempt:{attempt}") if attempt else ""


def record_number(tenant, patient: Patient, clinic: str, new: bool = False) -> str:
    """The patient's medical record number at ``clinic`` (``PKM-KASSI-000042``), made on first visit
    (``new``: the patient was just added, so has none yet: nothing to look up)."""
    row = None if new else db.session.execute(select(MedicalRecord).where(
        MedicalRecord.patient_id == patient.id, MedicalRecord.clinic == clinic)).scalar()
    if row is None:
        _, number = issue_number(tenant, ("clinic", "rm", clinic), "{clinic}-{serial:06}", "none",
                                 placeholders=("clinic",), clinic=clinic)
        row = MedicalRecord(patient_id=patient.id, clinic=clinic, number=number)
        db.session.add(row)
    return row.number


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
            patient, new = _patient(tenant, req)
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
    patient may book that poli and day again. The number is not reused (gap-free, never re-issued)."""
    if visit.status not in IN_QUEUE:
        raise ValidationError(_("This booking can no longer be cancelled."), where="status", code="not_cancellable")
    from .queue import recompute

    visit.status, visit.active_patient, visit.cancelled_at = CANCELLED, None, utcnow()
    db.session.flush()
    recompute(tenant, visit.clinic, visit.poli, visit.day)  # the others move up
    audit(tenant, actor, "clinic.visit.cancel", "visit", visit.id, after={"reason": reason[:200]})
    return visit


def by_code(tenant, code: str) -> Visit | None:
    code = (code or "").strip().upper()
    if not code or len(code) > 20:
        return None
    with tenant_scope(tenant):
        return db.session.execute(select(Visit).where(Visit.booking_code == code)).scalar()
