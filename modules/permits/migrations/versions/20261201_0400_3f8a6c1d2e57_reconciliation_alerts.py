"""permits: what the reconciliation alert told the finance officers (one row per type and month)

``permits_reconciliation_alerts``: the sums of the last disagreement told for a permit type and
local month, when, and when it agreed again, so the scheduled alert tells each mismatch once
(``modules/permits/reconciliation.py``).

Revision ID: 3f8a6c1d2e57
Revises: 9d4b6e2f7a18
Create Date: 2026-12-01 04:00
"""
import sqlalchemy as sa
from alembic import op

from core.kit import create_tenant_table

revision = "3f8a6c1d2e57"
down_revision = "9d4b6e2f7a18"
branch_labels = None
depends_on = None


def upgrade():
    create_tenant_table(
        "permits_reconciliation_alerts",
        sa.Column("type_code", sa.String(length=24), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("collected", sa.BigInteger(), nullable=False),
        sa.Column("billed", sa.BigInteger(), nullable=False),
        sa.Column("notified_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("tenant_id", "type_code", "month", name="uq_permits_reconciliation_alerts_tenant_key"),
    )


def downgrade():
    op.drop_table("permits_reconciliation_alerts")
