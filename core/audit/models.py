from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..tenancy.models import utcnow
from ..tenancy.scope import TenantOwned


class AuditEntry(TenantOwned, db.Model):
    """One accountable change. ``seq``/``prev_hash``/``hash`` are set once, by the sealer."""

    __tablename__ = "audit_entries"
    __table_args__ = (
        UniqueConstraint("tenant_id", "seq"),
        Index("ix_audit_entries_tenant_time", "tenant_id", "occurred_at"),
        Index("ix_audit_entries_tenant_object", "tenant_id", "object_type", "object_id"),
        Index("ix_audit_entries_tenant_unsealed", "tenant_id", "id", sqlite_where=text("seq IS NULL"), postgresql_where=text("seq IS NULL")),
    )

    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(254))  # e-mail, "cli:root", "system", "token:NAME"
    action: Mapped[str] = mapped_column(String(100))  # e.g. "tenant.module.enable"
    object_type: Mapped[str] = mapped_column(String(63))
    object_id: Mapped[str] = mapped_column(String(63))
    summary: Mapped[dict] = mapped_column(JSON, default=dict)  # {"before": ..., "after": ...}
    seq: Mapped[int | None] = mapped_column(Integer)
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64))

    def canonical(self) -> dict:
        """The fields the chain commits to."""
        return canonical_fields(
            self.tenant_id, self.id, self.occurred_at, self.actor_id, self.actor,
            self.action, self.object_type, self.object_id, self.summary,
        )


def canonical_fields(tenant_id, entry_id, occurred_at, actor_id, actor, action, object_type, object_id, summary):
    if isinstance(occurred_at, datetime):
        occurred_at = occurred_at.replace(tzinfo=None).isoformat(timespec="microseconds")
    return {
        "tenant_id": tenant_id, "id": entry_id, "occurred_at": occurred_at, "actor_id": actor_id,
        "actor": actor, "action": action, "object_type": object_type, "object_id": str(object_id),
        "summary": summary,
    }
