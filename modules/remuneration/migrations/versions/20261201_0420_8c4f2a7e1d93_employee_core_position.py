"""an employee's position (jabatan) of the core's organisation, by code; empty when not known

Revision ID: 8c4f2a7e1d93
Revises: 3b8e51d0c6a2
Create Date: 2026-12-01 04:20
"""
import sqlalchemy as sa
from alembic import op

revision = "8c4f2a7e1d93"
down_revision = "3b8e51d0c6a2"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("remuneration_employees") as batch:
        batch.add_column(sa.Column("position_code", sa.String(length=32), nullable=False, server_default=""))


def downgrade():
    with op.batch_alter_table("remuneration_employees") as batch:
        batch.drop_column("position_code")
