"""Accounts people can get (issue 19.1): users.token_nonce makes invitation, reset and verification
links single-use (core/auth/tokens.py); users.needs_verification holds a self-registered account
back until its e-mail is verified; tenants.self_registration lets citizens register (off by default)

Existing users get an empty nonce (no link was ever sent) and count as verified.

Revision ID: 9a4c2e7b5d13
Revises: e5a9c3d17b42
Create Date: 2026-11-30 18:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '9a4c2e7b5d13'
down_revision = 'e5a9c3d17b42'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token_nonce', sa.String(length=32), server_default='', nullable=False))
        batch_op.add_column(sa.Column('needs_verification', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('tenants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('self_registration', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('tenants', schema=None) as batch_op:
        batch_op.drop_column('self_registration')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('needs_verification')
        batch_op.drop_column('token_nonce')
