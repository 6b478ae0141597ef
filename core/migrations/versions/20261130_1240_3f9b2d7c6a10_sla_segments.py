"""sla_segments: the kept segments of SLA clocks (core/sla, issue 12 item 2)

Revision ID: 3f9b2d7c6a10
Revises: b7d41e2a9c53
Create Date: 2026-11-30 12:40:00
"""
import sqlalchemy as sa
from alembic import op

from core.tenancy.keys import create_tenant_table

revision = '3f9b2d7c6a10'
down_revision = 'b7d41e2a9c53'
branch_labels = None
depends_on = None


def upgrade():
    create_tenant_table(
        "sla_segments",
        sa.Column("object_kind", sa.String(length=40), nullable=False),
        sa.Column("object_id", sa.String(length=64), nullable=False),
        sa.Column("clock", sa.String(length=40), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("phase", sa.String(length=10), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_by", sa.String(length=10), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("tenant_id", "object_kind", "object_id", "clock", "seq", name="uq_sla_segments_clock_seq"),
    )
    op.create_index("ix_sla_segments_tenant_open", "sla_segments", ["tenant_id", "object_kind", "ended_at"])


def downgrade():
    op.drop_index("ix_sla_segments_tenant_open", table_name="sla_segments")
    op.drop_table("sla_segments")
