"""activity logs decided in the app: when logged, when and by whom approved or rejected, and why

A log that is already approved (imported from e-Kinerja, or the demo's) is marked decided at the
upgrade by ``file:before-approval``, so it keeps counting; an unapproved one stays pending.

That backfill goes tenant by tenant (``core.kit.each_tenant``), the statement naming the tenant:
under PostgreSQL's FORCEd Row Level Security the owner that migrates sees only the one tenant
``pamong.tenant_ids`` names. This revision once named every tenant at once, which shows no rows as
soon as there are two (edited so that databases not yet upgraded mark every approved log).

Revision ID: 3b8e51d0c6a2
Revises: 7fad8bb74005
Create Date: 2026-12-01 04:15
"""
import sqlalchemy as sa
from alembic import op

from core.kit import each_tenant

revision = "3b8e51d0c6a2"
down_revision = "7fad8bb74005"
branch_labels = None
depends_on = None

TABLE = "remuneration_activities"
MARK = sa.text(f"UPDATE {TABLE} SET decided_at = CURRENT_TIMESTAMP, decided_by = 'file:before-approval' "
               "WHERE tenant_id = :tenant AND approved")


def upgrade():
    with op.batch_alter_table(TABLE) as batch:
        batch.add_column(sa.Column("logged_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("decided_by", sa.String(length=254), nullable=False, server_default=""))
        batch.add_column(sa.Column("reason", sa.Text(), nullable=False, server_default=""))
    mark_approved_decided(op.get_bind())


def mark_approved_decided(bind) -> int:
    """Every approved log marked decided, tenant by tenant; how many were marked."""
    return each_tenant(bind, lambda tenant: bind.execute(MARK, {"tenant": tenant}))


def downgrade():
    with op.batch_alter_table(TABLE) as batch:
        batch.drop_column("reason")
        batch.drop_column("decided_by")
        batch.drop_column("decided_at")
        batch.drop_column("logged_at")
