"""The register of official documents, per tenant (issue 13.1)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..tenancy.models import utcnow
from ..tenancy.scope import TenantOwned

STATUSES = ("valid", "revoked")


class Document(TenantOwned, db.Model):
    """One signed document as issued: what it is, who signed it, the SHA-256 of the signed file and
    where the file is stored. ``code`` is the unguessable part of its public verification URL.

    ``status`` is ``valid`` or ``revoked`` (with ``revoked_reason``); a valid document past
    ``expires_at`` reads as ``expired`` (``state``). Rows are never deleted."""

    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint("tenant_id", "code", name="uq_documents_tenant_id_code"),
        UniqueConstraint("tenant_id", "kind", "number", name="uq_documents_tenant_id_kind_number"),
        Index("ix_documents_tenant_id_signed_at", "tenant_id", "signed_at"),
    )

    kind: Mapped[str] = mapped_column(String(32))
    number: Mapped[str] = mapped_column(String(100))
    subject: Mapped[str] = mapped_column(String(300))
    signer_name: Mapped[str] = mapped_column(String(200))
    signer_position: Mapped[str] = mapped_column(String(200))
    signed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(16), default="valid")
    revoked_reason: Mapped[str] = mapped_column(Text, default="")
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    storage_key: Mapped[str] = mapped_column(String(120))
    code: Mapped[str] = mapped_column(String(64))
    signer_kind: Mapped[str] = mapped_column(String(16))  # local | bsre
    issued_by: Mapped[str] = mapped_column(String(254), default="")

    def state(self, now: datetime | None = None) -> str:
        """``valid``, ``revoked`` or ``expired`` (valid but past ``expires_at``)."""
        if self.status == "revoked":
            return "revoked"
        if self.expires_at is not None:
            expires = self.expires_at if self.expires_at.tzinfo else self.expires_at.replace(tzinfo=utcnow().tzinfo)
            if (now or utcnow()) >= expires:
                return "expired"
        return "valid"
