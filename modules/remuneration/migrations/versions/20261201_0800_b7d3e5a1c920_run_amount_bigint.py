"""a run's total (``remuneration_runs.amount``, rupiah) as BIGINT

A city's month is far above 2^31 - 1 rupiah (18,000 employees at a few million each: trillions
are possible), which PostgreSQL's INTEGER refused ("integer out of range") in the middle of the
run. SQLite's INTEGER already holds 64 bits (its type is an affinity), so only PostgreSQL changes.

Revision ID: b7d3e5a1c920
Revises: a4c7e2f91b58
Create Date: 2026-12-01 08:00
"""
import sqlalchemy as sa
from alembic import op

revision = "b7d3e5a1c920"
down_revision = "a4c7e2f91b58"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("remuneration_runs", "amount", type_=sa.BigInteger(), existing_type=sa.Integer(),
                        existing_nullable=False)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("remuneration_runs", "amount", type_=sa.Integer(), existing_type=sa.BigInteger(),
                        existing_nullable=False)
