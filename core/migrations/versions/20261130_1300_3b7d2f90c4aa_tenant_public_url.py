"""tenants.public_url: the address a tenant is served at, for links in messages (core/links.py)

Existing tenants get "" (links then follow their domains or the deployment's PAMONG_PUBLIC_URL).

Revision ID: 3b7d2f90c4aa
Revises: a7d3e91c4b20
Create Date: 2026-11-30 13:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '3b7d2f90c4aa'
down_revision = 'a7d3e91c4b20'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('tenants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public_url', sa.String(length=300), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('tenants', schema=None) as batch_op:
        batch_op.drop_column('public_url')
