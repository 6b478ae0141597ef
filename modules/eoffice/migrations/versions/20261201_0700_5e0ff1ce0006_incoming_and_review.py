"""eoffice: type names sent between tenants, registered letters, follow-up reports, dossier reviews

A letter from another tenant keeps its type's name as the sender sent it
(``eoffice_letters.origin_type_name``: ``{"id": ..., "en": ...}``), so the receiver never reads
the sender's settings to name it. Letters received before stay NULL and are named by the
receiver's own type of that code, a built-in type, or the code.

An incoming letter registered by hand (a letter on paper, by post or e-mail: ``register.py``)
keeps the date written on it (``eoffice_letters.origin_date``). A dossier's review records its
outcome (``eoffice_dossiers.outcome``: transferred or destroyed, ``outcome_on``, ``outcome_ref``).
A follow-up may come with its report, a PDF (``eoffice_dispositions.report_key``, ``report_name``).

Revision ID: 5e0ff1ce0006
Revises: 5e0ff1ce0005
Create Date: 2026-12-01 07:00
"""
import sqlalchemy as sa
from alembic import op

revision = "5e0ff1ce0006"
down_revision = "5e0ff1ce0005"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("eoffice_letters") as batch:
        batch.add_column(sa.Column("origin_type_name", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("origin_date", sa.Date(), nullable=True))
    with op.batch_alter_table("eoffice_dispositions") as batch:
        batch.add_column(sa.Column("report_key", sa.String(120), nullable=True))
        batch.add_column(sa.Column("report_name", sa.String(200), nullable=True))
    with op.batch_alter_table("eoffice_dossiers") as batch:
        batch.add_column(sa.Column("outcome", sa.String(12), nullable=True))
        batch.add_column(sa.Column("outcome_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("outcome_ref", sa.String(100), nullable=True))


def downgrade():
    with op.batch_alter_table("eoffice_dispositions") as batch:
        batch.drop_column("report_name")
        batch.drop_column("report_key")
    with op.batch_alter_table("eoffice_dossiers") as batch:
        for name in ("outcome_ref", "outcome_on", "outcome"):
            batch.drop_column(name)
    with op.batch_alter_table("eoffice_letters") as batch:
        batch.drop_column("origin_date")
        batch.drop_column("origin_type_name")
