"""tenant holidays: the tenant's own days off ([[holidays]] in its TOML), for core/calendar.py

Existing tenants get an empty list (the national holidays come from the holidays library).

Revision ID: 1ef5c8caf773
Revises: 0b0cc7b5a467
Create Date: 2026-11-22 18:47:37.649328
"""
from alembic import op
import sqlalchemy as sa


revision = '1ef5c8caf773'
down_revision = '0b0cc7b5a467'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('tenants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('holidays', sa.JSON(), server_default='[]', nullable=False))


def downgrade():
    with op.batch_alter_table('tenants', schema=None) as batch_op:
        batch_op.drop_column('holidays')
