"""ledger and idempotency keys: accounts, the immutable journal of transfers, and the keys of
idempotent POST requests (issue 13), tenant-keyed (DESIGN §4)

Revision ID: a7d3e91c4b20
Revises: d0c5a1b2e3f4
Create Date: 2026-11-30 13:00:00
"""
from alembic import op
import sqlalchemy as sa

from core.tenancy.keys import create_tenant_table, tenant_fk

revision = 'a7d3e91c4b20'
down_revision = 'd0c5a1b2e3f4'
branch_labels = None
depends_on = None


def upgrade():
    create_tenant_table(
        "ledger_accounts",
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("debits_must_not_exceed_credits", sa.Boolean(), nullable=False),
        sa.Column("credits_must_not_exceed_debits", sa.Boolean(), nullable=False),
        sa.Column("balance_limit", sa.BigInteger(), nullable=True),
        sa.Column("debits_posted", sa.BigInteger(), nullable=False),
        sa.Column("credits_posted", sa.BigInteger(), nullable=False),
        sa.Column("debits_pending", sa.BigInteger(), nullable=False),
        sa.Column("credits_pending", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("tenant_id", "code", name="uq_ledger_accounts_tenant_id_code"),
        sa.CheckConstraint("NOT (debits_must_not_exceed_credits AND credits_must_not_exceed_debits)",
                           name="ck_ledger_accounts_one_direction"),
    )
    create_tenant_table(
        "ledger_transfers",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("debit_account_id", sa.Integer(), nullable=False),
        sa.Column("credit_account_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("pending_id", sa.Integer(), nullable=True),
        sa.Column("timeout_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("linked", sa.String(64), nullable=True),
        sa.Column("memo", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("tenant_id", "key", name="uq_ledger_transfers_tenant_id_key"),
        sa.UniqueConstraint("tenant_id", "pending_id", name="uq_ledger_transfers_tenant_id_pending_id"),
        sa.CheckConstraint("amount > 0", name="ck_ledger_transfers_amount_positive"),
        sa.CheckConstraint("debit_account_id <> credit_account_id", name="ck_ledger_transfers_two_accounts"),
        tenant_fk("debit_account_id", "ledger_accounts"),
        tenant_fk("credit_account_id", "ledger_accounts"),
        tenant_fk("pending_id", "ledger_transfers"),
    )
    op.create_index("ix_ledger_transfers_tenant_debit", "ledger_transfers", ["tenant_id", "debit_account_id"])
    op.create_index("ix_ledger_transfers_tenant_credit", "ledger_transfers", ["tenant_id", "credit_account_id"])
    op.create_index("ix_ledger_transfers_tenant_timeout", "ledger_transfers", ["tenant_id", "timeout_at"])
    # a transfer is never changed: a correction is a new transfer (deleting the tenant still cascades)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""
CREATE OR REPLACE FUNCTION pamong_ledger_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger transfers are immutable (transfer %)', OLD.id;
END $$;
CREATE TRIGGER ledger_transfers_immutable BEFORE UPDATE ON ledger_transfers
  FOR EACH ROW EXECUTE FUNCTION pamong_ledger_immutable();
""")
    else:
        op.execute("CREATE TRIGGER ledger_transfers_immutable BEFORE UPDATE ON ledger_transfers "
                   "BEGIN SELECT RAISE(ABORT, 'ledger transfers are immutable'); END")
    create_tenant_table(
        "idempotency_keys",
        sa.Column("client", sa.String(128), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("response_status", sa.Integer(), nullable=True),
        sa.Column("response_type", sa.String(128), nullable=True),
        sa.Column("response_body", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("tenant_id", "client", "key", name="uq_idempotency_keys_tenant_id_client_key"),
    )
    op.create_index("ix_idempotency_keys_tenant_expires", "idempotency_keys", ["tenant_id", "expires_at"])


def downgrade():
    op.drop_table("idempotency_keys")
    op.drop_table("ledger_transfers")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS pamong_ledger_immutable()")
    op.drop_table("ledger_accounts")
