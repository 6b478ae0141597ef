"""clean stored text again: bidirectional controls and invisible format characters out (core/text.py
now removes them at every intake; a name typed with U+202E showed reversed), in the core's tables

audit_entries are left as they are: they are append-only and sealed into the hash chain. Encrypted
columns hold ciphertext, which cleaning leaves as it is.

Revision ID: b7d41e9a2c60
Revises: 2f8b6d4e1a97
Create Date: 2026-12-03 09:00:00
"""
from alembic import op


revision = 'b7d41e9a2c60'
down_revision = '2f8b6d4e1a97'
branch_labels = None
depends_on = None

TABLES = ["tenants", "tenant_domains", "tenant_modules", "org_units", "users", "memberships",
          "role_permissions", "api_tokens", "outbox_messages", "inbound_sms", "positions"]


def upgrade():
    from core.text_rows import clean_stored_text

    clean_stored_text(op.get_bind(), TABLES)


def downgrade():
    pass  # the characters removed are not kept
