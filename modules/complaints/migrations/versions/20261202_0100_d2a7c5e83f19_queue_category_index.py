"""complaints: an index fit for the officer queue's category filter (issue 20.2, issue 11.4)

``ix_complaints_tenant_agency_category`` on (tenant_id, agency_id, category_code, status,
assignee_id): an agency's complaints of one category, with the status ("open", one status) and
the assignee ("me", "nobody yet", a colleague) narrowed in the index before any row is read. Without
it the category filter walked the agency's rows (``ix_complaints_tenant_agency_created``) and read
each one to test its category; with 100,000 complaints in a tenant a rare category read most of an
agency's rows to fill a page (``bench/complaints.py``).

Revision ID: d2a7c5e83f19
Revises: c4d9e1f27a63
Create Date: 2026-12-02 01:00:00
"""
from alembic import op


revision = 'd2a7c5e83f19'
down_revision = 'c4d9e1f27a63'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_complaints_tenant_agency_category", "complaints",
                    ["tenant_id", "agency_id", "category_code", "status", "assignee_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ANALYZE complaints")


def downgrade():
    op.drop_index("ix_complaints_tenant_agency_category", table_name="complaints")
