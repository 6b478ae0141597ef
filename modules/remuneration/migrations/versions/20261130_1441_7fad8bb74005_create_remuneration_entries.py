"""create remuneration_entries

The module's first revision: it starts the module's own branch (remuneration), tracked in
its own version table (alembic_version_remuneration), so removing the module leaves no
revision Alembic cannot locate. Next revisions: pamong db revision remuneration -m "..."

Revision ID: 7fad8bb74005
Revises:
Create Date: 2026-11-30 14:41
"""
import sqlalchemy as sa
from alembic import op

from core.kit import create_tenant_table

revision = "7fad8bb74005"
down_revision = None
branch_labels = ("remuneration",)
depends_on = None


def upgrade():
    # id, tenant_id and the keys of DESIGN §4 on both databases; a reference to another tenant-owned
    # table is an item tenant_fk("book_id", "remuneration_books", ondelete="CASCADE")
    create_tenant_table(
        "remuneration_entries",
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.UniqueConstraint("tenant_id", "number", name="uq_remuneration_entries_tenant_number"),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_remuneration_entries_tenant_created", "remuneration_entries",
                    ["tenant_id", "created_at"])


def downgrade():
    op.drop_index("ix_remuneration_entries_tenant_created", table_name="remuneration_entries")
    op.drop_table("remuneration_entries")
