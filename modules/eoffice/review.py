"""Review and signature (issue 14.2-14.4): verifiers give their paraf or return the letter, the
signer signs. The drafter never gives a paraf on their own letter (``own_draft``: refused, nothing
changed, even when they hold the verifier's position). The chain is the core's (``core.kit.approvals``): acting out of turn, twice, without
holding the position on the tenant's date, or on a closed chain raises an ``ApprovalError``
(``approval_out_of_turn``, ``approval_twice``, ``approval_not_holder``, ``approval_closed``)
with nothing changed.

Signing takes the letter's number from the core's counter per tenant, issuing unit (the agency
of the signing position, ``issuing_unit``: the Wali Kota's letter is the Setda's, whoever drafted
it), classification and the tenant's calendar year (``("eoffice", unit, classification)``, period
``year``; with the setting ``number_scope = "unit"``, per unit across classifications:
``("eoffice", unit)``), written with the tenant's ``number_pattern`` (Permendagri 83/2022:
``{classification}/{serial}/{unit}``): only at signing, so a returned or abandoned draft burns no
number; the counter row stays locked until the caller commits (a rollback gives it back).
The signed PDF is issued through ``core.kit.documents`` (letterhead, PAdES, QR to /verify).
"""
from __future__ import annotations

from core.kit import (
    OrgUnit, PamongError, ValidationError, approvals, audit, db, documents, issue_number, lazy_gettext as _l, local_date, positions_of,
    User, official_identity, tenant_scope, utcnow,
)

from . import attachments, signature
from .archive import file_letter
from .access import get_letter
from .drafting import event
from .models import DRAFT, NUMBERED, REVIEW, SIGNED, Letter, Recipient
from .settings import classifications, emblem, letter_types, place, settings_of

TEMPLATE = "eoffice/letter_pdf.html"


OWN_DRAFT = _l("You drafted this letter, so you may not give it your paraf: another holder of this position "
              "verifies it.")


def own_draft(letter: Letter, actor) -> bool:
    """Whether ``actor`` drafted ``letter``: the drafter may not give a paraf on their own naskah
    (separation of duties), even when they hold a verifier's position."""
    user = getattr(actor, "user", None)
    return letter.drafter_id is not None and user is not None and letter.drafter_id == user.id


def _chain(tenant, letter: Letter):
    """The letter's open approval chain. Raises ``ChainClosed`` ``already_signed`` (numbered,
    signed or sent: the message names the signer and when they signed) or ``not_in_review``."""
    if letter.status in (NUMBERED, SIGNED, "sent"):
        from flask_babel import LazyString

        from core.kit import local_datetime

        raise approvals.ChainClosed(f"this letter is already signed by {letter.signer_name} at {letter.signed_at}",
                                    code="already_signed",
                                    local=_l("This letter is already signed by %(name)s on %(when)s.",
                                             name=letter.signer_name or "-",
                                             when=LazyString(local_datetime, letter.signed_at)))
    if letter.status != REVIEW:
        raise approvals.ChainClosed("this letter is not awaiting review", code="not_in_review",
                                    local=_l("This letter is not awaiting review."))
    chain = approvals.get_chain(tenant, "eoffice", "letter", letter.chain_id)
    if chain is None:  # a review letter always has its chain; treat as closed
        raise approvals.ChainClosed("this letter is not awaiting review", local=_l("This letter is not awaiting review."))
    return chain


def _signer_step(letter: Letter) -> int:
    return len(letter.steps) - 1


