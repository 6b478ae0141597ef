"""activity logs decided in the app: when logged, when and by whom approved or rejected, and why

A log that is already approved (imported from e-Kinerja, or the demo's) is marked decided at the
upgrade by ``file:before-approval``, so it keeps counting; an unapproved one stays pending.

Revision ID: 3b8e51d0c6a2
Revises: 7fad8bb74005
Create Date: 2026-12-01 04:15
"""
import sqlalchemy as sa
from alembic import op

revision = "3b8e51d0c6a2"
down_revision = "7fad8bb74005"
branch_labels = None
depends_on = None

TABLE = "remuneration_activities"


def upgrade():
    with op.batch_alter_table(TABLE) as batch:
        batch.add_column(sa.Column("logged_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("decided_by", sa.String(length=254), nullable=False, server_default=""))
        batch.add_column(sa.Column("reason", sa.Text(), nullable=False, server_default=""))
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":  # let this transaction see every tenant's rows through row security
        bind.execute(sa.text("SELECT set_config('pamong.tenant_ids', "
                             "coalesce((SELECT string_agg(id::text, ',') FROM tenants), ''), true)"))
    bind.execute(sa.text(f"UPDATE {TABLE} SET decided_at = CURRENT_TIMESTAMP, decided_by = 'file:before-approval' "
                       "WHERE approved"))


def downgrade():
    with op.batch_alter_table(TABLE) as batch:
        batch.drop_column("reason")
        batch.drop_column("decided_by")
        batch.drop_column("decided_at")
        batch.drop_column("logged_at")
