"""A user's NIP and pangkat/golongan (issue 14: the signature block of a naskah dinas, Permendagri
1/2023): users.nip (18 digits, unique when set) and users.rank (<= 60 characters), both nullable;
existing users have neither.

Revision ID: 4e1b7a9c2d35
Revises: 9a4c2e7b5d13
Create Date: 2026-12-01 08:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '4e1b7a9c2d35'
down_revision = '9a4c2e7b5d13'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('nip', sa.String(length=18), nullable=True))
        batch_op.add_column(sa.Column('rank', sa.String(length=60), nullable=True))
        batch_op.create_unique_constraint('uq_users_nip', ['nip'])


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint('uq_users_nip', type_='unique')
        batch_op.drop_column('rank')
        batch_op.drop_column('nip')
