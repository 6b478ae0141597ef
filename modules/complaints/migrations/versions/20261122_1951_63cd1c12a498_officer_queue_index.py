"""officer queue index

Revision ID: 63cd1c12a498
Revises: 6b1ab22b3dd7
Create Date: 2026-11-22 19:51:23.526521
"""
from alembic import op


revision = '63cd1c12a498'
down_revision = '6b1ab22b3dd7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.create_index('ix_complaints_tenant_agency_id', ['tenant_id', 'agency_id', 'id'], unique=False)



def downgrade():
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_index('ix_complaints_tenant_agency_id')

