"""clean stored text: lone surrogates, XML-forbidden characters and non-characters out, NFC
(core/text.py), in the core's tables, as every intake now does

audit_entries are left as they are: they are append-only and sealed into the hash chain.

Revision ID: 8c2f4b6e1d07
Revises: 5d1e7c0a9b31
Create Date: 2026-11-30 12:10:00
"""
from alembic import op


revision = '8c2f4b6e1d07'
down_revision = '5d1e7c0a9b31'
branch_labels = None
depends_on = None

TABLES = ["tenants", "tenant_domains", "tenant_modules", "org_units", "users", "memberships",
          "role_permissions", "api_tokens", "outbox_messages", "inbound_sms"]


def upgrade():
    from core.text_rows import clean_stored_text

    clean_stored_text(op.get_bind(), TABLES)


def downgrade():
    pass  # the characters removed are not kept
