"""eoffice: PDF attachments of letters (lampiran)

Revision ID: 5e0ff1ce0003
Revises: 5e0ff1ce0002
Create Date: 2026-11-30 15:30
"""
import sqlalchemy as sa
from alembic import op

from core.kit import create_tenant_table, tenant_fk

revision = "5e0ff1ce0003"
down_revision = "5e0ff1ce0002"
branch_labels = None
depends_on = None


def upgrade():
    create_tenant_table(
        "eoffice_attachments",
        sa.Column("letter_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(200), nullable=False),
        sa.Column("storage_key", sa.String(120), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        tenant_fk("letter_id", "eoffice_letters", ondelete="CASCADE"),
    )
    op.create_index("ix_eoffice_attachments_tenant_letter", "eoffice_attachments", ["tenant_id", "letter_id"])


def downgrade():
    op.drop_table("eoffice_attachments")
