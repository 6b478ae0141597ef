"""The kept segments of SLA clocks: one row per stretch of a clock, owned by the tenant."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..tenancy.scope import TenantOwned


class SlaSegment(TenantOwned, db.Model):
    """Segment ``seq`` (0, 1, ...) of the clock ``clock`` of the object ``(object_kind, object_id)``
    (e.g. ``("permit", "17")``, clock ``"processing"``). ``unit``/``amount`` repeat the clock's
    service level on each row; ``phase`` is running, paused or stopped (``core.sla.clock``)."""

    __tablename__ = "sla_segments"
    __table_args__ = (
        UniqueConstraint("tenant_id", "object_kind", "object_id", "clock", "seq", name="uq_sla_segments_clock_seq"),
        Index("ix_sla_segments_tenant_open", "tenant_id", "object_kind", "ended_at"),
    )

    object_kind: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str] = mapped_column(String(64))
    clock: Mapped[str] = mapped_column(String(40))
    seq: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(16))
    amount: Mapped[int] = mapped_column(Integer)
    phase: Mapped[str] = mapped_column(String(10))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ended_by: Mapped[str | None] = mapped_column(String(10))
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    def __repr__(self) -> str:
        return f"<SlaSegment {self.object_kind}:{self.object_id} {self.clock}#{self.seq} {self.phase}>"
