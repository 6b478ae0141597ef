"""``notify()``: put an SMS or e-mail in the outbox, in the caller's transaction.

The row commits or rolls back with the business change that caused it. After the commit, a
background task delivers it (``delivery.deliver``); the periodic sweep retries what is due.
"""
from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from ..after_commit import after_commit, runs_after_commit
from ..crypto import keyed_hash
from ..errors import ValidationError
from ..extensions import db
from ..sms.phone import normalise_phone
from ..tenancy.scope import tenant_scope
from .models import CHANNELS, OutboxMessage

MAX_BODY = {"sms": 1600, "email": 100_000, "tenant": 8_000_000}  # tenant: JSON (tenant_post.py)  # an SMS of 1,600 characters is ten segments
_KIND = "outbox_delivery"  # items: (tenant id, message id) of the messages a transaction queued


def normalise_email(raw: str, where: str = "to") -> str:
    """A syntactically valid address, domain lower-cased (``email-validator``; no DNS lookup).
    ``.test`` domains are accepted: the demo's accounts use them."""
    value = (raw or "").strip()
    try:
        return validate_email(value, check_deliverability=False, test_environment=True).normalized
    except EmailNotValidError:
        raise ValidationError("is not an e-mail address", where=where, code="invalid_email") from None


def normalise_recipient(channel: str, to: str) -> str:
    if channel == "sms":
        return normalise_phone(to, where="to")
    if channel == "tenant":
        from .tenant_post import receiver

        return receiver(to).slug
    return normalise_email(to)


def notify(tenant, channel: str, to: str, body: str, subject: str = "", ref: str | None = None) -> OutboxMessage:
    """Queue a message to ``to`` for ``tenant``; delivered after the current transaction commits.

    ``channel`` is "sms" (``to`` an Indonesian phone number in any usual spelling) or "email".
    A bad channel, recipient or body raises ValidationError and adds nothing.
    """
    if channel not in CHANNELS:
        raise ValidationError(f"unknown channel '{channel}' (one of: {', '.join(CHANNELS)})", where="channel")
    recipient = normalise_recipient(channel, to)
    body = (body or "").strip()
    if not body:
        raise ValidationError("is empty", where="body")
    if len(body) > MAX_BODY[channel]:
        raise ValidationError(f"is longer than {MAX_BODY[channel]} characters", where="body")
    subject = " ".join((subject or "").split())
    if len(subject) > 200:
        raise ValidationError("is longer than 200 characters", where="subject")
    if ref is not None and len(ref) > 100:
        raise ValidationError("is longer than 100 characters", where="ref")
    tenant_id = tenant if isinstance(tenant, int) else tenant.id
    message = OutboxMessage(
        tenant_id=tenant_id, channel=channel, recipient=recipient, recipient_hash=keyed_hash(recipient),
        subject=subject, body=body, ref=ref,
    )
    with tenant_scope(tenant_id):
        db.session.add(message)
        db.session.flush()
    after_commit(db.session, _KIND, [(tenant_id, message.id)])  # delivered once committed
    return message


@runs_after_commit(_KIND)
def _queue_delivery(queued: set) -> None:
    from ..jobs import deliver_notification

    for tenant_id, message_id in sorted(queued):
        deliver_notification(tenant_id, message_id)
