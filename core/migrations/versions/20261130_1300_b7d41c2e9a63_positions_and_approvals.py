"""positions and approval chains: positions (jabatan) in org units, their holders (acting ones
with a period), approval chains over any object and the actions taken on them (issue 12 item 4)

New tables only; existing rows are untouched.

Revision ID: b7d41c2e9a63
Revises: 3f9b2d7c6a10
Create Date: 2026-11-30 13:00:00
"""
import sqlalchemy as sa
from alembic import op

from core.tenancy.keys import create_tenant_table, tenant_fk

revision = "b7d41c2e9a63"
down_revision = '3f9b2d7c6a10'
branch_labels = None
depends_on = None


def upgrade():
    create_tenant_table(
        "positions",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("is_head", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        tenant_fk("unit_id", "org_units", ondelete="CASCADE"),
        sa.UniqueConstraint("tenant_id", "code", name="uq_positions_tenant_id_code"),
    )
    op.create_index("ix_positions_tenant_unit", "positions", ["tenant_id", "unit_id"])
    create_tenant_table(
        "position_holders",
        sa.Column("position_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("acting", sa.Boolean(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        tenant_fk("position_id", "positions", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_position_holders_user_id_users", ondelete="CASCADE"),
    )
    op.create_index("ix_position_holders_tenant_position", "position_holders", ["tenant_id", "position_id"])
    op.create_index("ix_position_holders_tenant_user", "position_holders", ["tenant_id", "user_id"])
    create_tenant_table(
        "approval_chains",
        sa.Column("module", sa.String(length=63), nullable=False),
        sa.Column("kind", sa.String(length=63), nullable=False),
        sa.Column("object_id", sa.String(length=63), nullable=False),
        sa.Column("steps", sa.JSON(), nullable=False),
        sa.Column("current", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("approvers", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("tenant_id", "module", "kind", "object_id",
                            name="uq_approval_chains_tenant_id_module_kind_object_id"),
    )
    create_tenant_table(
        "approval_actions",
        sa.Column("chain_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("step", sa.Integer(), nullable=True),
        sa.Column("to_step", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=254), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        tenant_fk("chain_id", "approval_chains", ondelete="CASCADE"),
    )
    op.create_index("ix_approval_actions_tenant_chain", "approval_actions", ["tenant_id", "chain_id", "id"])


def downgrade():
    op.drop_index("ix_approval_actions_tenant_chain", table_name="approval_actions")
    op.drop_table("approval_actions")
    op.drop_table("approval_chains")
    op.drop_index("ix_position_holders_tenant_user", table_name="position_holders")
    op.drop_index("ix_position_holders_tenant_position", table_name="position_holders")
    op.drop_table("position_holders")
    op.drop_index("ix_positions_tenant_unit", table_name="positions")
    op.drop_table("positions")