def _refuse_out_of_turn(tenant, letter: Letter, chain, step: int, actor) -> None:
    """Refuse acting on ``step`` when another step of the open ``chain`` awaits action, saying what
    the letter awaits: an earlier paraf (``The letter awaits the paraf of … first.``), or, for a step
    already past, the paraf or signature now awaited. ``approvals.OutOfTurn``
    (``approval_out_of_turn``); nothing changed. A closed chain, an unknown step and an ``actor``
    who acted on the chain already (``approval_twice``) are left to the core."""
    waiting = approvals.awaiting(tenant, chain)
    if getattr(getattr(actor, "user", None), "id", None) in (chain.approvers or []):
        return
    if waiting is None or isinstance(step, bool) or not isinstance(step, int) or not 0 <= step < len(chain.steps) \
            or waiting["index"] == step:
        return
    label, signs = waiting["label"], waiting["index"] == _signer_step(letter)
    if step > waiting["index"]:
        local = _l("The letter awaits the paraf of %(position)s first.", position=label)
    elif signs:
        local = _l("This step is already done: the letter now awaits the signature of %(position)s.", position=label)
    else:
        local = _l("This step is already done: the letter now awaits the paraf of %(position)s.", position=label)
    raise approvals.OutOfTurn(f"step {step} is not awaiting action; step {waiting['index']} ({label}) is", local=local)


def verify(tenant, actor, letter_id, step: int, note: str = "") -> Letter:
    """The holder of verifier ``step`` (the index they were shown) gives their paraf."""
    letter = get_letter(tenant, letter_id, change=True)
    chain = _chain(tenant, letter)
    if step == _signer_step(letter):
        raise ValidationError(_l("The last step is the signature: sign the letter."), where="step", code="sign_step")
    _refuse_out_of_turn(tenant, letter, chain, step, actor)
    if own_draft(letter, actor):  # separation of duties: a verifier checks someone else's draft
        raise ValidationError(OWN_DRAFT, where="step", code="own_draft")
    approvals.approve(tenant, "eoffice", "letter", letter.chain_id, actor.user, step=step, note=note)
    with tenant_scope(tenant):
        letter.updated_at = utcnow()
        audit(tenant, actor, "eoffice.letter.verify", "letter", letter.id, after={"step": step, "position": letter.steps[step]})
    return letter


def return_letter(tenant, actor, letter_id, step: int, note: str, to_step: int | None = None) -> Letter:
    """The holder of ``step`` returns the letter with ``note`` (required): to an earlier verifier
    ``to_step`` (the core's ``return_to``), or, with ``to_step`` None, to the drafter: the letter is
    a draft again and its next submission opens a new chain (revision + 1). No number is taken."""
    note = " ".join((note or "").split())
    if not note:
        raise ValidationError(_l("Say why it is returned."), where="note", code="approval_bad_return")
    letter = get_letter(tenant, letter_id, change=True)
    chain = _chain(tenant, letter)
    if to_step is not None:
        approvals.return_to(tenant, "eoffice", "letter", letter.chain_id, actor.user, step=step, to_step=to_step,
                            note=note)
    else:
        _refuse_out_of_turn(tenant, letter, chain, step, actor)
        waiting = approvals.awaiting(tenant, chain)
        if waiting is None or waiting["index"] != step:
            raise approvals.OutOfTurn(f"step {step} is not awaiting action",
                                      local=_l("This step is not awaiting action."))
        if not approvals.may_act(tenant, chain.steps[step], actor.user, local_date(tenant, utcnow())):
            raise approvals.NotHolder(f"you do not hold the position of step {step}",
                                      local=_l("You do not hold the position of this step."))
        with tenant_scope(tenant):
            letter.status, letter.revision = DRAFT, letter.revision + 1
    with tenant_scope(tenant):
        letter.updated_at = utcnow()
        event(tenant, letter, actor, "returned" if to_step is None else "returned_step", note)
        audit(tenant, actor, "eoffice.letter.return", "letter", letter.id,
              after={"step": step, "to": "drafter" if to_step is None else to_step, "note": note})
    return letter


def _acting(tenant, user, code: str) -> str | None:
    """The kind of acting holding (``plt``, ``plh``, ``pj``, ``pjs``) by which ``user`` holds ``code``
    today (the first such holding), None when they hold it only definitively."""
    return next((p.get("acting_kind") or "plt" for p in positions_of(tenant, user)
                 if p["code"] == code and p["acting"]), None)


def _position_name(tenant, code: str) -> str:
    from core.kit import active_positions

    return next((p["name"] for p in active_positions(tenant) if p["code"] == code), code)


