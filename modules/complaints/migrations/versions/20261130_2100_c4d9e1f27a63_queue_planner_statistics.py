"""complaints: statistics the planner needs for the officer's queue; the trigram indexes dropped

PostgreSQL only (SQLite has neither):

- ``st_complaints_tenant_units``: functional-dependency statistics over ``tenant_id``,
  ``agency_id``, ``district_id`` and ``village_id``. An agency, district or village belongs to one
  tenant, but without these the planner multiplies ``tenant_id = :t`` by ``agency_id = :a`` as if
  independent (at 100,000 complaints in the tenant it expected ~3,700 of an agency's ~35,000);
- the pg_trgm GIN indexes of migration b7f3c2a91e64 (``ix_complaints_number_trgm``,
  ``ix_complaints_description_trgm``) are dropped: the app reads complaints under Row Level
  Security, where PostgreSQL uses an index only for a condition whose operator is LEAKPROOF, and
  ``ILIKE`` (``texticlike``) is not. Measured at 1,000,000 rows: the app role's keyword search
  never used them (only the owner, who bypasses RLS, did), while every filing and redaction paid to
  update them. The keyword search walks the agency's rows in the list's order instead
  (``modules/complaints/queue.py``). The pg_trgm extension stays (other code may use it).

Revision ID: c4d9e1f27a63
Revises: 8f3b6d2c1a47
Create Date: 2026-11-30 21:00:00
"""
from alembic import op


revision = 'c4d9e1f27a63'
down_revision = '8f3b6d2c1a47'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE STATISTICS IF NOT EXISTS st_complaints_tenant_units (dependencies) "
               "ON tenant_id, agency_id, district_id, village_id FROM complaints")
    op.execute("DROP INDEX IF EXISTS ix_complaints_description_trgm")
    op.execute("DROP INDEX IF EXISTS ix_complaints_number_trgm")
    op.execute("ANALYZE complaints")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute("CREATE INDEX IF NOT EXISTS ix_complaints_number_trgm ON complaints USING gin (number gin_trgm_ops)")
    op.execute("CREATE INDEX IF NOT EXISTS ix_complaints_description_trgm ON complaints "
               "USING gin (description gin_trgm_ops)")
    op.execute("DROP STATISTICS IF EXISTS st_complaints_tenant_units")
