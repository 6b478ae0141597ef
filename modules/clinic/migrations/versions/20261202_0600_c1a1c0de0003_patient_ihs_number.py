"""clinic: a patient's SATUSEHAT IHS number, found by NIK and kept (``satusehat_ids``)

Revision ID: c1a1c0de0003
Revises: c1a1c0de0002
Create Date: 2026-12-02 06:00
"""
import sqlalchemy as sa
from alembic import op

revision = "c1a1c0de0003"
down_revision = "c1a1c0de0002"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("clinic_patients", sa.Column("ihs_number", sa.String(length=40), nullable=True))


def downgrade():
    with op.batch_alter_table("clinic_patients") as batch:
        batch.drop_column("ihs_number")
