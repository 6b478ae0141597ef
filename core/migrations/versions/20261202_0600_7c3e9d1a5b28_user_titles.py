"""A user's gelar (academic titles) before and after the name (Permendagri 1/2023 Pasal 44: a
signer's name is printed with gelar on some letters, without on others): users.title_front (<= 40
characters) and users.title_back (<= 60), both nullable; existing users have neither (their name is
printed as stored).

Revision ID: 7c3e9d1a5b28
Revises: 4e1b7a9c2d35
Create Date: 2026-12-02 06:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '7c3e9d1a5b28'
down_revision = '4e1b7a9c2d35'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('title_front', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('title_back', sa.String(length=60), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('title_back')
        batch_op.drop_column('title_front')
