"""Numbers citizens quote: finding a complaint by its tracking number.

- Officers search by the number, whole or in part (``MKS-2026-000123``, ``2026-123``, ``123``), or
  by the filer's phone or e-mail (matched on the keyed hashes; an *anonim* complaint only for the
  coordinator, since the match would tell an officer who filed it).
- The filer opens their complaint with its number and the phone or e-mail they gave. A filer who
  lost the number asks for their numbers to be sent to that phone or e-mail: the answer on the
  page is the same whether or not anything was found, so nobody learns who filed what.
"""
from __future__ import annotations

import re

from core.kit import NotFound, ValidationError, db, normalise_email, normalise_phone, tenant_scope

from . import notifications
from .access import access_key_matches, contact_hashes, contact_matches, get_by_number
from .models import Complaint

NUMBER = re.compile(r"^(?:([A-Z][A-Z0-9]*)-)?(?:(\d{4})-)?0*(\d{1,9})$")
MAX_SENT = 10


def search_condition(q: str, match_anonymous_contacts: bool):
    """A WHERE clause for what an officer typed in the search box; None for an empty box."""
    text = (q or "").strip().upper()
    if not text:
        return None
    found = NUMBER.match(text)
    if found:
        prefix, year, seq = found.groups()
        by_number = Complaint.seq == int(seq)
        if year:
            by_number = db.and_(by_number, Complaint.year == int(year))
        if prefix:
            by_number = db.and_(by_number, Complaint.number.startswith(prefix + "-", autoescape=True))
    else:
        by_number = Complaint.number.contains(text, autoescape=True)
    phone, email = contact_hashes(q)
    if not (phone or email):
        return by_number
    by_contact = Complaint.filer_phone_hash == phone if phone else Complaint.filer_email_hash == email
    if not match_anonymous_contacts:
        by_contact = db.and_(by_contact, Complaint.anonymous.is_(False))
    return db.or_(by_number, by_contact)


def find_for_filer(tenant, number: str, contact: str) -> Complaint:
    """The complaint with this number, if ``contact`` is the phone or e-mail it was filed with, or
    its access code."""
    try:
        complaint = get_by_number(tenant, number)
    except NotFound:
        complaint = None
    if complaint is None or not (contact_matches(complaint, contact) or access_key_matches(complaint, contact)):
        raise NotFound("no complaint has this number and this phone or e-mail", where="contact",
                       code="no_match")
    return complaint


def send_numbers(tenant, contact: str) -> int:
    """Send the tracking numbers filed with ``contact`` (newest first) to it; returns how many."""
    contact = (contact or "").strip()
    try:
        if "@" in contact:
            channel, to = "email", normalise_email(contact, where="contact")
        else:
            channel, to = "sms", normalise_phone(contact, where="contact")
    except ValidationError:
        raise ValidationError("give the phone number or e-mail address you filed with", where="contact",
                              code="invalid_contact") from None
    phone, email = contact_hashes(to)
    column = Complaint.filer_phone_hash if channel == "sms" else Complaint.filer_email_hash
    with tenant_scope(tenant):
        numbers = list(db.session.execute(
            db.select(Complaint.number).where(column == (phone or email)).order_by(Complaint.id.desc()).limit(MAX_SENT)
        ).scalars())
        if numbers:
            notifications.numbers_for_contact(tenant, channel, to, numbers)
    return len(numbers)
