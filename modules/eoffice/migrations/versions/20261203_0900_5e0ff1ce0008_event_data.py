"""eoffice: a timeline entry keeps its facts as data, formatted where it is shown

A disposition's entry stored its due date inside its note as ISO text ("Ana: Siapkan (2026-12-05)"),
shown as such. The facts now go to ``data`` (``{"to", "instruction", "due_on"}``) and the page
writes the date in the reader's language. Entries written before keep their note (and the page
formats the ISO date at its end): nothing is rewritten.

Revision ID: 5e0ff1ce0008
Revises: 5e0ff1ce0007
Create Date: 2026-12-03 09:00
"""
import sqlalchemy as sa
from alembic import op

revision = "5e0ff1ce0008"
down_revision = "5e0ff1ce0007"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("eoffice_events") as batch:
        batch.add_column(sa.Column("data", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("eoffice_events") as batch:
        batch.drop_column("data")
