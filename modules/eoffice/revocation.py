"""A revoked letter, told to the other governments it went to (trial t14h). The core's register
revokes a signed PDF (``pamong documents revoke``, the admin's *Signed documents*) and publishes
``document.revoked`` in the same transaction (``core.events``). The sender's module then posts
``eoffice.revoked`` (``core.kit.tenant_post``) to each tenant the letter was posted to, naming the
letter's post; the receiver marks its incoming letter revoked with the sender's reason
(``Letter.origin_revoked_at``, ``origin_revoked_reason``): it is marked on its page and in the
lists, no longer disposed, and left out of the figures' letters in, as the sender's own letter is.

Audited on both sides: ``eoffice.revocation.post`` (sender), ``eoffice.letter.revoked_by_sender``
(receiver). A revocation posted before its letter arrived is tried again by the outbox
(``crossing.NotYetArrived``); one delivered twice changes nothing the second time."""
from __future__ import annotations

from core.kit import ValidationError, audit, db, tenant_post, tenant_scope, utcnow

from .crossing import NotYetArrived
from .models import Letter, Recipient

EVENT = "eoffice.revoked"


def tell_receivers(tenant, actor, payload: dict) -> list[int] | None:
    """The sender's side, on ``document.revoked`` of one of its letters' signed PDFs: one post per
    tenant the letter was posted to (as addressee or copy); returns their outbox ids (None: not a
    letter of this module's)."""
    code = payload.get("code")
    if not str(payload.get("kind") or "").startswith("eoffice-") or not code:
        return None
    with tenant_scope(tenant):
        letter = db.session.execute(db.select(Letter).where(Letter.document_code == code)).scalar_one_or_none()
        if letter is None:
            return None
        posted = list(db.session.execute(db.select(Recipient).where(
            Recipient.letter_id == letter.id, Recipient.tenant_slug.is_not(None), Recipient.post_id.is_not(None))
            .order_by(Recipient.id)).scalars())
    ids = []
    for r in posted:
        message = tenant_post.post(tenant, r.tenant_slug, EVENT, {
            "letter_post": f"{tenant.id}:{r.post_id}", "number": letter.number,
            "reason": str(payload.get("reason") or ""), "revoked_at": utcnow().isoformat(),
        }, ref=f"eoffice:{letter.id}:revoked")
        with tenant_scope(tenant):
            audit(tenant, actor, "eoffice.revocation.post", "letter", letter.id,
                  after={"to": r.tenant_slug, "number": letter.number, "letter_post": r.post_id, "post": message.id})
        ids.append(message.id)
    return ids


def receive(tenant, actor, event) -> dict:
    """The receiver's side of ``eoffice.revoked``: its incoming letter of that post marked revoked,
    with the sender's reason, once. ``ValidationError`` ``bad_revocation`` for a post that names
    no letter of its sender (refused for good); ``NotYetArrived`` while the letter has not arrived."""
    payload, origin = event.get("payload") or {}, event["from_tenant"]
    letter_post = str(payload.get("letter_post") or "")[:40]
    if not letter_post.startswith(f"{origin['id']}:"):  # a sender revokes its own letters only
        raise ValidationError("the revocation names no letter of its sender", where="letter_post",
                              code="bad_revocation")
    with tenant_scope(tenant):
        letter = db.session.execute(db.select(Letter).where(Letter.origin_ref == letter_post)).scalar_one_or_none()
        if letter is None:
            raise NotYetArrived(f"the letter of post {letter_post} has not arrived yet")
        if letter.origin_revoked_at is not None:
            return {"accepted": "revoked"}  # delivered before
        reason = " ".join(str(payload.get("reason") or "").split())[:1000]
        letter.origin_revoked_at, letter.origin_revoked_reason = utcnow(), reason
        letter.updated_at = letter.origin_revoked_at
        audit(tenant, actor, "eoffice.letter.revoked_by_sender", "letter", letter.id,
              before={"revoked": False},
              after={"revoked": True, "from": origin["slug"], "number": letter.origin_number, "reason": reason,
                     "post": str(event.get("message") or "")[:40]})
        db.session.flush()
    return {"accepted": "revoked"}