def issuing_unit(tenant, letter: Letter) -> OrgUnit:
    """The unit that issues ``letter``: the agency of its signing position (the position's own
    unit, or the nearest agency above it: the Wali Kota's and the Sekda's positions sit in the
    Setda, so their letters are the Setda's), decided at signing since a draft may change its
    signer. A signing position in no agency (none above it) leaves the drafter's unit."""
    from core.kit import active_positions

    code = letter.steps[-1] if letter.steps else ""
    unit_id = next((p["unit_id"] for p in active_positions(tenant) if p["code"] == code), None)
    with tenant_scope(tenant):
        seen = set()
        while unit_id is not None and unit_id not in seen:
            seen.add(unit_id)
            unit = db.session.get(OrgUnit, unit_id)
            if unit is None:
                break
            if unit.kind == "agency" and unit.active:
                return unit
            unit_id = unit.parent_id
        return db.session.get(OrgUnit, letter.unit_id)


def take_number(tenant, actor, letter_id, step: int) -> Letter:
    """The holder of the signing position approves the chain's last step and the letter takes its
    number, in the caller's (short) transaction: status ``numbered``, number, serial, year, the
    signer and the signature block are written; nothing is rendered. The counter row stays locked
    only until the caller commits, which it does at once (``sign``). Raises ``ApprovalError`` (out
    of turn, twice, not the holder, already signed), ``ValidationError`` (a step that is not the
    signature, a pattern that cannot be written): nothing is kept then (the caller rolls back)."""
    letter = get_letter(tenant, letter_id, change=True)
    chain = _chain(tenant, letter)
    if step != _signer_step(letter):
        raise ValidationError(_l("Only the last step signs."), where="step", code="not_sign_step")
    _refuse_out_of_turn(tenant, letter, chain, step, actor)
    user = actor.user
    code = letter.steps[step]
    lines = signature.block(_position_name(tenant, code), acting=_acting(tenant, user, code),
                            on_behalf=letter.on_behalf, via=letter.via)
    approvals.approve(tenant, "eoffice", "letter", letter.chain_id, user, step=step, note="")
    settings = settings_of(tenant)
    now = utcnow()
    issuer = issuing_unit(tenant, letter)
    with tenant_scope(tenant):
        # the signer's office issues the letter: its code in the number, its counter, its kop
        letter.unit_id, letter.unit_code, letter.unit_name = issuer.id, issuer.code, issuer.name
        # last: the counter row stays locked from here to the commit
        scope = ("eoffice", letter.unit_code) if settings.get("number_scope") == "unit" else \
            ("eoffice", letter.unit_code, letter.classification)
        got, number = issue_number(tenant, scope,
                                   settings["number_pattern"], "year", when=now,
                                   classification=letter.classification, unit=letter.unit_code)
        name = (getattr(user, "name", "") or getattr(user, "email", "")).strip()
        letter.number, letter.serial, letter.year = number, got.serial, got.local.year
        letter.status, letter.signed_at, letter.updated_at = NUMBERED, now, now
        letter.signer_id, letter.signer_name, letter.signature = user.id, name[:200], lines
        event(tenant, letter, actor, "numbered", number)
        audit(tenant, actor, "eoffice.letter.number", "letter", letter.id,
              after={"number": number, "serial": got.serial, "year": got.local.year, "signature": lines,
                     "unit": letter.unit_code, "drafted_in": letter.drafting_unit_code})
        db.session.flush()
    return letter


def may_finish(tenant, letter: Letter, user) -> bool:
    """Whether ``user`` may finish the signature of a numbered letter: the one who approved it, or
    another holder of the signing position today."""
    if letter.signer_id is not None and user is not None and letter.signer_id == user.id:
        return True
    return bool(letter.steps) and any(p["code"] == letter.steps[-1] for p in positions_of(tenant, user))


