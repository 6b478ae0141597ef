"""complaints: indexes for the officer's queue (issue 20.2, issue 11.4)

- ``ix_complaints_tenant_open_agency_due``: a partial index on the open complaints of each agency by
  their resolution target (the default queue: open, own agency, oldest due first), tenant_id first;
- ``ix_complaints_tenant_assignee``: the "assigned to me / to nobody" filter;
- ``ix_complaints_tenant_agency_created``: an agency's complaints of every status, newest first, and
  the filing-date range (walked in order, the page stops after its rows);
- PostgreSQL only: pg_trgm GIN indexes on the tracking number and the description, which the
  keyword search's ``ILIKE '%word%'`` uses (``queue.keyword_condition``). The extension is created
  if missing (pg_trgm is a trusted extension: the database's owner may create it). SQLite has no
  such index: its LIKE scans the tenant's rows.

Revision ID: b7f3c2a91e64
Revises: 5d1c7e2a9f40
Create Date: 2026-11-30 18:00:00
"""
import sqlalchemy as sa
from alembic import op


revision = 'b7f3c2a91e64'
down_revision = '5d1c7e2a9f40'
branch_labels = None
depends_on = None

OPEN = "status IN ('submitted', 'verified', 'assigned', 'in_progress')"


def upgrade():
    bind = op.get_bind()
    op.create_index("ix_complaints_tenant_open_agency_due", "complaints",
                    ["tenant_id", "agency_id", "resolution_due_at"],
                    postgresql_where=sa.text(OPEN), sqlite_where=sa.text(OPEN))
    op.create_index("ix_complaints_tenant_assignee", "complaints", ["tenant_id", "assignee_id"])
    op.create_index("ix_complaints_tenant_agency_created", "complaints", ["tenant_id", "agency_id", "created_at"])
    if bind.dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE INDEX ix_complaints_number_trgm ON complaints USING gin (number gin_trgm_ops)")
        op.execute("CREATE INDEX ix_complaints_description_trgm ON complaints USING gin (description gin_trgm_ops)")


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_complaints_description_trgm")
        op.execute("DROP INDEX IF EXISTS ix_complaints_number_trgm")
    op.drop_index("ix_complaints_tenant_agency_created", table_name="complaints")
    op.drop_index("ix_complaints_tenant_assignee", table_name="complaints")
    op.drop_index("ix_complaints_tenant_open_agency_due", table_name="complaints")
