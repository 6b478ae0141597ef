"""tenants.config_version: bumped whenever the tenant's configuration changes (core/tenancy/config_cache.py)

Each process keeps a tenant's enabled modules and module settings in memory under (tenant, version);
the tenant row every request reads carries the version, so a change made by any process (tenant
apply, the admin pages, enable/disable) is seen by every worker at its next request.

Revision ID: e5a9c3d17b42
Revises: 3b7d2f90c4aa
Create Date: 2026-11-30 15:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'e5a9c3d17b42'
down_revision = '3b7d2f90c4aa'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('tenants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('config_version', sa.Integer(), server_default='1', nullable=False))


def downgrade():
    with op.batch_alter_table('tenants', schema=None) as batch_op:
        batch_op.drop_column('config_version')