def finish_signing(tenant, actor, letter_id, *, signer=None) -> Letter:
    """Render the numbered letter on the letterhead, sign it (PAdES, through
    ``core.kit.documents``), register it, file it: status ``signed``. In the caller's transaction,
    which holds no counter lock (only this letter's row). Raises ``PamongError`` ``already_signed``
    (signed before), ``not_numbered`` (no number taken yet), ``not_signer``;
    ``documents.SigningError`` or ``ValidationError`` from the documents service: the caller rolls
    back and the letter stays ``numbered`` with its number, to be finished again."""
    letter = get_letter(tenant, letter_id, change=True)
    if letter.status in (SIGNED, "sent"):
        raise PamongError(_l("This letter is already signed."), where="step", code="already_signed")
    if letter.status != NUMBERED:
        raise PamongError(_l("This letter has no number yet: it is not awaiting its signature."), where="step",
                          code="not_numbered")
    if not may_finish(tenant, letter, actor.user):
        raise PamongError(_l("You do not hold the position of this step."), where="step", code="not_signer")
    lines, number = letter.signature, letter.number
    kop_official = signature.kop_official(lines, signature.role_of(settings_of(tenant),
                                                                   letter.steps[-1] if letter.steps else ""))
    with tenant_scope(tenant):
        recipients = list(db.session.execute(db.select(Recipient).where(Recipient.letter_id == letter.id)
                                             .order_by(Recipient.id)).scalars())
        context = {"letter": letter, "kind": letter_types(tenant).get(letter.letter_type, {}),
                   "classification": classifications(tenant).get(letter.classification, {}),
                   "to": [r.name for r in recipients if r.kind == "to"],
                   "cc": [r.name for r in recipients if r.kind == "cc"], "signature_lines": lines,
                   "attachments": len(attachments.of(tenant, letter)), "place": place(tenant),
                   "signer": _signer_identity(tenant, letter), "issuer": signature.issuer(lines),
                   "kop_official": kop_official,
                   # the kop's emblem by its kind (the tenant's logo when the setting is empty)
                   "emblem": emblem(tenant, "kepala_daerah" if kop_official else "agency")}
        doc = documents.issue(tenant, f"eoffice-{letter.year}", number, letter.subject, TEMPLATE, context,
                              signature.one_line(lines), actor, signer_name=letter.signer_name or None, signer=signer,
                              locale="id")  # naskah dinas are written in Indonesian (Permendagri 1/2023)
        letter.status, letter.updated_at = SIGNED, utcnow()
        letter.document_code = doc.code
        db.session.flush()
        file_letter(tenant, actor, letter)
        event(tenant, letter, actor, "signed", number)
        audit(tenant, actor, "eoffice.letter.sign", "letter", letter.id,
              after={"number": number, "document": doc.id, "signature": lines})
        db.session.flush()
    return letter


def _signer_identity(tenant, letter: Letter) -> dict:
    """The signer's name, rank and NIP as the signature block prints them
    (``signature.identity``, Permendagri 1/2023 Pasal 44: with or without gelar, NIP and rank by
    the signing position's role, the acting kind the block was written with and the layout);
    rank and NIP None when the signer is unknown or has none."""
    user = db.session.get(User, letter.signer_id) if letter.signer_id else None
    official = official_identity(user) if user is not None else {"name": letter.signer_name, "nip": None, "rank": None}
    layout = letter_types(tenant).get(letter.letter_type, {}).get("layout") or "surat"
    role = signature.role_of(settings_of(tenant), letter.steps[-1] if letter.steps else "")
    return signature.identity(official, layout=layout, role=role, acting=signature.acting_of(letter.signature))


def sign(tenant, actor, letter_id, step: int, *, signer=None) -> Letter:
    """Sign in two transactions, committing each (the caller's open work is committed first):

    1. ``take_number``: the last step approved and the number taken; committed at once, so the
       counter row is locked for milliseconds, not for the rendering;
    2. ``finish_signing``: the PDF rendered, signed (PAdES), registered and filed; committed.

    A refusal in (1) changes nothing (rolled back, raised). A failure in (2) (the signer service
    down, ...) is rolled back and raised: the letter stays ``numbered`` with its number (a number
    once taken stays with its letter: gap-free), and ``finish_signing`` completes it later (the
    letter page's *Finish signing*, or the periodic ``eoffice_finish_signatures`` job).
    ``signer``: a ``documents.Signer`` to use instead of the tenant's (tests). Returns the letter."""
    try:
        take_number(tenant, actor, letter_id, step)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    try:
        letter = finish_signing(tenant, actor, letter_id, signer=signer)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return letter
