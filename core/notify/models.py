"""The notification outbox (DESIGN §6): one row per message, written in the business transaction."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..crypto import EncryptedText
from ..extensions import db
from ..tenancy.models import utcnow
from ..tenancy.scope import TenantOwned

CHANNELS = ("sms", "email", "tenant")  # tenant: a post to another tenant (tenant_post.py)
PENDING, SENT, FAILED = "pending", "sent", "failed"  # failed: dead, after the last attempt
STATUSES = (PENDING, SENT, FAILED)


class OutboxMessage(TenantOwned, db.Model):
    """An SMS or e-mail waiting for (or done with) delivery. The recipient is encrypted at rest;
    ``recipient_hash`` (a keyed hash) finds a person's messages without decrypting."""

    __tablename__ = "outbox_messages"
    __table_args__ = (
        Index("ix_outbox_messages_tenant_due", "tenant_id", "status", "next_attempt_at"),
        Index("ix_outbox_messages_tenant_ref", "tenant_id", "ref"),
        Index("ix_outbox_messages_tenant_recipient", "tenant_id", "recipient_hash"),
    )

    channel: Mapped[str] = mapped_column(String(8))
    recipient: Mapped[str] = mapped_column(EncryptedText)
    recipient_hash: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(8), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_error: Mapped[str | None] = mapped_column(String(500))
    provider: Mapped[str | None] = mapped_column(String(32))
    provider_ref: Mapped[str | None] = mapped_column(String(100))  # the gateway's message id
    ref: Mapped[str | None] = mapped_column(String(100))  # e.g. "complaints:123"
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    def __repr__(self) -> str:  # never the recipient
        return f"<OutboxMessage {self.id} {self.channel} {self.status}>"
