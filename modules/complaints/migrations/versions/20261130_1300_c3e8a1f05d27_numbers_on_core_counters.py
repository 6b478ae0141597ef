"""complaints' tracking numbers move onto the core's counters (core/numbering.py): every yearly
counter row is copied to number_counters (scope ["complaints"], period "YYYY"), so the next number
continues each year's sequence. complaint_counters is kept, no longer written; downgrade brings
its rows up to the numbers issued meanwhile.

Revision ID: c3e8a1f05d27
Revises: 4a7d2e9c5b18
Create Date: 2026-11-30 13:00:00
"""
import sqlalchemy as sa
from alembic import op


revision = 'c3e8a1f05d27'
down_revision = '4a7d2e9c5b18'
branch_labels = None
depends_on = None



def _every_tenant(bind):
    """PostgreSQL: let this transaction see every tenant's rows through Row Level Security."""
    if bind.dialect.name == "postgresql":
        bind.execute(sa.text(
            "SELECT set_config('pamong.tenant_ids', coalesce((SELECT string_agg(id::text, ',') FROM tenants), ''), true)"
        ))


def upgrade():
    bind = op.get_bind()
    _every_tenant(bind)
    bind.execute(sa.text(
        "INSERT INTO number_counters (tenant_id, scope, period, last_number) "
        "SELECT c.tenant_id, '[\"complaints\"]', CAST(c.year AS VARCHAR(10)), c.last_number FROM complaint_counters c "
        "WHERE NOT EXISTS (SELECT 1 FROM number_counters n WHERE n.tenant_id = c.tenant_id "
        "AND n.scope = '[\"complaints\"]' AND n.period = CAST(c.year AS VARCHAR(10)))"
    ))
    bind.execute(sa.text(
        "UPDATE number_counters SET last_number = (SELECT c.last_number FROM complaint_counters c "
        "WHERE c.tenant_id = number_counters.tenant_id AND CAST(c.year AS VARCHAR(10)) = number_counters.period) "
        "WHERE scope = '[\"complaints\"]' AND last_number < (SELECT c.last_number FROM complaint_counters c "
        "WHERE c.tenant_id = number_counters.tenant_id AND CAST(c.year AS VARCHAR(10)) = number_counters.period)"
    ))


def downgrade():
    bind = op.get_bind()
    _every_tenant(bind)
    bind.execute(sa.text(
        "UPDATE complaint_counters SET last_number = (SELECT n.last_number FROM number_counters n "
        "WHERE n.tenant_id = complaint_counters.tenant_id AND n.scope = '[\"complaints\"]' "
        "AND n.period = CAST(complaint_counters.year AS VARCHAR(10))) "
        "WHERE last_number < (SELECT n.last_number FROM number_counters n "
        "WHERE n.tenant_id = complaint_counters.tenant_id AND n.scope = '[\"complaints\"]' "
        "AND n.period = CAST(complaint_counters.year AS VARCHAR(10)))"
    ))
    bind.execute(sa.text(
        "INSERT INTO complaint_counters (tenant_id, year, last_number) "
        "SELECT n.tenant_id, CAST(n.period AS INTEGER), n.last_number FROM number_counters n "
        "WHERE n.scope = '[\"complaints\"]' AND NOT EXISTS (SELECT 1 FROM complaint_counters c "
        "WHERE c.tenant_id = n.tenant_id AND CAST(c.year AS VARCHAR(10)) = n.period)"
    ))
    bind.execute(sa.text("DELETE FROM number_counters WHERE scope = '[\"complaints\"]'"))
