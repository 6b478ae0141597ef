"""inbound SMS stored raw before processing: the gateway's request (payload) and why it failed (error)

Existing rows were processed when they arrived: they keep no payload (NULL) and no error.

Revision ID: 5d1e7c0a9b31
Revises: 0170d9d099e9
Create Date: 2026-11-30 12:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '5d1e7c0a9b31'
down_revision = '0170d9d099e9'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('inbound_sms', schema=None) as batch_op:
        batch_op.add_column(sa.Column('payload', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('error', sa.String(length=500), nullable=True))


def downgrade():
    with op.batch_alter_table('inbound_sms', schema=None) as batch_op:
        batch_op.drop_column('error')
        batch_op.drop_column('payload')
