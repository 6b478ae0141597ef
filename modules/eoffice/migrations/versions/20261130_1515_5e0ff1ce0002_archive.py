"""eoffice: the archive (dossiers and the letters filed in them, with JRA retention dates)

Revision ID: 5e0ff1ce0002
Revises: 5e0ff1ce0001
Create Date: 2026-11-30 15:15
"""
import sqlalchemy as sa
from alembic import op

from core.kit import create_tenant_table, tenant_fk

revision = "5e0ff1ce0002"
down_revision = "5e0ff1ce0001"
branch_labels = None
depends_on = None


def upgrade():
    create_tenant_table(
        "eoffice_dossiers",
        sa.Column("code", sa.String(60), nullable=False),
        sa.Column("classification", sa.String(24), nullable=False),
        sa.Column("unit_code", sa.String(32), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("inactive_on", sa.Date(), nullable=True),
        sa.Column("review_on", sa.Date(), nullable=True),
        sa.Column("final", sa.String(10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("tenant_id", "code", name="uq_eoffice_dossiers_tenant_code"),
    )
    op.create_index("ix_eoffice_dossiers_tenant_review", "eoffice_dossiers", ["tenant_id", "review_on"])
    create_tenant_table(
        "eoffice_filings",
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("letter_id", sa.Integer(), nullable=False),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("filed_by", sa.String(254), nullable=False),
        tenant_fk("dossier_id", "eoffice_dossiers", ondelete="CASCADE"),
        tenant_fk("letter_id", "eoffice_letters", ondelete="CASCADE"),
        sa.UniqueConstraint("tenant_id", "letter_id", name="uq_eoffice_filings_tenant_letter"),
    )
    op.create_index("ix_eoffice_filings_tenant_dossier", "eoffice_filings", ["tenant_id", "dossier_id"])


def downgrade():
    op.drop_table("eoffice_filings")
    op.drop_table("eoffice_dossiers")
