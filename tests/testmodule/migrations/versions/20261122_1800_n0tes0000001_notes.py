"""notes

Revision ID: n0tes0000001
Revises:
Create Date: 2026-11-22 18:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "n0tes0000001"
down_revision = None
branch_labels = ("notes",)
depends_on = None


def upgrade():
    op.create_table(
        "test_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name="fk_test_notes_tenant_id_tenants", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_test_notes"),
    )
    op.create_index("ix_test_notes_tenant", "test_notes", ["tenant_id", "id"])


def downgrade():
    op.drop_index("ix_test_notes_tenant", table_name="test_notes")
    op.drop_table("test_notes")
