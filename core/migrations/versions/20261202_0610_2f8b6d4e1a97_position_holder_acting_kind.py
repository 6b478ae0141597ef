"""The kind of an acting holder (Permendagri 1/2023 Pasal 44 names Plt., Plh. and Pj.):
position_holders.acting_kind, "plt" / "plh" / "pj" (nullable: a definitive holder has none);
existing acting holders were all Plt.

Revision ID: 2f8b6d4e1a97
Revises: 7c3e9d1a5b28
Create Date: 2026-12-02 06:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '2f8b6d4e1a97'
down_revision = '7c3e9d1a5b28'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('position_holders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('acting_kind', sa.String(length=3), nullable=True))
    op.execute("UPDATE position_holders SET acting_kind = 'plt' WHERE acting")


def downgrade():
    with op.batch_alter_table('position_holders', schema=None) as batch_op:
        batch_op.drop_column('acting_kind')
