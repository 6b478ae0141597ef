"""create the permits tables: applications, uploads, events

The module's first revision: it starts the module's own branch (permits), tracked in its own
version table (alembic_version_permits).

Revision ID: 5a1e0c7d9b21
Revises:
Create Date: 2026-11-30 14:55
"""
import sqlalchemy as sa
from alembic import op

from core.kit import create_tenant_table, tenant_fk

revision = "5a1e0c7d9b21"
down_revision = None
branch_labels = ("permits",)
depends_on = None


def upgrade():
    create_tenant_table(
        "permits_applications",
        sa.Column("reference", sa.String(length=40), nullable=True),
        sa.Column("type_code", sa.String(length=24), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("stage", sa.Integer(), nullable=False),
        sa.Column("applicant_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("applicant_name", sa.String(length=200), nullable=False),
        sa.Column("business_name", sa.String(length=200), nullable=False),
        sa.Column("nik", sa.Text(), nullable=True),
        sa.Column("nik_hash", sa.String(length=64), nullable=False),
        sa.Column("nib", sa.Text(), nullable=True),
        sa.Column("nib_hash", sa.String(length=64), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("fee_amount", sa.BigInteger(), nullable=False),
        sa.Column("payment_code", sa.String(length=32), nullable=True),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("permit_number", sa.String(length=100), nullable=True),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("valid_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("document_code", sa.String(length=64), nullable=True),
        sa.Column("permit_status", sa.String(length=16), nullable=False),
        sa.Column("fiktif_positif", sa.Boolean(), nullable=False),
        sa.Column("office_days", sa.Integer(), nullable=True),
        sa.Column("within_sla", sa.Boolean(), nullable=True),
        sa.UniqueConstraint("tenant_id", "reference", name="uq_permits_applications_tenant_reference"),
        sa.UniqueConstraint("tenant_id", "payment_code", name="uq_permits_applications_tenant_payment_code"),
        sa.UniqueConstraint("tenant_id", "permit_number", name="uq_permits_applications_tenant_permit_number"),
    )
    op.create_index("ix_permits_applications_tenant_status_due", "permits_applications",
                    ["tenant_id", "status", "due_at"])
    op.create_index("ix_permits_applications_tenant_applicant", "permits_applications", ["tenant_id", "applicant_id"])
    op.create_index("ix_permits_applications_tenant_due", "permits_applications", ["tenant_id", "due_at", "id"])
    op.create_index("ix_permits_applications_tenant_register", "permits_applications",
                    ["tenant_id", "status", "issued_at", "id"])
    create_tenant_table(
        "permits_uploads",
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("requirement", sa.String(length=32), nullable=False),
        sa.Column("storage_key", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        tenant_fk("application_id", "permits_applications", ondelete="CASCADE"),
        sa.UniqueConstraint("tenant_id", "application_id", "requirement", name="uq_permits_uploads_tenant_app_req"),
    )
    create_tenant_table(
        "permits_events",
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("oss_code", sa.String(length=4), nullable=False),
        sa.Column("actor", sa.String(length=254), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        tenant_fk("application_id", "permits_applications", ondelete="CASCADE"),
    )
    op.create_index("ix_permits_events_tenant_app", "permits_events", ["tenant_id", "application_id", "id"])


def downgrade():
    op.drop_table("permits_events")
    op.drop_table("permits_uploads")
    op.drop_table("permits_applications")
