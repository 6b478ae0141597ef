"""number counters: gap-free numbering per tenant, scope and period (core/numbering.py)

Revision ID: b7d41e2a9c53
Revises: 5e55c0a7b1d2
Create Date: 2026-11-30 13:00:00
"""
import sqlalchemy as sa
from alembic import op

from core.tenancy.keys import create_tenant_table


revision = 'b7d41e2a9c53'
down_revision = '5e55c0a7b1d2'
branch_labels = None
depends_on = None


def upgrade():
    create_tenant_table(
        'number_counters',
        sa.Column('scope', sa.String(length=200), nullable=False),
        sa.Column('period', sa.String(length=10), nullable=False),
        sa.Column('last_number', sa.Integer(), nullable=False),
        sa.UniqueConstraint('tenant_id', 'scope', 'period', name='uq_number_counters_tenant_scope_period'),
    )


def downgrade():
    op.drop_table('number_counters')
