"""eoffice: the issuing unit is the signing position's agency; the drafting unit kept apart

A letter is issued by the office of the position that signs it (the Wali Kota's letters by the
Setda): its number's unit code, its counter and its kop are the signing position's agency, decided
at signing (``review.take_number``), written to ``unit_id``/``unit_code``/``unit_name``. The unit
the drafter drafted in is kept in ``drafting_unit_code``/``drafting_unit_name`` (its officers still
see the letter). Existing letters were drafted and issued by the same unit: both are copied.

Revision ID: 5e0ff1ce0007
Revises: 5e0ff1ce0006
Create Date: 2026-12-02 14:20
"""
import sqlalchemy as sa
from alembic import op

revision = "5e0ff1ce0007"
down_revision = "5e0ff1ce0006"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("eoffice_letters") as batch:
        batch.add_column(sa.Column("drafting_unit_code", sa.String(32), nullable=True))
        batch.add_column(sa.Column("drafting_unit_name", sa.String(200), nullable=True))
    op.execute("UPDATE eoffice_letters SET drafting_unit_code = unit_code, drafting_unit_name = unit_name")


def downgrade():
    with op.batch_alter_table("eoffice_letters") as batch:
        batch.drop_column("drafting_unit_name")
        batch.drop_column("drafting_unit_code")
