"""Registration by SMS through the core's inbound webhook: ``DAFTAR <clinic> <poli> <date> <NIK or
BPJS number>``, e.g. ``DAFTAR PKM-KASSI UMUM 01-12-2026 7371014101900001``. The clinic may be left
out only where the tenant has one clinic; where it has several, a message without it (or with an
unknown code) is answered with the format and the clinics' codes. The date is ``DD-MM-YYYY``,
``DD/MM/YYYY`` or ``YYYY-MM-DD`` (the clinic's local date). The number may be typed in groups
(``7371 0141 0190 0001``, ``7371.0141...``): the digits of the words after the date are read, up to
the first word with a letter; the words from there are the patient's name (optional: ``DAFTAR
PKM-KASSI UMUM 01-12-2026 7371014101900001 Budi Santoso``), kept for a new patient or one on record
without a name (as the portal's). The reply (queued in the core outbox)
carries the queue number, the estimated time (tenant's zone) and the booking code; a bad message
gets one line saying what is wrong (unknown poli, a past or closed day, a full quota, a malformed
NIK). A repeat for a booking made from another phone (or at the desk or on the portal without this
phone) is answered without its code: whoever knows a NIK does not learn someone's booking."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from core.kit import IdentityError, ValidationError, db, local_date, tenant_scope, tenant_url, utcnow

from .labels import gettext as _
from .problems import each
from .registration import Request, book, contact_key, local_time, shown_estimate
from .settings import clinics
from .sms_secrets import note

USAGE_MAX = 300
NAME_MAX = 120  # as a patient's name is kept (``registration._patient``)
DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d")


RELATIVE_DAYS = {"HARIINI": 0, "TODAY": 0, "BESOK": 1, "TOMORROW": 1, "LUSA": 2}  # "HARI INI" is joined first


def _parse_day(tenant, text: str) -> date | None:
    """A date as written, or a day named relative to the tenant's today (core clock): ``HARI INI``,
    ``BESOK``, ``LUSA`` (and ``TODAY``, ``TOMORROW``), in any case."""
    if text.upper() in RELATIVE_DAYS:
        return local_date(tenant, utcnow()) + timedelta(days=RELATIVE_DAYS[text.upper()])
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _codes(known) -> str:
    """The clinics' codes for a reply, cut to fit an SMS."""
    text = ", ".join(c.code for c in known)
    return text if len(text) <= 120 else text[:117].rsplit(",", 1)[0] + ", ..."


def _usage(known) -> str:
    if len(known) == 1:
        return _("To register send: DAFTAR <poli> <date DD-MM-YYYY> <NIK or BPJS number> [name]")[:USAGE_MAX]
    return _("To register send: DAFTAR <clinic> <poli> <date DD-MM-YYYY> <NIK or BPJS number> [name]. Clinics: %(codes)s",
             codes=_codes(known))[:USAGE_MAX]


def parse(tenant, text: str) -> Request | str:
    """The registration an SMS asks for, or the reply explaining what is wrong."""
    words = re.sub(r"\bHARI[\s.-]*INI\b", "HARIINI", text, flags=re.IGNORECASE).split()[1:]
    known = clinics(tenant)
    if not known:
        return _("Registration by SMS is not available.")
    clinic = next((c for c in known if words and c.code == words[0].upper()), None)
    if clinic is not None:
        words = words[1:]
    elif len(known) == 1 and len(words) >= 3:
        clinic = known[0]
    elif len(words) >= 3 and any(c.poli(words[0]) for c in known):  # a poli, but which clinic's?
        return _("Name the clinic: DAFTAR <clinic> <poli> <date DD-MM-YYYY> <NIK or BPJS number>. Clinics: %(codes)s",
                 codes=_codes(known))[:USAGE_MAX]
    elif len(words) >= 4:
        return _("Unknown clinic code %(code)s. Send: DAFTAR <clinic> <poli> <date DD-MM-YYYY> <NIK or BPJS number>. Clinics: %(codes)s",
                 code=words[0][:20], codes=_codes(known))[:USAGE_MAX]
    if len(words) < 3:
        return _usage(known)
    day = _parse_day(tenant, words[1])
    if day is None:
        return _("%(value)s is not a date (DD-MM-YYYY).", value=words[1][:12])
    rest = words[2:]
    cut = next((i for i, word in enumerate(rest) if any(ch.isalpha() for ch in word)), len(rest))
    number = re.sub(r"\D", "", "".join(rest[:cut][:6]))[:20]  # "7371 0141 0190 0001": a NIK typed in groups
    nik, bpjs = (number, "") if len(number) != 13 else ("", number)
    name = " ".join(rest[cut:])[:NAME_MAX]  # "... 7371014101900001 Budi Santoso": the name, when given
    return Request(clinic=clinic.code, poli=words[0], day=day, nik=nik, bpjs=bpjs, name=name, channel="sms")


