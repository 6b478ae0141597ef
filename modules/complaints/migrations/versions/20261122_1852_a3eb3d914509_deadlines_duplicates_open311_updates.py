"""deadlines, duplicates, Open311 updates: the follow-up deadline and the paused clock, the link to
the complaint a duplicate repeats (with the lat/lon index of the radius search), the timeline by
time, and the update_ids received through FixMyStreet's servicerequestupdates

Revision ID: a3eb3d914509
Revises: 9e6a4ca9ba2d
Create Date: 2026-11-22 18:52:40.579590
"""
from alembic import op
import sqlalchemy as sa


revision = 'a3eb3d914509'
down_revision = '9e6a4ca9ba2d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('complaint_update_receipts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('update_id', sa.String(length=100), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('client', sa.String(length=120), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_complaint_update_receipts_complaint_id_complaints'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['complaint_events.id'], name=op.f('fk_complaint_update_receipts_event_id_complaint_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_complaint_update_receipts_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint_update_receipts')),
    sa.UniqueConstraint('tenant_id', 'update_id', name='uq_complaint_update_receipts_tenant_update')
    )
    with op.batch_alter_table('complaint_events', schema=None) as batch_op:
        batch_op.create_index('ix_complaint_events_tenant_at', ['tenant_id', 'at'], unique=False)

    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('followup_due_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('paused_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('duplicate_of_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_complaints_tenant_category_lat_lon', ['tenant_id', 'category_code', 'latitude', 'longitude'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_complaints_duplicate_of_id_complaints'), 'complaints', ['duplicate_of_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_complaints_duplicate_of_id_complaints'), type_='foreignkey')
        batch_op.drop_index('ix_complaints_tenant_category_lat_lon')
        batch_op.drop_column('duplicate_of_id')
        batch_op.drop_column('paused_at')
        batch_op.drop_column('followup_due_at')

    with op.batch_alter_table('complaint_events', schema=None) as batch_op:
        batch_op.drop_index('ix_complaint_events_tenant_at')

    op.drop_table('complaint_update_receipts')
