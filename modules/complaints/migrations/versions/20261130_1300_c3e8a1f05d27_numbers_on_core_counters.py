"""complaints' tracking numbers move onto the core's counters (core/numbering.py): every yearly
counter row is copied to number_counters (scope ["complaints"], period "YYYY"), so the next number
continues each year's sequence. complaint_counters is kept, no longer written; downgrade brings
its rows up to the numbers issued meanwhile.

Both directions go tenant by tenant (``core.kit.each_tenant``), each statement naming the tenant:
under PostgreSQL's FORCEd Row Level Security the owner that migrates sees only the one tenant
``pamong.tenant_ids`` names. This revision once named every tenant at once, which shows no rows
as soon as there are two (edited so that databases not yet upgraded are copied whole).

Revision ID: c3e8a1f05d27
Revises: 4a7d2e9c5b18
Create Date: 2026-11-30 13:00:00
"""
import sqlalchemy as sa
from alembic import op

from core.kit import each_tenant


revision = 'c3e8a1f05d27'
down_revision = '4a7d2e9c5b18'
branch_labels = None
depends_on = None



def _on(bind, tenant, sql):
    return bind.execute(sa.text(sql), {"tenant": tenant})


def upgrade():
    bind = op.get_bind()
    each_tenant(bind, lambda tenant: _copy(bind, tenant))


def _copy(bind, tenant):
    _on(bind, tenant,
        "INSERT INTO number_counters (tenant_id, scope, period, last_number) "
        "SELECT c.tenant_id, '[\"complaints\"]', CAST(c.year AS VARCHAR(10)), c.last_number FROM complaint_counters c "
        "WHERE c.tenant_id = :tenant AND NOT EXISTS (SELECT 1 FROM number_counters n WHERE n.tenant_id = c.tenant_id "
        "AND n.scope = '[\"complaints\"]' AND n.period = CAST(c.year AS VARCHAR(10)))")
    _on(bind, tenant,
        "UPDATE number_counters SET last_number = (SELECT c.last_number FROM complaint_counters c "
        "WHERE c.tenant_id = number_counters.tenant_id AND CAST(c.year AS VARCHAR(10)) = number_counters.period) "
        "WHERE tenant_id = :tenant AND scope = '[\"complaints\"]' "
        "AND last_number < (SELECT c.last_number FROM complaint_counters c "
        "WHERE c.tenant_id = number_counters.tenant_id AND CAST(c.year AS VARCHAR(10)) = number_counters.period)")


def downgrade():
    bind = op.get_bind()
    each_tenant(bind, lambda tenant: _copy_back(bind, tenant))


def _copy_back(bind, tenant):
    _on(bind, tenant,
        "UPDATE complaint_counters SET last_number = (SELECT n.last_number FROM number_counters n "
        "WHERE n.tenant_id = complaint_counters.tenant_id AND n.scope = '[\"complaints\"]' "
        "AND n.period = CAST(complaint_counters.year AS VARCHAR(10))) "
        "WHERE tenant_id = :tenant AND last_number < (SELECT n.last_number FROM number_counters n "
        "WHERE n.tenant_id = complaint_counters.tenant_id AND n.scope = '[\"complaints\"]' "
        "AND n.period = CAST(complaint_counters.year AS VARCHAR(10)))")
    _on(bind, tenant,
        "INSERT INTO complaint_counters (tenant_id, year, last_number) "
        "SELECT n.tenant_id, CAST(n.period AS INTEGER), n.last_number FROM number_counters n "
        "WHERE n.tenant_id = :tenant AND n.scope = '[\"complaints\"]' AND NOT EXISTS (SELECT 1 FROM complaint_counters c "
        "WHERE c.tenant_id = n.tenant_id AND CAST(c.year AS VARCHAR(10)) = n.period)")
    _on(bind, tenant, "DELETE FROM number_counters WHERE tenant_id = :tenant AND scope = '[\"complaints\"]'")
