"""Registering an incoming letter that did not come through e-office (agenda surat masuk): a
letter on paper by post or courier, or by e-mail, from a company, a citizen, or an agency of a
government not on this deployment. The receiving agency's secretariat scans it and registers it;
from then on it is an incoming letter like one from another tenant: in the unit's inbox (unread),
disposed down and followed up, filed in the dossier of its classification.

``register(tenant, actor, Incoming) -> Letter`` checks every field first and reports all that are
wrong at once (``ValidationError`` on the first, every one in its ``all``; ``where`` names the
field): ``unit`` (an agency the registrar is an officer of), ``sender`` (required, at most 200
characters), ``sender_number`` (the sender's own number, if the letter has one, at most 100),
``letter_date`` (required, not after today in the tenant's time), ``subject`` (required, at most
300), ``letter_type`` (``unknown_letter_type``), ``classification`` (``unknown_classification``),
``security``, ``scan`` (the scanned letter: required, a PDF of at most 5 MB, ``not_pdf`` /
``too_large``). Then, in the caller's transaction: the letter (status ``sent``; ``origin_name``
the sender, ``origin_number`` their number, ``origin_date`` the letter's date, ``origin_pdf_key``
the scan, stored through ``stored.put`` so a failed save leaves no file; ``drafter_id`` the
registrar, whose own opening of it does not count as the unit's reading), an addressee row for
the unit, a timeline entry ``registered``, filing, the audit entry ``eoffice.letter.register``, and
an e-mail to the head of the unit (who disposes it).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core.kit import (
    OrgUnit, ValidationError, audit, db, head_of, lazy_gettext as _l, local_date, notify, tenant_scope, tenant_url,
    utcnow,
)

from . import attachments, stored
from .archive import file_letter
from .drafting import event, shown_name
from .models import SENT, TO, Letter, Recipient
from .settings import SECURITY, require_classification, require_type


@dataclass
class Incoming:
    """What the registration form holds (codes are the tenant's; ``scan``: ``(filename, bytes)``)."""

    unit: str
    sender: str
    subject: str
    letter_date: date | None
    letter_type: str
    classification: str
    security: str = "biasa"
    sender_number: str = ""
    scan: tuple[str, bytes] | None = None


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def check(tenant, actor, incoming: Incoming) -> dict:
    """The clean values of ``incoming`` (see the module docstring), or ``ValidationError`` naming
    every field that is wrong (``.all``)."""
    found, clean = [], {}

    def refuse(message, where, code="validation_error"):
        found.append(ValidationError(message, where=where, code=code))

    with tenant_scope(tenant):
        unit = db.session.execute(db.select(OrgUnit).where(
            OrgUnit.code == (incoming.unit or "").strip(), OrgUnit.kind == "agency",
            OrgUnit.active.is_(True))).scalar_one_or_none()
    if unit is None or unit.id not in set(actor.agency_ids):
        refuse(_l("Choose an agency you work in."), "unit")
    clean["unit"] = unit
    for name, limit, required, message in (
            ("sender", 200, True, _l("Enter who sent the letter.")),
            ("sender_number", 100, False, None), ("subject", 300, True, _l("Enter the subject."))):
        value = _one_line(getattr(incoming, name))
        if required and not value:
            refuse(message, name, "required")
        elif len(value) > limit:
            refuse(_l("At most %(n)s characters.", n=limit), name, "too_long")
        clean[name] = value
    today = local_date(tenant, utcnow())
    if incoming.letter_date is None:
        refuse(_l("Enter the letter's date."), "letter_date", "required")
    elif incoming.letter_date > today:
        refuse(_l("The letter's date is after today."), "letter_date", "future_date")
    for where, require in (("letter_type", require_type), ("classification", require_classification)):
        try:
            require(tenant, getattr(incoming, where))
        except ValidationError as exc:
            found.append(exc)
    if incoming.security not in SECURITY:
        refuse(_l("Choose a security classification."), "security")
    scan = [incoming.scan] if incoming.scan and incoming.scan[1] else []
    try:
        scan = attachments.check(scan)
    except ValidationError as exc:
        refuse(exc.message, "scan", exc.code)
    else:
        if not scan:
            refuse(_l("Attach the scanned letter (PDF)."), "scan", "required")
    if found:
        found[0].all = found
        raise found[0]
    return {**clean, "scan": scan[0], "letter_date": incoming.letter_date, "security": incoming.security,
            "letter_type": incoming.letter_type.strip(), "classification": incoming.classification.strip()}


def register(tenant, actor, incoming: Incoming) -> Letter:
    """Register ``incoming`` (see the module docstring); returns the letter."""
    clean = check(tenant, actor, incoming)
    unit, (filename, data) = clean["unit"], clean["scan"]
    now = utcnow()
    with tenant_scope(tenant):
        letter = Letter(
            letter_type=clean["letter_type"], classification=clean["classification"], security=clean["security"],
            subject=clean["subject"], body_html="", unit_id=unit.id, unit_code=unit.code, unit_name=unit.name,
            drafting_unit_code=unit.code, drafting_unit_name=unit.name,
            drafter_id=getattr(actor.user, "id", None), drafter=shown_name(actor), status=SENT, steps=[], sent_at=now, updated_at=now,
            year=local_date(tenant, now).year, origin_name=clean["sender"], origin_number=clean["sender_number"] or None,
            origin_date=clean["letter_date"], origin_pdf_key=stored.put(tenant, data, filename))
        db.session.add(letter)
        db.session.flush()
        db.session.add(Recipient(letter_id=letter.id, kind=TO, unit_code=unit.code, name=unit.name))
        event(tenant, letter, actor, "registered", clean["sender"])
        dossier = file_letter(tenant, actor, letter)
        audit(tenant, actor, "eoffice.letter.register", "letter", letter.id,
              after={"sender": clean["sender"], "number": clean["sender_number"], "subject": clean["subject"],
                     "letter_date": clean["letter_date"].isoformat(), "unit": unit.code, "dossier": dossier.code,
                     "scan": {"filename": filename, "size": len(data)}})
        shown = clean["sender_number"] or clean["sender"]
        for person in head_of(tenant, unit.code):  # the head disposes it: told by e-mail through the outbox
            if person.email and person.id != letter.drafter_id:
                notify(tenant, "email", person.email,
                       f"{shown}: {clean['subject']}\n{clean['sender']}\n"
                       f"{tenant_url(tenant, f'/eoffice/letters/{letter.id}')}",
                       subject=f"Naskah dinas masuk: {shown}"[:200], ref=f"eoffice:{letter.id}")
        db.session.flush()
    return letter
