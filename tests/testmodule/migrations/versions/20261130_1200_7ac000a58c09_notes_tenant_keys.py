"""notes: the primary key (tenant_id, id) (DESIGN §4)

Revision ID: 7ac000a58c09
Revises: n0tes0000001
Create Date: 2026-11-30 12:00:00
"""
from core.kit import rekey_tenant_tables, unkey_tenant_tables

revision = "7ac000a58c09"
down_revision = "n0tes0000001"
branch_labels = None
depends_on = None


def upgrade():
    rekey_tenant_tables("test_notes")


def downgrade():
    unkey_tenant_tables("test_notes")
