"""Inbound SMS, as the gateway delivered them, with how each was routed."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..crypto import EncryptedText
from ..extensions import db
from ..tenancy.models import utcnow
from ..tenancy.scope import TenantOwned

HANDLED, UNKNOWN, REJECTED, ERROR = "handled", "unknown", "rejected", "error"
RECEIVED, FAILED = "received", "failed"  # stored, not yet processed / processing raised (see service.py)


class InboundSms(TenantOwned, db.Model):
    """One SMS received for a tenant. Sender and text are personal data: encrypted at rest."""

    __tablename__ = "inbound_sms"
    __table_args__ = (
        UniqueConstraint("tenant_id", "signature"),  # the same signed request twice is a replay
        Index("ix_inbound_sms_tenant_time", "tenant_id", "received_at"),
        Index("ix_inbound_sms_tenant_sender", "tenant_id", "sender_hash"),
    )

    sender: Mapped[str] = mapped_column(EncryptedText)
    sender_hash: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(EncryptedText)
    keyword: Mapped[str] = mapped_column(String(32), default="")
    module: Mapped[str | None] = mapped_column(String(63))  # the module whose handler answered
    status: Mapped[str] = mapped_column(String(10), default=UNKNOWN)  # received/handled/unknown/rejected/error/failed
    # the gateway's request as it came (content type and body), stored before anything can fail, so
    # that a message whose processing failed can be processed again (``pamong sms reprocess``)
    payload: Mapped[str | None] = mapped_column(EncryptedText, nullable=True)
    error: Mapped[str | None] = mapped_column(String(500), nullable=True)  # why processing failed
    reply_id: Mapped[int | None] = mapped_column(Integer)  # the outbox message of the reply
    signature: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:  # never the sender or the text
        return f"<InboundSms {self.id} {self.keyword} {self.status}>"
