"""documents: the register of signed official documents per tenant (issue 13.1, core/documents)

Revision ID: d0c5a1b2e3f4
Revises: b7d41c2e9a63
Create Date: 2026-11-30 13:00:00
"""
from alembic import op
import sqlalchemy as sa

from core.tenancy.keys import create_tenant_table

revision = 'd0c5a1b2e3f4'
down_revision = 'b7d41c2e9a63'
branch_labels = None
depends_on = None


def upgrade():
    create_tenant_table(
        "documents",
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("number", sa.String(100), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("signer_name", sa.String(200), nullable=False),
        sa.Column("signer_position", sa.String(200), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("revoked_reason", sa.Text(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("storage_key", sa.String(120), nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("signer_kind", sa.String(16), nullable=False),
        sa.Column("issued_by", sa.String(254), nullable=False),
        sa.UniqueConstraint("tenant_id", "code", name="uq_documents_tenant_id_code"),
        sa.UniqueConstraint("tenant_id", "kind", "number", name="uq_documents_tenant_id_kind_number"),
    )
    op.create_index("ix_documents_tenant_id_signed_at", "documents", ["tenant_id", "signed_at"])


def downgrade():
    op.drop_index("ix_documents_tenant_id_signed_at", table_name="documents")
    op.drop_table("documents")
