"""Delivery and disposition (issue 14.5): a signed letter is sent to its addressees' inboxes
(officers of the addressed units and holders of the addressed positions are told through the
core's outbox); opening it marks it read; an official who received it disposes it down to someone
below their position (``hierarchy``) with an instruction and a due date (disposisi, the tenant's local date), who
reports the follow-up (tindak lanjut). Every step audited and on the letter's timeline."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from core.kit import (
    NotFound, OrgUnit, User, ValidationError, audit, db, documents, for_change, holders_of,
    lazy_gettext as _l, local_date, members_of, notify, tenant_scope, tenant_url, utcnow,
)

from .access import get_letter, involvement, readable_letter, who
from .drafting import event, shown_name
from .hierarchy import known_person, subordinates
from .models import DONE, OPEN, SENT, SIGNED, Disposition, Recipient
from .settings import settings_of


def revocation(tenant, letter):
    """The core's register entry of ``letter``'s signed PDF if it was revoked (``pamong documents
    revoke``, the admin's *Signed documents*): it has ``revoked_reason`` and ``revoked_at``; for a
    letter from another government its sender revoked (``revocation.py``), the same two facts as
    that government told them; else None."""
    if letter.origin_revoked_at is not None:
        return SimpleNamespace(revoked_reason=letter.origin_revoked_reason, revoked_at=letter.origin_revoked_at)
    if not letter.document_code:
        return None
    doc = documents.find(tenant, letter.document_code)
    return doc if doc is not None and doc.status == "revoked" else None


def refuse_revoked(tenant, letter) -> None:
    """A revoked letter is not distributed any further (sent, disposed): ``ValidationError``
    ``revoked`` naming the reason."""
    doc = revocation(tenant, letter)
    if doc is not None:
        raise ValidationError(_l("This letter was revoked (%(reason)s): it is not distributed any more.",
                                 reason=doc.revoked_reason), where="letter", code="revoked")


def send(tenant, actor, letter_id):
    """The drafter or an officer of the issuing unit (or a system job) sends a signed letter: it reaches the
    addressees' and copies' inboxes, and their officers / position holders get an e-mail."""
    letter = get_letter(tenant, letter_id, change=True)
    me = who(tenant, actor)
    if not involvement(tenant, letter, me) & {"drafter", "unit"} and actor.kind != "system":
        raise ValidationError(_l("Only the issuing unit sends its letters."), where="letter", code="not_sender")
    if letter.status != SIGNED:
        raise ValidationError(_l("Only a signed letter that is not yet sent can be sent."), where="letter",
                              code="not_signed" if letter.status != SENT else "already_sent")
    refuse_revoked(tenant, letter)
    now = utcnow()
    with tenant_scope(tenant):
        letter.status, letter.sent_at, letter.updated_at = SENT, now, now
        recipients = list(db.session.execute(db.select(Recipient).where(Recipient.letter_id == letter.id)).scalars())
        units = {u.code: u.id for u in db.session.execute(db.select(OrgUnit)).scalars()}
        told = set()
        for r in recipients:
            people = members_of(tenant, "officer", units[r.unit_code]) if r.unit_code in units else \
                holders_of(tenant, r.position_code) if r.position_code else []
            for person in people:
                if person.email not in told:
                    told.add(person.email)
                    notify(tenant, "email", person.email,
                           f"{letter.number}: {letter.subject}\n{tenant_url(tenant, f'/eoffice/letters/{letter.id}')}",
                           subject=f"Naskah dinas masuk: {letter.number}", ref=f"eoffice:{letter.id}")
        posted = []
        if any(r.tenant_slug for r in recipients):  # other tenants: through the core's post (crossing.py)
            from core.kit import storage

            from .crossing import post_letter

            doc = documents.find(tenant, letter.document_code or "")
            if doc is None:
                raise ValidationError(_l("The signed PDF of this letter is missing."), where="letter", code="no_pdf")
            posted = post_letter(tenant, actor, letter, recipients, storage().get(doc.storage_key, tenant=tenant),
                                 documents.verification_url(tenant, doc.code))
        event(tenant, letter, actor, "sent", ", ".join(r.name for r in recipients))
        audit(tenant, actor, "eoffice.letter.send", "letter", letter.id,
              after={"number": letter.number, "recipients": [r.name for r in recipients], "notified": len(told),
                     "posted": len(posted)})
        db.session.flush()
    return letter


def mark_read(tenant, actor, letter) -> int:
    """The reader opened ``letter``: every unread addressee row of theirs becomes read (the first
    time only: audited ``eoffice.letter.read``). Returns how many rows changed."""
    if letter.status != SENT:
        return 0
    me = who(tenant, actor)
    if letter.incoming and letter.drafter_id is not None and letter.drafter_id == me.user_id:
        return 0  # who registered an incoming letter has not read it for the unit (register.py)
    changed = 0
    with tenant_scope(tenant):
        rows = db.session.execute(for_change(db.select(Recipient).where(
            Recipient.letter_id == letter.id, Recipient.read_at.is_(None)), Recipient)).scalars()
        for r in rows:
            if (r.unit_code and r.unit_code in me.unit_codes) or (r.position_code and r.position_code in me.positions):
                r.read_at, r.read_by = utcnow(), me.user_id
                changed += 1
        if changed:
            event(tenant, letter, actor, "read")
            audit(tenant, actor, "eoffice.letter.read", "letter", letter.id, after={"rows": changed})
            db.session.flush()
    return changed


def _open_for(tenant, letter) -> set[int]:
    with tenant_scope(tenant):
        return set(db.session.execute(db.select(Disposition.to_id).where(
            Disposition.letter_id == letter.id, Disposition.status == OPEN)).scalars())


def targets(tenant, actor, letter) -> list[User]:
    """Whom ``actor`` may dispose ``letter`` to (the form's choices): the people below them
    (``hierarchy.subordinates``, the rule the service checks) but those already holding an open
    disposition of it."""
    skip = _open_for(tenant, letter)
    return [p for p in subordinates(tenant, actor) if p.id not in skip]


def latest_due(today: date) -> date:
    """The latest due date a disposition may have: one year after ``today`` (the tenant's date;
    29 February gives 28 February)."""
    try:
        return today.replace(year=today.year + 1)
    except ValueError:
        return today.replace(year=today.year + 1, day=28)


def mail_day(value: date) -> str:
    """A date in the module's e-mails, which are written in Indonesian: "6 Desember 2026"."""
    from babel.dates import format_date

    return format_date(value, "long", locale="id")


def _day(value: date) -> str:
    """A date as the reader reads it on a page ("4 Des 2026"), ISO elsewhere (the CLI, jobs)."""
    from flask import has_request_context

    if not has_request_context():
        return value.isoformat()
    from flask_babel import format_date

    return format_date(value, format="medium")


def _parent(tenant, letter, me, parent_id) -> Disposition | None:
    """The disposition to ``me`` this one passes down: ``parent_id`` (which must be one to them),
    else their latest open one of the letter, else None (a first disposition)."""
    with tenant_scope(tenant):
        query = db.select(Disposition).where(Disposition.letter_id == letter.id, Disposition.to_id == me.user_id)
        if parent_id:
            try:
                key = int(parent_id)
            except (TypeError, ValueError):
                key = None
            found = db.session.execute(query.where(Disposition.id == key)).scalar_one_or_none() if key else None
            if found is None:
                raise ValidationError(_l("That is not a disposition to you."), where="parent")
            return found
        return db.session.execute(query.where(Disposition.status == OPEN).order_by(Disposition.id.desc())
                                  .limit(1)).scalar_one_or_none()


def dispose(tenant, actor, letter_id, to_user_id, instruction: str, due_on: date | None = None,
            parent_id=None) -> Disposition:
    """A receiver of the sent letter (an addressee, a copy, or the holder of an open disposition of
    it) who holds a position hands it down to ``to_user_id`` (someone below their position:
    ``hierarchy.subordinates``, the rule the letter page offers) with ``instruction`` and
    ``due_on`` (default: the tenant's ``disposition_days`` from today, no later than the
    disposition it passes down). A disposition held by the actor is passed down (``parent_id``,
    else their latest open one of the letter): the chain kadis → kabid → staff is kept.

    Refused, naming the field (``to``, ``instruction``, ``due_on``, ``parent``, ``letter``):
    ``not_receiver``; ``no_position`` (someone without a position disposes to nobody: they report
    the follow-up); ``not_down`` (not below the actor: a superior, a peer, themselves; disposisi
    goes down, Permendagri 1/2023); ``unknown_colleague`` (nobody chosen, or not a person of the
    tenant); ``already_disposed`` (they hold an open disposition of the letter already);
    ``after_parent`` (due after the disposition it passes down, unless that one is overdue: then
    by today at the latest); ``too_late`` (due more than a year ahead, ``latest_due``); a due date
    in the past."""
    letter, me = readable_letter(tenant, actor, letter_id, change=True)
    how = involvement(tenant, letter, me)
    if letter.status != SENT or not how & {"to", "cc", "disposition"}:
        raise ValidationError(_l("Only those who received the letter dispose it."), where="letter", code="not_receiver")
    refuse_revoked(tenant, letter)
    if not me.positions:
        raise ValidationError(_l("A disposition goes from an official to those below their position: you hold "
                                 "no position, so you do not dispose letters."), where="to", code="no_position")
    instruction = (instruction or "").strip()
    if not instruction or len(instruction) > 2000:
        raise ValidationError(_l("Write the instruction (at most 2000 characters)."), where="instruction")
    parent = _parent(tenant, letter, me, parent_id)
    today = local_date(tenant, utcnow())
    latest = max(parent.due_on, today) if parent is not None else None
    if due_on is None:
        from datetime import timedelta

        due_on = today + timedelta(days=settings_of(tenant)["disposition_days"])
        due_on = min(due_on, latest) if latest else due_on
    if due_on < today:
        raise ValidationError(_l("The due date is in the past."), where="due_on")
    if due_on > latest_due(today):
        raise ValidationError(_l("The due date is at most one year ahead: %(day)s at the latest.",
                                 day=_day(latest_due(today))), where="due_on", code="too_late")
    if latest and due_on > latest:
        raise ValidationError(_l("The due date is after that of the disposition you received (%(day)s).",
                                 day=_day(latest)), where="due_on", code="after_parent")
    target = next((p for p in subordinates(tenant, actor) if str(p.id) == str(to_user_id)), None)
    if target is None:
        named = known_person(tenant, to_user_id)
        if named is None:
            raise ValidationError(_l("Choose someone below your position."), where="to", code="unknown_colleague")
        raise ValidationError(_l("A disposition goes down the hierarchy: %(name)s is not below your position.",
                                 name=named.name or named.email), where="to", code="not_down")
    if target.id in _open_for(tenant, letter):
        raise ValidationError(_l("%(name)s already has an open disposition of this letter.",
                                 name=target.name or target.email), where="to", code="already_disposed")
    with tenant_scope(tenant):
        row = Disposition(letter_id=letter.id, parent_id=parent.id if parent else None, from_id=me.user_id,
                          from_name=shown_name(actor), to_id=target.id, to_name=(target.name or target.email)[:254],
                          instruction=instruction, due_on=due_on, status=OPEN)
        db.session.add(row)
        db.session.flush()
        event(tenant, letter, actor, "disposed", data={"to": row.to_name, "instruction": instruction,
                                                       "due_on": due_on.isoformat()})
        audit(tenant, actor, "eoffice.disposition.create", "letter", letter.id,
              after={"disposition": row.id, "parent": row.parent_id, "to": target.email, "instruction": instruction,
                     "due_on": due_on.isoformat()})
        notify(tenant, "email", target.email, f"{letter.number}: {instruction} (batas waktu {mail_day(due_on)})",
               subject=f"Disposisi: {letter.number}", ref=f"eoffice:{letter.id}")
    return row


def dispose_to_each(tenant, actor, letter_id, to_user_ids, instruction: str, due_on: date | None = None,
                    parent_id=None) -> list[Disposition]:
    """``dispose`` to each of ``to_user_ids`` (the same instruction and due date; each
    disposition of its own, followed up on its own), in the caller's transaction: all of them or,
    on the first refusal, none (the caller rolls back). ``ValidationError`` ``where="to"`` when
    nobody is chosen; otherwise ``dispose``'s."""
    chosen = []
    for raw in to_user_ids or ():
        if str(raw).strip() and str(raw).strip() not in chosen:
            chosen.append(str(raw).strip())
    if not chosen:
        raise ValidationError(_l("Choose someone below your position."), where="to", code="unknown_colleague")
    return [dispose(tenant, actor, letter_id, to, instruction, due_on, parent_id=parent_id) for to in chosen]


def follow_up(tenant, actor, disposition_id, note: str, report: tuple[str, bytes] | None = None) -> Disposition:
    """The person a disposition is for reports its follow-up (tindak lanjut), which closes it;
    ``report``: ``(filename, bytes)`` of the report that goes with it, optional, a PDF of at most 5 MB
    (``ValidationError`` ``where="report"``, ``not_pdf`` / ``too_large``), stored for the tenant
    (``stored.put``: removed again if the follow-up is not saved)."""
    from . import attachments, stored

    note = (note or "").strip()
    if not note or len(note) > 4000:
        raise ValidationError(_l("Write what was done (at most 4000 characters)."), where="follow_up")
    try:
        files = attachments.check([report] if report and report[1] else [])
    except ValidationError as exc:
        raise ValidationError(exc.message, where="report", code=exc.code) from None
    uid = getattr(actor.user, "id", None)
    with tenant_scope(tenant):
        try:
            key = int(disposition_id)
        except (TypeError, ValueError):
            raise NotFound("no such disposition", code="disposition_not_found") from None
        row = db.session.execute(for_change(db.select(Disposition).where(Disposition.id == key), Disposition)) \
            .scalar_one_or_none()
        if row is None or row.to_id != uid:
            raise NotFound("no such disposition", code="disposition_not_found")
        if row.status == DONE:
            raise ValidationError(_l("Its follow-up is already reported."), where="follow_up", code="already_done")
        row.status, row.follow_up, row.followed_up_at = DONE, note, utcnow()
        if files:
            (name, data), = files
            row.report_key, row.report_name = stored.put(tenant, data, name), name
        letter = get_letter(tenant, row.letter_id)
        event(tenant, letter, actor, "followed_up", note)
        audit(tenant, actor, "eoffice.disposition.follow_up", "letter", row.letter_id,
              after={"disposition": row.id, "note": note,
                     "report": {"filename": files[0][0], "size": len(files[0][1])} if files else None})
        db.session.flush()
    return row
