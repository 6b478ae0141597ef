"""smart card: holders, cards, terminals, signed callbacks

The module's first revision: its own branch (smartcard) and version table
(alembic_version_smartcard). Money lives on the core ledger, not here.

Revision ID: 5c7a1e0d9b21
Revises:
Create Date: 2026-11-30 14:45
"""
import sqlalchemy as sa
from alembic import op

from core.kit import create_tenant_table, tenant_fk

revision = "5c7a1e0d9b21"
down_revision = None
branch_labels = ("smartcard",)
depends_on = None


def upgrade():
    create_tenant_table(
        "smartcard_holders",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("nik", sa.Text(), nullable=True),
        sa.Column("nik_hash", sa.String(length=64), nullable=False),
        sa.Column("nip", sa.Text(), nullable=True),
        sa.Column("nip_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("entitlements_json", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_smartcard_holders_user_id_users",
                                ondelete="SET NULL"),
    )
    op.create_index("ix_smartcard_holders_tenant_nik_hash", "smartcard_holders", ["tenant_id", "nik_hash"])
    create_tenant_table(
        "smartcard_cards",
        sa.Column("number", sa.String(length=19), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("holder_id", sa.Integer(), nullable=True),
        sa.Column("replaced_by", sa.String(length=19), nullable=True),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        tenant_fk("holder_id", "smartcard_holders", ondelete="SET NULL"),
        sa.UniqueConstraint("tenant_id", "number", name="uq_smartcard_cards_tenant_number"),
    )
    op.create_index("ix_smartcard_cards_tenant_holder", "smartcard_cards", ["tenant_id", "holder_id"])
    create_tenant_table(
        "smartcard_terminals",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("merchant", sa.String(length=32), nullable=False),
        sa.Column("token_name", sa.String(length=64), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("tenant_id", "code", name="uq_smartcard_terminals_tenant_code"),
        sa.UniqueConstraint("tenant_id", "token_name", name="uq_smartcard_terminals_tenant_token_name"),
    )
    create_tenant_table(
        "smartcard_callbacks",
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("reference", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("tenant_id", "digest", name="uq_smartcard_callbacks_tenant_digest"),
    )


def downgrade():
    op.drop_table("smartcard_callbacks")
    op.drop_table("smartcard_terminals")
    op.drop_index("ix_smartcard_cards_tenant_holder", table_name="smartcard_cards")
    op.drop_table("smartcard_cards")
    op.drop_index("ix_smartcard_holders_tenant_nik_hash", table_name="smartcard_holders")
    op.drop_table("smartcard_holders")
