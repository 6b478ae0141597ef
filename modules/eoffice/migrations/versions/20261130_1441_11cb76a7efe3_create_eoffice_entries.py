"""create eoffice_entries

The module's first revision: it starts the module's own branch (eoffice), tracked in
its own version table (alembic_version_eoffice), so removing the module leaves no
revision Alembic cannot locate. Next revisions: pamong db revision eoffice -m "..."

Revision ID: 11cb76a7efe3
Revises:
Create Date: 2026-11-30 14:41
"""
import sqlalchemy as sa
from alembic import op

from core.kit import create_tenant_table

revision = "11cb76a7efe3"
down_revision = None
branch_labels = ("eoffice",)
depends_on = None


def upgrade():
    # id, tenant_id and the keys of DESIGN §4 on both databases; a reference to another tenant-owned
    # table is an item tenant_fk("book_id", "eoffice_books", ondelete="CASCADE")
    create_tenant_table(
        "eoffice_entries",
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.UniqueConstraint("tenant_id", "number", name="uq_eoffice_entries_tenant_number"),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_eoffice_entries_tenant_created", "eoffice_entries",
                    ["tenant_id", "created_at"])


def downgrade():
    op.drop_index("ix_eoffice_entries_tenant_created", table_name="eoffice_entries")
    op.drop_table("eoffice_entries")
