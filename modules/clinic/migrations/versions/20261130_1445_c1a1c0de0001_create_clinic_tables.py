"""create the clinic tables: patients, medical records, visits, encounters, SATUSEHAT outbox

The module's first revision: it starts the module's own branch (clinic), tracked in its own version
table (alembic_version_clinic).

Revision ID: c1a1c0de0001
Revises:
Create Date: 2026-11-30 14:45
"""
import sqlalchemy as sa
from alembic import op

from core.kit import create_tenant_table, tenant_fk

revision = "c1a1c0de0001"
down_revision = None
branch_labels = ("clinic",)
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade():
    create_tenant_table(
        "clinic_patients",
        sa.Column("nik", sa.Text(), nullable=True),
        sa.Column("nik_hash", sa.String(length=64), nullable=False),
        sa.Column("bpjs", sa.Text(), nullable=True),
        sa.Column("bpjs_hash", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("phone", sa.Text(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_index("ix_clinic_patients_tenant_nik", "clinic_patients", ["tenant_id", "nik_hash"])
    op.create_index("ix_clinic_patients_tenant_bpjs", "clinic_patients", ["tenant_id", "bpjs_hash"])
    create_tenant_table(
        "clinic_records",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("clinic", sa.String(length=20), nullable=False),
        sa.Column("number", sa.String(length=30), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        tenant_fk("patient_id", "clinic_patients", ondelete="CASCADE"),
        sa.UniqueConstraint("tenant_id", "clinic", "patient_id", name="uq_clinic_records_patient"),
        sa.UniqueConstraint("tenant_id", "clinic", "number", name="uq_clinic_records_number"),
    )
    create_tenant_table(
        "clinic_visits",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("active_patient", sa.Integer(), nullable=True),
        sa.Column("clinic", sa.String(length=20), nullable=False),
        sa.Column("poli", sa.String(length=20), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("session", sa.Integer(), nullable=False),
        sa.Column("serial", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=30), nullable=False),
        sa.Column("booking_code", sa.String(length=20), nullable=False),
        sa.Column("jkn", sa.Boolean(), nullable=False),
        sa.Column("channel", sa.String(length=12), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("call_count", sa.Integer(), nullable=False),
        sa.Column("practitioner", sa.String(length=20), nullable=False),
        sa.Column("estimated_at", TZ, nullable=True),
        sa.Column("registered_at", TZ, nullable=False),
        sa.Column("arrived_at", TZ, nullable=True),
        sa.Column("called_at", TZ, nullable=True),
        sa.Column("served_at", TZ, nullable=True),
        sa.Column("finished_at", TZ, nullable=True),
        sa.Column("cancelled_at", TZ, nullable=True),
        tenant_fk("patient_id", "clinic_patients", ondelete="CASCADE"),
        sa.UniqueConstraint("tenant_id", "clinic", "poli", "day", "serial", name="uq_clinic_visits_serial"),
        sa.UniqueConstraint("tenant_id", "clinic", "poli", "day", "active_patient", name="uq_clinic_visits_patient"),
        sa.UniqueConstraint("tenant_id", "booking_code", name="uq_clinic_visits_booking_code"),
    )
    op.create_index("ix_clinic_visits_tenant_day", "clinic_visits", ["tenant_id", "clinic", "day", "poli", "status"])
    create_tenant_table(
        "clinic_encounters",
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("clinic", sa.String(length=20), nullable=False),
        sa.Column("practitioner", sa.String(length=20), nullable=False),
        sa.Column("complaint", sa.Text(), nullable=False),
        sa.Column("vitals", sa.Text(), nullable=False),
        sa.Column("icd10", sa.Text(), nullable=False),
        sa.Column("diagnosis", sa.Text(), nullable=False),
        sa.Column("prescription", sa.Text(), nullable=False),
        sa.Column("recorded_at", TZ, nullable=False),
        tenant_fk("visit_id", "clinic_visits", ondelete="CASCADE"),
        tenant_fk("patient_id", "clinic_patients", ondelete="CASCADE"),
        sa.UniqueConstraint("tenant_id", "visit_id", name="uq_clinic_encounters_visit"),
    )
    op.create_index("ix_clinic_encounters_tenant_patient", "clinic_encounters", ["tenant_id", "patient_id", "clinic"])
    create_tenant_table(
        "clinic_satusehat_outbox",
        sa.Column("resource_type", sa.String(length=40), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("sent_at", TZ, nullable=True),
    )
    op.create_index("ix_clinic_satusehat_outbox_tenant_status", "clinic_satusehat_outbox", ["tenant_id", "status"])


def downgrade():
    for table in ("clinic_satusehat_outbox", "clinic_encounters", "clinic_visits", "clinic_records", "clinic_patients"):
        op.drop_table(table)
