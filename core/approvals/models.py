"""The stored state of approval chains and every action taken on them (core/approvals)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..tenancy.models import utcnow
from ..tenancy.scope import TenantOwned, tenant_ref

PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"


class ApprovalChain(TenantOwned, db.Model):
    """One object's chain: ``steps`` in order (``{"position": code}`` or ``{"role": role}``, with
    an optional ``"unit"`` for a role and ``"label"``), ``current`` the index of the step awaiting
    action (``len(steps)`` once approved), ``approvers`` the user id that approved each step in the
    current pass (None where not yet, or undone by a return)."""

    __tablename__ = "approval_chains"
    __table_args__ = (UniqueConstraint("tenant_id", "module", "kind", "object_id"),)

    module: Mapped[str] = mapped_column(String(63))
    kind: Mapped[str] = mapped_column(String(63))
    object_id: Mapped[str] = mapped_column(String(63))
    steps: Mapped[list] = mapped_column(JSON)
    current: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    approvers: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ApprovalAction(TenantOwned, db.Model):
    """What happened on a chain, in order: ``start``, ``approve`` (of ``step``) or ``return``
    (from ``step`` back to ``to_step``, with a ``note``). The object's timeline reads these."""

    __tablename__ = "approval_actions"
    __table_args__ = (Index("ix_approval_actions_tenant_chain", "tenant_id", "chain_id", "id"),)

    chain_id: Mapped[int] = tenant_ref("approval_chains", ondelete="CASCADE")
    action: Mapped[str] = mapped_column(String(16))
    step: Mapped[int | None] = mapped_column(Integer)
    to_step: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(254))
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
