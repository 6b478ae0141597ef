"""An officer redacts text (the description, the address, a note on the timeline) or hides a photo
that would identify someone; the original is kept for auditors only.

Where the original goes, and why not into the core audit trail: that trail is readable by the
tenant's admins too (``core.audit.read``), so a redacted phone number written there would reach
them. The original is kept instead in ``complaint_redactions`` (the text encrypted at rest; a
hidden photo simply stays in storage), readable only with ``complaints.read_redacted``, which the
module grants to the auditor role alone. The audit entry records the redaction's id, what was
redacted, the reason and a digest of the original: the sealed chain proves that the kept original
was not changed afterwards, without disclosing it. Text is digested with the deployment's keyed
hash, since a plain SHA-256 of a short text (a phone number) could be confirmed by guessing;
a photo with SHA-256 of its bytes. Reading the originals is audited too.
"""
from __future__ import annotations

import hashlib
from datetime import datetime

from core.kit import (
    NotFound, User, ValidationError, audit, db, has_permission, keyed_hash, tenant_scope, utcnow,
)

from . import photos as photo_store
from .access import Forbidden, may_handle
from .models import Complaint, ComplaintPhoto, ComplaintRedaction
from .services import MAX_DESCRIPTION, TAG, clean_text

TEXT_LIMITS = {"description": MAX_DESCRIPTION, "address": 300, "event": 1000}
PERMISSION = "complaints.read_redacted"


def text_digest(text: str) -> str:
    return keyed_hash("complaints.redaction:" + (text or ""))


def _require_officer(tenant, actor, complaint: Complaint) -> None:
    if not (isinstance(actor, User) and may_handle(tenant, actor, complaint)):
        raise Forbidden("only an officer handling this complaint may redact it", where="complaint")


def redact_text(tenant, actor, complaint: Complaint, target: str, new_text: str, reason: str,
                event_id: int | None = None, now: datetime | None = None) -> ComplaintRedaction:
    """Replace ``target`` ("description", "address" or "event" with ``event_id``) by ``new_text``."""
    now = now or utcnow()
    with tenant_scope(tenant):
        _require_officer(tenant, actor, complaint)
        if target not in TEXT_LIMITS:
            raise ValidationError("must be description, address or event", where="target", code="invalid_target")
        reason = clean_text(reason, "reason", 500, required=True)
        event = None
        if target == "event":
            event = next((e for e in complaint.events if e.id == event_id), None)
            if event is None:
                raise NotFound("no such entry on this complaint's timeline", where="event")
            original = event.note
        else:
            original = getattr(complaint, target)
        new_text = clean_text(new_text, "text", TEXT_LIMITS[target], required=target == "description")
        if TAG.search(new_text):
            raise ValidationError("may not contain HTML", where="text", code="html_not_allowed")
        if new_text == (original or ""):
            raise ValidationError("is unchanged: nothing to redact", where="text", code="unchanged")
        row = ComplaintRedaction(
            complaint_id=complaint.id, target=target, event_id=event.id if event else None,
            original_text=original or "", digest=text_digest(original), reason=reason, actor_id=actor.id, at=now,
        )
        db.session.add(row)
        if event is not None:
            if complaint.status_note == event.note:
                complaint.status_note = new_text[:1000]
            event.note = new_text
        else:
            setattr(complaint, target, new_text)
        complaint.updated_at = now
        db.session.flush()
        audit(tenant, actor, "complaints.redact", "complaint", complaint.number, after={
            "target": target, "event": row.event_id, "redaction": row.id, "original_digest": row.digest,
            "reason": reason,
        })
        return row


def hide_photo(tenant, actor, photo: ComplaintPhoto, reason: str, now: datetime | None = None) -> ComplaintRedaction:
    """Hide a photo from everyone but auditors; the file stays in storage."""
    now = now or utcnow()
    with tenant_scope(tenant):
        complaint = photo.complaint
        _require_officer(tenant, actor, complaint)
        reason = clean_text(reason, "reason", 500, required=True)
        if photo.hidden:
            raise ValidationError("this photo is already hidden", where="photo", code="unchanged")
        digest = hashlib.sha256(photo_store.load(photo.storage_key)).hexdigest()
        row = ComplaintRedaction(complaint_id=complaint.id, target="photo", photo_id=photo.id,
                                 original_key=photo.storage_key, digest=digest, reason=reason, actor_id=actor.id, at=now)
        db.session.add(row)
        photo.hidden = True
        complaint.updated_at = now
        db.session.flush()
        audit(tenant, actor, "complaints.hide_photo", "complaint", complaint.number, after={
            "photo": photo.id, "redaction": row.id, "original_digest": digest, "reason": reason,
        })
        return row


def may_read_originals(tenant, actor) -> bool:
    return isinstance(actor, User) and has_permission(actor, tenant, PERMISSION)


def originals(tenant, actor, complaint: Complaint) -> list[ComplaintRedaction]:
    """Every redaction of the complaint with its original, for an auditor; the reading is audited."""
    if not may_read_originals(tenant, actor):
        raise Forbidden("only auditors may read redacted originals", where="complaint")
    with tenant_scope(tenant):
        rows = list(db.session.execute(
            db.select(ComplaintRedaction).where(ComplaintRedaction.complaint_id == complaint.id)
            .order_by(ComplaintRedaction.id)
        ).scalars())
        audit(tenant, actor, "complaints.read_redacted", "complaint", complaint.number,
              after={"redactions": [r.id for r in rows]})
    return rows


def original_photo(tenant, actor, redaction_id: int) -> tuple[ComplaintRedaction, bytes, str]:
    """(redaction, bytes, content type) of a hidden photo, for an auditor."""
    if not may_read_originals(tenant, actor):
        raise Forbidden("only auditors may read redacted originals", where="complaint")
    with tenant_scope(tenant):
        row = db.session.get(ComplaintRedaction, redaction_id)
        if row is None or row.tenant_id != tenant.id or row.target != "photo":
            raise NotFound("no such hidden photo", where="redaction")
        photo = db.session.get(ComplaintPhoto, row.photo_id) if row.photo_id else None
    return row, photo_store.load(row.original_key), photo.content_type if photo else "application/octet-stream"


def matches_digest(row: ComplaintRedaction) -> bool:
    """The kept original still has the digest the audit trail recorded."""
    if row.target == "photo":
        try:
            return hashlib.sha256(photo_store.load(row.original_key)).hexdigest() == row.digest
        except Exception:  # noqa: BLE001 - a missing file does not match
            return False
    return text_digest(row.original_text or "") == row.digest


__all__ = ["hide_photo", "may_read_originals", "matches_digest", "original_photo", "originals", "redact_text"]
