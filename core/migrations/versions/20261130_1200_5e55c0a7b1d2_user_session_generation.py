"""users.session_generation: sign-out, a password change or an admin's "sign out everywhere" ends
every session and remember cookie of the person (core/auth/session.py); login_throttle: wrong
passwords per account, for a growing delay and one warning per window (core/auth/throttle.py)

Existing users get "0": their sessions from before (the bare user id) end once, on upgrade.

Revision ID: 5e55c0a7b1d2
Revises: 8c2f4b6e1d07
Create Date: 2026-11-30 12:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '5e55c0a7b1d2'
down_revision = '8c2f4b6e1d07'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_generation', sa.String(length=32), server_default='0', nullable=False))
    op.create_table(
        'login_throttle',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('failures', sa.Integer(), server_default='0', nullable=False),
        sa.Column('last_failure_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('blocked_until', sa.DateTime(timezone=True), nullable=True),
        sa.Column('notified_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_login_throttle_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', name=op.f('pk_login_throttle')),
    )


def downgrade():
    op.drop_table('login_throttle')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_generation')
