from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from core.kit import TenantOwned, db


class Note(TenantOwned, db.Model):
    __tablename__ = "test_notes"
    __table_args__ = (Index("ix_test_notes_tenant", "tenant_id", "id"),)

    text: Mapped[str] = mapped_column(String(500))
