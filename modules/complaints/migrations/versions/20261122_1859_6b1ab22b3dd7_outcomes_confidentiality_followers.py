"""complaints: honest outcomes, confidential and anonymous complaints, followers, the filer's
additions (unread), photo thumbnails and hiding, redacted originals kept for auditors

complaint_redactions.original_text holds Fernet ciphertext (core.crypto.EncryptedText, stored as
text). Complaints finished before this revision get their outcome from their status: resolved and
closed ones were fixes, rejected ones were rejected. That backfill goes tenant by tenant
(``core.kit.each_tenant``), each statement naming the tenant: under PostgreSQL's FORCEd Row Level
Security the owner that migrates sees only the one tenant ``pamong.tenant_ids`` names. This
revision once named every tenant at once, which shows no rows as soon as there are two (edited so
that databases not yet upgraded get every finished complaint's outcome).

Revision ID: 6b1ab22b3dd7
Revises: a3eb3d914509
Create Date: 2026-11-22 18:59:21.805932
"""
from alembic import op
import sqlalchemy as sa

from core.kit import each_tenant


revision = '6b1ab22b3dd7'
down_revision = 'a3eb3d914509'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('complaint_followers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_complaint_followers_complaint_id_complaints'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_complaint_followers_tenant_id_tenants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_complaint_followers_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint_followers')),
    sa.UniqueConstraint('tenant_id', 'complaint_id', 'user_id', name='uq_complaint_followers_tenant_complaint_user')
    )
    with op.batch_alter_table('complaint_followers', schema=None) as batch_op:
        batch_op.create_index('ix_complaint_followers_tenant_user', ['tenant_id', 'user_id'], unique=False)

    op.create_table('complaint_redactions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('target', sa.String(length=24), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('photo_id', sa.Integer(), nullable=True),
    sa.Column('original_text', sa.Text(), nullable=True),
    sa.Column('original_key', sa.String(length=300), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_complaint_redactions_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_complaint_redactions_complaint_id_complaints'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['complaint_events.id'], name=op.f('fk_complaint_redactions_event_id_complaint_events'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['photo_id'], ['complaint_photos.id'], name=op.f('fk_complaint_redactions_photo_id_complaint_photos'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_complaint_redactions_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint_redactions'))
    )
    with op.batch_alter_table('complaint_redactions', schema=None) as batch_op:
        batch_op.create_index('ix_complaint_redactions_tenant_complaint', ['tenant_id', 'complaint_id', 'id'], unique=False)

    with op.batch_alter_table('complaint_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('outcome', sa.String(length=16), nullable=False, server_default=''))

    with op.batch_alter_table('complaint_photos', schema=None) as batch_op:
        batch_op.add_column(sa.Column('thumb_key', sa.String(length=300), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('thumb_width', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('thumb_height', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('added_by_filer', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('hidden', sa.Boolean(), nullable=False, server_default=sa.false()))

    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('outcome', sa.String(length=16), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('anonymous', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('confidential', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('unread_updates', sa.Integer(), nullable=False, server_default='0'))

    outcomes_of_finished_complaints(op.get_bind())


def outcomes_of_finished_complaints(bind) -> int:
    """Every finished complaint's outcome from its status, tenant by tenant; how many were set."""
    return each_tenant(bind, lambda tenant: _outcomes(bind, tenant))


def _outcomes(bind, tenant: int) -> int:
    fixed = bind.execute(sa.text("UPDATE complaints SET outcome = 'fixed' "
                                 "WHERE tenant_id = :tenant AND status IN ('resolved', 'closed')"), {"tenant": tenant})
    rejected = bind.execute(sa.text("UPDATE complaints SET outcome = 'rejected' "
                                    "WHERE tenant_id = :tenant AND status = 'rejected'"), {"tenant": tenant})
    return fixed.rowcount + rejected.rowcount


def downgrade():
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_column('unread_updates')
        batch_op.drop_column('confidential')
        batch_op.drop_column('anonymous')
        batch_op.drop_column('confirmed_at')
        batch_op.drop_column('outcome')

    with op.batch_alter_table('complaint_photos', schema=None) as batch_op:
        batch_op.drop_column('hidden')
        batch_op.drop_column('added_by_filer')
        batch_op.drop_column('thumb_height')
        batch_op.drop_column('thumb_width')
        batch_op.drop_column('thumb_key')

    with op.batch_alter_table('complaint_events', schema=None) as batch_op:
        batch_op.drop_column('outcome')

    with op.batch_alter_table('complaint_redactions', schema=None) as batch_op:
        batch_op.drop_index('ix_complaint_redactions_tenant_complaint')

    op.drop_table('complaint_redactions')
    with op.batch_alter_table('complaint_followers', schema=None) as batch_op:
        batch_op.drop_index('ix_complaint_followers_tenant_user')

    op.drop_table('complaint_followers')
