"""The tables of Remuneration (TPP). A tenant-owned model mixes in TenantOwned: it gets a
NOT NULL tenant_id and an id, with the primary key (tenant_id, id) (DESIGN §4: a deployment can be
distributed by tenant_id), is filtered to the tenant in scope and stamped with it on insert."""
from datetime import datetime

from sqlalchemy import DateTime, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.kit import TenantOwned, db, utcnow


class Entry(TenantOwned, db.Model):
    __tablename__ = "remuneration_entries"
    # tenant_id comes first in every composite index and inside every unique constraint (DESIGN §4)
    __table_args__ = (
        Index("ix_remuneration_entries_tenant_created", "tenant_id", "created_at"),
        UniqueConstraint("tenant_id", "number", name="uq_remuneration_entries_tenant_number"),
    )

    # id and tenant_id come from TenantOwned. A reference to another tenant-owned table is
    #     book_id: Mapped[int] = tenant_ref("remuneration_books", ondelete="CASCADE")
    # (tenant_ref from core.kit): the foreign key (tenant_id, book_id) -> books (tenant_id, id).
    # the number people quote, gap-free per tenant and year (core.kit.issue_number; services.py)
    number: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    details: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
