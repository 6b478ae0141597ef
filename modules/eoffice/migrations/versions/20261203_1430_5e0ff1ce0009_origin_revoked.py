"""eoffice: an incoming letter whose sender revoked its signed PDF

The sender's module tells the governments a revoked letter went to (``eoffice.revoked``, trial
t14h); the receiver keeps when it was told and the sender's reason on its incoming letter. Letters
received before stay as they are (not revoked).

Revision ID: 5e0ff1ce0009
Revises: 5e0ff1ce0008
Create Date: 2026-12-03 14:30
"""
import sqlalchemy as sa
from alembic import op

revision = "5e0ff1ce0009"
down_revision = "5e0ff1ce0008"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("eoffice_letters") as batch:
        batch.add_column(sa.Column("origin_revoked_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("origin_revoked_reason", sa.Text(), nullable=False, server_default=""))


def downgrade():
    with op.batch_alter_table("eoffice_letters") as batch:
        batch.drop_column("origin_revoked_reason")
        batch.drop_column("origin_revoked_at")
