"""permits: the queue's and the register's name search indexed (PostgreSQL)

The office's queue finds an application by part of the applicant's or the business's name, and the
public register by part of the business's name (``queries._search``: ``ILIKE '%words%'``). On
PostgreSQL pg_trgm GIN indexes serve that pattern (the extension is created if missing: pg_trgm is
a trusted extension, the database's owner may create it), as the complaints module's keyword search
does. SQLite has no such index: its LIKE scans the tenant's rows.

Revision ID: 9d4b6e2f7a18
Revises: 7c2e4f1a9d35
Create Date: 2026-12-01 01:00
"""
from alembic import op

revision = "9d4b6e2f7a18"
down_revision = "7c2e4f1a9d35"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE INDEX ix_permits_applications_applicant_name_trgm ON permits_applications "
                   "USING gin (applicant_name gin_trgm_ops)")
        op.execute("CREATE INDEX ix_permits_applications_business_name_trgm ON permits_applications "
                   "USING gin (business_name gin_trgm_ops)")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_permits_applications_business_name_trgm")
        op.execute("DROP INDEX IF EXISTS ix_permits_applications_applicant_name_trgm")
