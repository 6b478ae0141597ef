"""create clinic_entries

The module's first revision: it starts the module's own branch (clinic), tracked in
its own version table (alembic_version_clinic), so removing the module leaves no
revision Alembic cannot locate. Next revisions: pamong db revision clinic -m "..."

Revision ID: 2cefa037803c
Revises:
Create Date: 2026-11-30 14:41
"""
import sqlalchemy as sa
from alembic import op

from core.kit import create_tenant_table

revision = "2cefa037803c"
down_revision = None
branch_labels = ("clinic",)
depends_on = None


def upgrade():
    # id, tenant_id and the keys of DESIGN §4 on both databases; a reference to another tenant-owned
    # table is an item tenant_fk("book_id", "clinic_books", ondelete="CASCADE")
    create_tenant_table(
        "clinic_entries",
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.UniqueConstraint("tenant_id", "number", name="uq_clinic_entries_tenant_number"),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_clinic_entries_tenant_created", "clinic_entries",
                    ["tenant_id", "created_at"])


def downgrade():
    op.drop_index("ix_clinic_entries_tenant_created", table_name="clinic_entries")
    op.drop_table("clinic_entries")
