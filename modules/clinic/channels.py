"""Registration by SMS through the core's inbound webhook: ``DAFTAR [<clinic>] <poli> <date> <NIK or
BPJS number>``, e.g. ``DAFTAR UMUM 01-12-2026 7371014101900001``. The clinic may be left out where
the tenant has one (else the first is taken); the date is ``DD-MM-YYYY``, ``DD/MM/YYYY`` or
``YYYY-MM-DD`` (the clinic's local date). The reply (queued in the core outbox) carries the queue
number, the estimated time (tenant's zone) and the booking code; a bad message gets one line saying
what is wrong (unknown poli, a past or closed day, a full quota, a malformed NIK)."""
from __future__ import annotations

import re
from datetime import date, datetime

from core.kit import IdentityError, ValidationError, db, tenant_scope, tenant_url

from .labels import gettext as _
from .registration import Request, book, local_time
from .settings import clinics

USAGE_MAX = 300
DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d")


def _parse_day(text: str) -> date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _usage() -> str:
    return _("To register send: DAFTAR <poli> <date DD-MM-YYYY> <NIK or BPJS number>")[:USAGE_MAX]


def parse(tenant, text: str) -> Request | str:
    """The registration an SMS asks for, or the reply explaining what is wrong."""
    words = text.split()[1:]
    known = clinics(tenant)
    if not known:
        return _("Registration by SMS is not available.")
    clinic = known[0]
    if words and any(c.code == words[0].upper() for c in known) and len(words) > 3:
        clinic = next(c for c in known if c.code == words[0].upper())
        words = words[1:]
    if len(words) < 3:
        return _usage()
    day = _parse_day(words[1])
    if day is None:
        return _("%(value)s is not a date (DD-MM-YYYY).", value=words[1][:12])
    number = re.sub(r"\D", "", words[2])
    nik, bpjs = (number, "") if len(number) != 13 else ("", number)
    return Request(clinic=clinic.code, poli=words[0], day=day, nik=nik, bpjs=bpjs, channel="sms")


def sms_daftar(tenant, sender: str, text: str) -> str:
    req = parse(tenant, text)
    if isinstance(req, str):
        return req
    req.phone = sender
    try:
        with db.session.begin_nested():
            visit, created = book(tenant, None, req)
    except IdentityError as exc:
        return _("The NIK or BPJS number is not valid: %(reason)s", reason=exc.message)
    except ValidationError as exc:
        return _("Registration failed: %(reason)s", reason=exc.message)
    with tenant_scope(tenant):
        when = local_time(tenant, visit.estimated_at)
        clinic = next(c for c in clinics(tenant) if c.code == visit.clinic)
        poli = clinic.poli(visit.poli)
    text = _("Queue %(number)s, %(poli)s %(clinic)s, %(day)s, estimated %(time)s. Booking code %(code)s. Check: %(url)s",
             number=visit.number, poli=poli.name, clinic=clinic.name, day=visit.day.strftime("%d-%m-%Y"),
             time=when, code=visit.booking_code, url=tenant_url(tenant, f"/clinic/status?code={visit.booking_code}"))
    if not created:
        text = _("Already registered.") + " " + text
    return text
