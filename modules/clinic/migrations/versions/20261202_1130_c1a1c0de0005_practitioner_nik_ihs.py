"""clinic: a practitioner's NIK (encrypted, with its keyed hash) and the SATUSEHAT IHS number found
for it, kept (``satusehat_ids.practitioner_ihs``)

Revision ID: c1a1c0de0005
Revises: c1a1c0de0004
Create Date: 2026-12-02 11:30
"""
import sqlalchemy as sa
from alembic import op

from core.kit import create_tenant_table

revision = "c1a1c0de0005"
down_revision = "c1a1c0de0004"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade():
    create_tenant_table(
        "clinic_practitioners",
        sa.Column("clinic", sa.String(length=20), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("nik", sa.Text(), nullable=True),
        sa.Column("nik_hash", sa.String(length=64), nullable=False),
        sa.Column("ihs_number", sa.String(length=40), nullable=True),
        sa.Column("updated_at", TZ, nullable=False),
        sa.UniqueConstraint("tenant_id", "clinic", "code", name="uq_clinic_practitioners_code"),
    )


def downgrade():
    op.drop_table("clinic_practitioners")
