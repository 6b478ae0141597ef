"""Drafting a letter (konsep naskah dinas) and sending it to review (issue 14.2).

``save_draft(tenant, actor, draft, letter_id=None) -> Letter`` checks everything first (letter
type, classification code, security, subject, issuing unit, addressees, the review chain), then
writes; ``submit(tenant, actor, letter_id) -> Letter`` opens the core's approval chain over the
letter's positions (paraf in order, the signer last). Both audited (``eoffice.letter.*``) and on
the letter's timeline. The caller commits.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from core.kit import (
    OrgUnit, ValidationError, active_positions, approvals, audit, db, lazy_gettext as _l, tenant_scope, utcnow,
)

from . import attachments, richtext
from .access import get_letter
from .models import CC, DRAFT, REVIEW, TO, WITHDRAWN, Event, Letter, Recipient
from .settings import SECURITY, require_classification, require_type

MAX_VERIFIERS = 5


@dataclass
class Draft:
    """What the drafting form holds. Codes are the tenant's: ``unit`` an agency the drafter is an
    officer of; ``to_units``/``cc_units`` unit codes; ``to_positions`` position codes;
    ``to_external``/``cc_external`` names printed as they are; ``to_tenants`` slugs of other
    tenants of the deployment that enable the module (crossing.py), ``cc_tenants`` the same for
    copies; ``verifiers`` position codes in
    review order (paraf), ``signer`` the signing position's code; ``on_behalf``/``via`` the a.n.
    and u.b. lines of the signature block."""

    letter_type: str
    classification: str
    subject: str
    body: str
    unit: str = ""
    security: str = "biasa"
    to_units: list = field(default_factory=list)
    to_positions: list = field(default_factory=list)
    to_external: list = field(default_factory=list)
    to_tenants: list = field(default_factory=list)  # slugs of other tenants of the deployment (crossing.py)
    cc_units: list = field(default_factory=list)
    cc_external: list = field(default_factory=list)
    cc_tenants: list = field(default_factory=list)  # copies (tembusan) to other tenants of the deployment
    verifiers: list = field(default_factory=list)
    signer: str = ""
    on_behalf: str = ""
    via: str = ""
    attachments: list = field(default_factory=list)  # [(filename, bytes)], PDF only (attachments.py)


def shown_name(actor) -> str:
    """Who did something, as the letter's pages show it (the drafter, the timeline, a disposition's
    sender): the person's name, else their e-mail (the audit trail keeps the e-mail)."""
    return (getattr(getattr(actor, "user", None), "name", "") or str(actor))[:254]

def _units(tenant) -> dict[str, OrgUnit]:
    with tenant_scope(tenant):
        return {u.code: u for u in db.session.execute(db.select(OrgUnit).where(OrgUnit.active.is_(True))).scalars()}


def _codes(values) -> list[str]:
    out = []
    for value in values or ():
        value = (value or "").strip()
        if value and value not in out:
            out.append(value)
    return out


def _names(values) -> list[str]:
    return [v.strip()[:200] for v in values or () if v and v.strip()]


