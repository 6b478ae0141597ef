"""tenant keys: (tenant_id, id) primary keys and (tenant_id, col) foreign keys between the
complaints tables (DESIGN §4, issue 9 item 6); existing rows are kept, ids unchanged.

Revision ID: aea817168985
Revises: 63cd1c12a498
Create Date: 2026-11-30 12:00:00
"""
from core.kit import rekey_tenant_tables, unkey_tenant_tables

revision = 'aea817168985'
down_revision = '63cd1c12a498'
branch_labels = None
depends_on = None

TABLES = ("complaint_counters", "complaints", "complaint_events", "complaint_photos", "complaint_update_receipts",
          "complaint_followers", "complaint_redactions")


def upgrade():
    rekey_tenant_tables(*TABLES)


def downgrade():
    unkey_tenant_tables(*reversed(TABLES))