def _refused(tenant, req: Request, exc: ValidationError) -> str:
    """One reply naming every problem of the message (a malformed NIK and a past day together)."""
    parts = []
    for problem in each(exc):
        if isinstance(problem, IdentityError):
            parts.append(_("The NIK or BPJS number is not valid: %(reason)s", reason=problem.message))
            continue
        part = _("Registration failed: %(reason)s", reason=problem.message) if not parts else str(problem.message)
        if problem.code == "unknown_poli":  # name the ones there are
            clinic = next((c for c in clinics(tenant) if c.code == req.clinic), None)
            if clinic is not None:
                part += " " + _("Polis: %(codes)s", codes=", ".join(p.code for p in clinic.polis))
        parts.append(part)
    if len(parts) == 1:
        return parts[0][:USAGE_MAX]
    return " ".join(part if part.endswith(".") else part + "." for part in parts)[:USAGE_MAX]


def sms_daftar(tenant, sender: str, text: str) -> str:
    req = parse(tenant, text)
    if isinstance(req, str):
        return req
    req.phone = sender
    try:
        with db.session.begin_nested():
            visit, created = book(tenant, None, req)
    except ValidationError as exc:
        return _refused(tenant, req, exc)
    if not created and visit.contact_hash != contact_key(req.phone):
        return _("This NIK or BPJS number already has a booking at that poli on that day. Its code was given "
                 "to whoever made it; ask at the clinic's desk.")
    with tenant_scope(tenant):
        when = local_time(tenant, shown_estimate(tenant, visit))
        clinic = next(c for c in clinics(tenant) if c.code == visit.clinic)
        poli = clinic.poli(visit.poli)
    text = _("Queue %(number)s, %(poli)s %(clinic)s, %(day)s, estimated %(time)s. Booking code %(code)s. Check: %(url)s",
             number=visit.number, poli=poli.name, clinic=clinic.name, day=visit.day.strftime("%d-%m-%Y"),
             time=when, code=visit.booking_code, url=tenant_url(tenant, f"/clinic/status?code={visit.booking_code}"))
    if not created:
        text = _("Already registered.") + " " + text
    with tenant_scope(tenant):
        note(visit, sender)  # the reply carries the booking code: masked in the outbox once sent
    return text


def sms_batal(tenant, sender: str, text: str) -> str:
    """``BATAL <booking code>``: the patient cancels a booking still to be called (``views_cancel``)."""
    from .views_cancel import cancel_by_code

    words = text.split()[1:]
    if not words:
        return _("To cancel send: BATAL <booking code>")
    try:
        with db.session.begin_nested():
            visit = cancel_by_code(tenant, None, words[0][:20], "sms")
    except ValidationError as exc:
        return str(exc.message)
    if visit is None:
        return _("No booking has that code.")
    with tenant_scope(tenant):
        note(visit, sender)
    return _("Booking %(code)s (queue %(number)s, %(day)s) is cancelled.", code=visit.booking_code,
             number=visit.number, day=visit.day.strftime("%d-%m-%Y"))
