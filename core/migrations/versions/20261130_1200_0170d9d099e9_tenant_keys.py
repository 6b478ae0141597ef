"""tenant keys: (tenant_id, id) primary keys and (tenant_id, col) foreign keys between tenant tables

DESIGN §4 (issue 9, item 6): every tenant-owned table can be distributed by tenant_id. Existing rows
are kept as they are (ids unchanged); a reference to a row of another tenant stops the upgrade with
the table and column named. See core/tenancy/keys.py for what SQLite gets instead.

Revision ID: 0170d9d099e9
Revises: 1ef5c8caf773
Create Date: 2026-11-30 12:00:00
"""
from core.tenancy.keys import rekey_tenant_tables, unkey_tenant_tables

revision = '0170d9d099e9'
down_revision = '1ef5c8caf773'
branch_labels = None
depends_on = None

TABLES = ("tenant_modules", "org_units", "memberships", "role_permissions", "api_tokens", "audit_entries",
          "outbox_messages", "inbound_sms")


def upgrade():
    rekey_tenant_tables(*TABLES)


def downgrade():
    unkey_tenant_tables(*reversed(TABLES))
