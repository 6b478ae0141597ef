"""an application awaiting payment has no deadline (the clock waits on the applicant, as when asked
to complete): the old deadline kept by invoices opened before is cleared; the payment resumes it

Revision ID: 8e3f1b7c4a62
Revises: 6b2d9e4f1c83
Create Date: 2026-12-02 12:00
"""
from alembic import op

revision = "8e3f1b7c4a62"
down_revision = "6b2d9e4f1c83"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("UPDATE permits_applications SET due_at = NULL WHERE status = 'awaiting_payment'")


def downgrade():
    pass   # the deadline is the clock's: the payment sets it again
