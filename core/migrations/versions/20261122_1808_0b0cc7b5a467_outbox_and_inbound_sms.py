"""outbox and inbound sms: the notification outbox and received SMS (sender, text, recipient encrypted)

Revision ID: 0b0cc7b5a467
Revises: c78fcec4b625
Create Date: 2026-11-22 18:08:43.345721
"""
from alembic import op
import sqlalchemy as sa


revision = '0b0cc7b5a467'
down_revision = 'c78fcec4b625'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('inbound_sms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sender', sa.Text(), nullable=False),
    sa.Column('sender_hash', sa.String(length=64), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('keyword', sa.String(length=32), nullable=False),
    sa.Column('module', sa.String(length=63), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('reply_id', sa.Integer(), nullable=True),
    sa.Column('signature', sa.String(length=64), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_inbound_sms_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inbound_sms')),
    sa.UniqueConstraint('tenant_id', 'signature', name=op.f('uq_inbound_sms_tenant_id_signature'))
    )
    with op.batch_alter_table('inbound_sms', schema=None) as batch_op:
        batch_op.create_index('ix_inbound_sms_tenant_sender', ['tenant_id', 'sender_hash'], unique=False)
        batch_op.create_index('ix_inbound_sms_tenant_time', ['tenant_id', 'received_at'], unique=False)

    op.create_table('outbox_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=8), nullable=False),
    sa.Column('recipient', sa.Text(), nullable=False),
    sa.Column('recipient_hash', sa.String(length=64), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('provider', sa.String(length=32), nullable=True),
    sa.Column('provider_ref', sa.String(length=100), nullable=True),
    sa.Column('ref', sa.String(length=100), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_outbox_messages_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_messages'))
    )
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_messages_tenant_due', ['tenant_id', 'status', 'next_attempt_at'], unique=False)
        batch_op.create_index('ix_outbox_messages_tenant_recipient', ['tenant_id', 'recipient_hash'], unique=False)
        batch_op.create_index('ix_outbox_messages_tenant_ref', ['tenant_id', 'ref'], unique=False)



def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_messages_tenant_ref')
        batch_op.drop_index('ix_outbox_messages_tenant_recipient')
        batch_op.drop_index('ix_outbox_messages_tenant_due')

    op.drop_table('outbox_messages')
    with op.batch_alter_table('inbound_sms', schema=None) as batch_op:
        batch_op.drop_index('ix_inbound_sms_tenant_time')
        batch_op.drop_index('ix_inbound_sms_tenant_sender')

    op.drop_table('inbound_sms')
