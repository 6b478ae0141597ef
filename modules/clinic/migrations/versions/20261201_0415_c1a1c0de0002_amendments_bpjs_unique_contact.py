"""clinic: encounter revisions (amendments keep the earlier values), one patient per BPJS card
number in a tenant, the phone that made a booking (keyed hash)

The unique index on ``(tenant_id, bpjs_hash)`` is partial (``bpjs_hash <> ''``: a patient without a
card has the empty hash). A database that already holds two patients with one card number stops
this upgrade at the index; merge or correct those patients first.

Revision ID: c1a1c0de0002
Revises: c1a1c0de0001
Create Date: 2026-12-01 04:15
"""
import sqlalchemy as sa
from alembic import op

from core.kit import create_tenant_table, tenant_fk

revision = "c1a1c0de0002"
down_revision = "c1a1c0de0001"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)
NOT_EMPTY = sa.text("bpjs_hash <> ''")


def upgrade():
    create_tenant_table(
        "clinic_encounter_revisions",
        sa.Column("encounter_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("practitioner", sa.String(length=20), nullable=False),
        sa.Column("complaint", sa.Text(), nullable=False),
        sa.Column("vitals", sa.Text(), nullable=False),
        sa.Column("icd10", sa.Text(), nullable=False),
        sa.Column("diagnosis", sa.Text(), nullable=False),
        sa.Column("prescription", sa.Text(), nullable=False),
        sa.Column("recorded_at", TZ, nullable=False),
        sa.Column("amended_by", sa.String(length=20), nullable=False),
        sa.Column("amended_at", TZ, nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        tenant_fk("encounter_id", "clinic_encounters", ondelete="CASCADE"),
        sa.UniqueConstraint("tenant_id", "encounter_id", "revision", name="uq_clinic_encounter_revisions"),
    )
    op.add_column("clinic_visits", sa.Column("contact_hash", sa.String(length=64), nullable=False, server_default=""))
    op.create_index("uq_clinic_patients_tenant_bpjs", "clinic_patients", ["tenant_id", "bpjs_hash"], unique=True,
                    postgresql_where=NOT_EMPTY, sqlite_where=NOT_EMPTY)


def downgrade():
    op.drop_index("uq_clinic_patients_tenant_bpjs", table_name="clinic_patients")
    with op.batch_alter_table("clinic_visits") as batch:
        batch.drop_column("contact_hash")
    op.drop_table("clinic_encounter_revisions")
