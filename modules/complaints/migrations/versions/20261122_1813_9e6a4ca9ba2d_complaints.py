"""complaints: complaints, their timeline and photos, the yearly number counter

The filer_* columns hold Fernet ciphertext (core.crypto.EncryptedText, stored as text).
References to org_units are (tenant_id, id) (DESIGN §4) when the core, migrated first, has keyed
org_units so (its revision 0170d9d099e9); before that they were on id, and that revision re-keys them.

Revision ID: 9e6a4ca9ba2d
Revises:
Create Date: 2026-11-22 18:13:37.644703
"""
import sqlalchemy as sa
from alembic import op

from core.kit import tenant_reference

revision = '9e6a4ca9ba2d'
down_revision = None
branch_labels = ('complaints',)
depends_on = None


def upgrade():
    op.create_table('complaint_counters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_complaint_counters_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint_counters')),
    sa.UniqueConstraint('tenant_id', 'year', name='uq_complaint_counters_tenant_year')
    )
    op.create_table('complaints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=40), nullable=False),
    sa.Column('access_key_hash', sa.String(length=64), nullable=False),
    sa.Column('category_code', sa.String(length=32), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=True),
    sa.Column('village_id', sa.Integer(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('attributes', sa.JSON(), nullable=False),
    sa.Column('media_url', sa.String(length=500), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('source_ref', sa.String(length=100), nullable=True),
    sa.Column('filer_user_id', sa.Integer(), nullable=True),
    sa.Column('filer_name', sa.Text(), nullable=True),
    sa.Column('filer_phone', sa.Text(), nullable=True),
    sa.Column('filer_email', sa.Text(), nullable=True),
    sa.Column('filer_phone_hash', sa.String(length=64), nullable=False),
    sa.Column('filer_email_hash', sa.String(length=64), nullable=False),
    sa.Column('notify_by', sa.String(length=8), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('status_note', sa.String(length=1000), nullable=False),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('responded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('response_due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolution_due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_within_target', sa.Boolean(), nullable=True),
    sa.Column('escalation_level', sa.Integer(), nullable=False),
    sa.Column('escalated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reopen_count', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    tenant_reference('agency_id', 'org_units', 'fk_complaints_agency_id_org_units'),
    sa.ForeignKeyConstraint(['assignee_id'], ['users.id'], name=op.f('fk_complaints_assignee_id_users'), ondelete='SET NULL'),
    tenant_reference('district_id', 'org_units', 'fk_complaints_district_id_org_units'),
    sa.ForeignKeyConstraint(['filer_user_id'], ['users.id'], name=op.f('fk_complaints_filer_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_complaints_tenant_id_tenants'), ondelete='CASCADE'),
    tenant_reference('village_id', 'org_units', 'fk_complaints_village_id_org_units'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaints')),
    sa.UniqueConstraint('tenant_id', 'channel', 'source_ref', name='uq_complaints_tenant_source'),
    sa.UniqueConstraint('tenant_id', 'number', name='uq_complaints_tenant_number'),
    sa.UniqueConstraint('tenant_id', 'token', name='uq_complaints_tenant_token'),
    sa.UniqueConstraint('tenant_id', 'year', 'seq', name='uq_complaints_tenant_year_seq')
    )
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.create_index('ix_complaints_tenant_agency_status', ['tenant_id', 'agency_id', 'status'], unique=False)
        batch_op.create_index('ix_complaints_tenant_created', ['tenant_id', 'created_at'], unique=False)
        batch_op.create_index('ix_complaints_tenant_filer', ['tenant_id', 'filer_user_id'], unique=False)
        batch_op.create_index('ix_complaints_tenant_phone', ['tenant_id', 'filer_phone_hash'], unique=False)
        batch_op.create_index('ix_complaints_tenant_status_due', ['tenant_id', 'status', 'resolution_due_at'], unique=False)

    op.create_table('complaint_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('from_status', sa.String(length=16), nullable=False),
    sa.Column('to_status', sa.String(length=16), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_role', sa.String(length=16), nullable=False),
    sa.Column('note', sa.String(length=1000), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_complaint_events_actor_id_users'), ondelete='SET NULL'),
    tenant_reference('agency_id', 'org_units', 'fk_complaint_events_agency_id_org_units'),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_complaint_events_complaint_id_complaints'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_complaint_events_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint_events'))
    )
    with op.batch_alter_table('complaint_events', schema=None) as batch_op:
        batch_op.create_index('ix_complaint_events_tenant_complaint', ['tenant_id', 'complaint_id', 'id'], unique=False)

    op.create_table('complaint_photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('storage_key', sa.String(length=300), nullable=False),
    sa.Column('content_type', sa.String(length=32), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_complaint_photos_complaint_id_complaints'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_complaint_photos_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint_photos'))
    )
    with op.batch_alter_table('complaint_photos', schema=None) as batch_op:
        batch_op.create_index('ix_complaint_photos_tenant_complaint', ['tenant_id', 'complaint_id'], unique=False)



def downgrade():
    with op.batch_alter_table('complaint_photos', schema=None) as batch_op:
        batch_op.drop_index('ix_complaint_photos_tenant_complaint')

    op.drop_table('complaint_photos')
    with op.batch_alter_table('complaint_events', schema=None) as batch_op:
        batch_op.drop_index('ix_complaint_events_tenant_complaint')

    op.drop_table('complaint_events')
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_index('ix_complaints_tenant_status_due')
        batch_op.drop_index('ix_complaints_tenant_phone')
        batch_op.drop_index('ix_complaints_tenant_filer')
        batch_op.drop_index('ix_complaints_tenant_created')
        batch_op.drop_index('ix_complaints_tenant_agency_status')

    op.drop_table('complaints')
    op.drop_table('complaint_counters')
