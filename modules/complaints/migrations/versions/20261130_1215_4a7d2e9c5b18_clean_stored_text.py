"""clean stored text of complaints: lone surrogates, XML-forbidden characters and non-characters
out, NFC (core.kit.clean_stored_text), as every intake now does; Open311 XML of old rows stays well-formed

Revision ID: 4a7d2e9c5b18
Revises: aea817168985
Create Date: 2026-11-30 12:15:00
"""
from alembic import op


revision = '4a7d2e9c5b18'
down_revision = 'aea817168985'
branch_labels = None
depends_on = None

TABLES = ["complaints", "complaint_events", "complaint_photos", "complaint_followers", "complaint_redactions"]


def upgrade():
    from core.kit import clean_stored_text

    clean_stored_text(op.get_bind(), TABLES)


def downgrade():
    pass  # the characters removed are not kept