def check(tenant, actor, draft: Draft) -> dict:
    """Every field of ``draft`` checked; returns the clean values. ``ValidationError`` names the
    field (``letter_type``, ``classification``, ``security``, ``subject``, ``body``, ``unit``,
    ``to_units``, ``to_positions``, ``to_tenants``, ``cc_units``, ``cc_tenants``, ``verifiers``, ``signer``,
    ``via``, ``attachments``): the first one found, with every one found in its ``all`` (the form
    shows them all at once)."""
    found = []

    def refuse(message, where, code=None):
        found.append(ValidationError(message, where=where, code=code))

    def attempt(check_one, *args):
        try:
            return check_one(*args)
        except ValidationError as exc:
            found.append(exc)
            return None

    attempt(require_type, tenant, draft.letter_type)
    attempt(require_classification, tenant, draft.classification)
    if draft.security not in SECURITY:
        refuse(_l("Choose a security classification."), "security")
    subject = " ".join((draft.subject or "").split())
    if not subject:
        refuse(_l("Enter the subject."), "subject")
    elif len(subject) > 300:
        refuse(_l("The subject is longer than 300 characters."), "subject")
    body = richtext.sanitise(draft.body)
    if not richtext.plain(body):
        refuse(_l("Write the letter's text."), "body")
    units = _units(tenant)
    unit = units.get((draft.unit or "").strip())
    mine = set(actor.agency_ids)
    if unit is None or unit.kind != "agency" or (mine and unit.id not in mine) or (not mine and not actor.can("eoffice.oversee")):
        refuse(_l("Choose an agency you work in."), "unit")
    positions = {p["code"]: p for p in active_positions(tenant)}
    to_units, cc_units = _codes(draft.to_units), _codes(draft.cc_units)
    to_positions = _codes(draft.to_positions)
    for where, codes, known in (("to_units", to_units, units), ("cc_units", cc_units, units),
                                ("to_positions", to_positions, positions)):
        unknown = [code for code in codes if code not in known]
        if unknown:
            refuse(_l("There is no unit or position '%(code)s' here.", code=unknown[0]), where, "unknown_addressee")
    to_external, cc_external = _names(draft.to_external), _names(draft.cc_external)
    from .crossing import addressee_tenants

    to_tenants = attempt(addressee_tenants, tenant, draft.to_tenants) or []
    cc_tenants = [t for t in attempt(addressee_tenants, tenant, draft.cc_tenants, "cc_tenants") or []
                  if t.slug not in {a.slug for a in to_tenants}]  # an addressee gets no copy besides
    named_tenants = any((slug or "").strip() for slug in draft.to_tenants or ())  # refused above if bad
    if not (to_units or to_positions or to_external or named_tenants):
        refuse(_l("Name at least one addressee."), "to_units")
    verifiers = _codes(draft.verifiers)
    signer = (draft.signer or "").strip()
    if len(verifiers) > MAX_VERIFIERS:
        refuse(_l("At most %(n)s verifiers.", n=MAX_VERIFIERS), "verifiers")
    unknown = [code for code in verifiers if code not in positions]
    if unknown:
        refuse(_l("There is no position '%(code)s' here.", code=unknown[0]), "verifiers", "unknown_position")
    if signer not in positions:
        refuse(_l("Choose the signer's position."), "signer", "unknown_position")
    elif signer in verifiers:
        refuse(_l("The signer is not also a verifier."), "verifiers")
    on_behalf, via = " ".join((draft.on_behalf or "").split())[:200], " ".join((draft.via or "").split())[:200]
    if via and not on_behalf:
        refuse(_l("u.b. needs a.n.: name the official signed for."), "via")
    files = attempt(attachments.check, draft.attachments)
    if found:
        found[0].all = found
        raise found[0]
    return {"files": files, "letter_type": draft.letter_type.strip(), "classification": draft.classification.strip(),
            "security": draft.security, "subject": subject, "body_html": body, "unit": unit,
            "recipients": [(TO, c, None, units[c].name, None) for c in to_units]
            + [(TO, None, c, positions[c]["name"], None) for c in to_positions]
            + [(TO, None, None, n, None) for n in to_external]
            + [(TO, None, None, t.name, t.slug) for t in to_tenants]
            + [(CC, c, None, units[c].name, None) for c in cc_units] + [(CC, None, None, n, None) for n in cc_external]
            + [(CC, None, None, t.name, t.slug) for t in cc_tenants],
            "steps": verifiers + [signer], "on_behalf": on_behalf, "via": via}


def event(tenant, letter: Letter, actor, action: str, note: str = "", data: dict | None = None) -> None:
    """One entry on the letter's timeline (in the caller's transaction); ``data``: facts the page
    formats for its reader (dates as ISO text), stored as they are."""
    with tenant_scope(tenant):
        db.session.add(Event(letter_id=letter.id, action=action, actor=shown_name(actor), note=note or "", data=data))


