"""the permit's status reason and time (suspension, revocation), shown on its verification page

Revision ID: 7c2e4f1a9d35
Revises: 5a1e0c7d9b21
Create Date: 2026-12-01 00:10
"""
import sqlalchemy as sa
from alembic import op

revision = "7c2e4f1a9d35"
down_revision = "5a1e0c7d9b21"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("permits_applications") as batch:
        batch.add_column(sa.Column("permit_status_reason", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("permit_status_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("permits_applications") as batch:
        batch.drop_column("permit_status_at")
        batch.drop_column("permit_status_reason")
