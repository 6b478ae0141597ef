"""an employee's employment dates (TMT / tanggal mulai, tanggal berhenti); empty: open

The columns live on ``remuneration_employees``, whose key is already ``(tenant_id, id)``; they
join no key and no reference, so nothing else changes.

Revision ID: 5d1e9c7b2a40
Revises: 8c4f2a7e1d93
Create Date: 2026-12-01 05:30
"""
import sqlalchemy as sa
from alembic import op

revision = "5d1e9c7b2a40"
down_revision = "8c4f2a7e1d93"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("remuneration_employees") as batch:
        batch.add_column(sa.Column("started_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("ended_on", sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table("remuneration_employees") as batch:
        batch.drop_column("ended_on")
        batch.drop_column("started_on")
