"""clinic: the booking codes SMS replies carry, noted to be masked once sent (``sms_secrets``)

The masking job read two days of the outbox's SMS every minute; it now reads only the notes not
yet done (``masked_at IS NULL``, a partial index). The replies of the last two days that still hold
a booking code (those the old job had not reached: pending, or sent since its last run) are noted
here, so none keeps its code across the upgrade.

The backfill reads tenant-owned tables, which PostgreSQL guards with FORCEd Row Level Security: the
owner that runs ``pamong db upgrade`` is held by the policies as the app's role is (only a superuser
or a BYPASSRLS role is not, and the owner is neither in production). So it goes tenant by tenant
(``core.kit.each_tenant``: ``pamong.tenant_ids`` naming each alone), each statement naming its
tenant (``note_codes``): it needs no role that bypasses RLS, and runs the same as the owner, as the
app's own login role or on SQLite.

Revision ID: c1a1c0de0004
Revises: c1a1c0de0003
Create Date: 2026-12-02 11:00
"""
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from alembic import op

from core.kit import create_tenant_table, each_tenant, tenant_fk

revision = "c1a1c0de0004"
down_revision = "c1a1c0de0003"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)
UNMASKED = sa.text("masked_at IS NULL")
NOTE = ("INSERT INTO clinic_sms_codes (tenant_id, visit_id, recipient_hash, created_at) "
        "SELECT m.tenant_id, v.id, m.recipient_hash, m.created_at FROM outbox_messages m "
        "JOIN clinic_visits v ON v.tenant_id = m.tenant_id AND m.body LIKE '%' || v.booking_code || '%' "
        "WHERE m.channel = 'sms' AND m.ref LIKE 'sms:%' AND m.created_at >= :since")


def note_codes(bind, since: datetime) -> int:
    """Note the SMS replies since ``since`` that hold a booking code, tenant by tenant
    (``each_tenant``, the statement naming the tenant); how many were noted."""
    when = sa.bindparam("since", since, type_=TZ)
    return each_tenant(bind, lambda tenant: bind.execute(
        sa.text(NOTE + " AND m.tenant_id = :tenant").bindparams(when, sa.bindparam("tenant", tenant))))


def upgrade():
    create_tenant_table(
        "clinic_sms_codes",
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("recipient_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("masked_at", TZ, nullable=True),
        tenant_fk("visit_id", "clinic_visits", ondelete="CASCADE"),
    )
    op.create_index("ix_clinic_sms_codes_unmasked", "clinic_sms_codes", ["tenant_id", "id"],
                    postgresql_where=UNMASKED, sqlite_where=UNMASKED)
    note_codes(op.get_bind(), datetime.now(timezone.utc) - timedelta(days=2))


def downgrade():
    op.drop_index("ix_clinic_sms_codes_unmasked", table_name="clinic_sms_codes")
    op.drop_table("clinic_sms_codes")