def save_draft(tenant, actor, draft: Draft, letter_id=None) -> Letter:
    """A new draft (``letter_id`` None) or the drafter's changes to their draft (status ``draft``:
    new, or returned to them). Raises ``ValidationError`` before anything is written."""
    clean = check(tenant, actor, draft)
    unit = clean.pop("unit")
    recipients = clean.pop("recipients")
    files = clean.pop("files")
    with tenant_scope(tenant):
        if letter_id is None:
            letter = Letter(drafter_id=getattr(actor.user, "id", None), drafter=shown_name(actor), status=DRAFT)
            db.session.add(letter)
        else:
            letter = get_letter(tenant, letter_id, change=True)
            if letter.status != DRAFT or letter.drafter_id != getattr(actor.user, "id", None):
                raise ValidationError(_l("Only its drafter changes a draft, and only before review."),
                                      where="letter", code="not_editable")
            for old in db.session.execute(db.select(Recipient).where(Recipient.letter_id == letter.id)).scalars():
                db.session.delete(old)
        for key, value in clean.items():
            setattr(letter, key, value)
        # the issuing unit is the drafter's until signing decides it (review.take_number: the signer's office)
        letter.unit_id, letter.unit_code, letter.unit_name = unit.id, unit.code, unit.name
        letter.drafting_unit_code, letter.drafting_unit_name = unit.code, unit.name
        letter.updated_at = utcnow()
        db.session.flush()
        for kind, unit_code, position_code, name, slug in recipients:
            db.session.add(Recipient(letter_id=letter.id, kind=kind, unit_code=unit_code,
                                     position_code=position_code, name=name[:200], tenant_slug=slug))
        if files:
            attachments.attach(tenant, letter, files)
        event(tenant, letter, actor, "drafted" if letter_id is None else "edited")
        audit(tenant, actor, "eoffice.letter.draft", "letter", letter.id,
              after={"subject": letter.subject, "type": letter.letter_type, "classification": letter.classification,
                     "security": letter.security, "unit": unit.code, "steps": letter.steps})
        db.session.flush()
    return letter


def submit(tenant, actor, letter_id) -> Letter:
    """The drafter sends their draft to review: the approval chain of this revision opens at the
    first verifier (or the signer, when there is none)."""
    letter = get_letter(tenant, letter_id, change=True)
    if letter.drafter_id != getattr(actor.user, "id", None):
        raise ValidationError(_l("Only its drafter sends a draft to review."), where="letter", code="not_drafter")
    if letter.status != DRAFT:
        raise ValidationError(_l("This letter is not a draft."), where="letter", code="not_draft")
    steps = [{"position": code} for code in letter.steps]
    approvals.start_chain(tenant, "eoffice", "letter", letter.chain_id, steps, actor)
    with tenant_scope(tenant):
        letter.status, letter.submitted_at, letter.updated_at = REVIEW, utcnow(), utcnow()
        event(tenant, letter, actor, "submitted")
        audit(tenant, actor, "eoffice.letter.submit", "letter", letter.id,
              after={"revision": letter.revision, "steps": letter.steps})
        db.session.flush()
    return letter


def withdraw(tenant, actor, letter_id, reason: str) -> Letter:
    """The drafter gives up their draft (new, or returned to them): status ``withdrawn``, kept with
    ``reason`` on its timeline and in the audit trail (``eoffice.letter.withdraw``); it took no
    number and is sent to no one. ``ValidationError``: ``reason`` (required, at most 2000
    characters), ``not_drafter``, ``not_draft`` (in review or further: the chain decides)."""
    reason = " ".join((reason or "").split())
    if not reason or len(reason) > 2000:
        raise ValidationError(_l("Say why the draft is withdrawn (at most 2000 characters)."), where="reason")
    letter = get_letter(tenant, letter_id, change=True)
    if letter.drafter_id is None or letter.drafter_id != getattr(actor.user, "id", None):
        raise ValidationError(_l("Only its drafter withdraws a draft."), where="letter", code="not_drafter")
    if letter.status != DRAFT:
        raise ValidationError(_l("Only a draft is withdrawn."), where="letter", code="not_draft")
    with tenant_scope(tenant):
        letter.status, letter.updated_at = WITHDRAWN, utcnow()
        event(tenant, letter, actor, "withdrawn", reason)
        audit(tenant, actor, "eoffice.letter.withdraw", "letter", letter.id,
              before={"status": DRAFT}, after={"status": WITHDRAWN, "reason": reason, "revision": letter.revision})
        db.session.flush()
    return letter
