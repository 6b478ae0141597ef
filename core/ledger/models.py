"""The ledger's tables: accounts with their balances, and the immutable journal of transfers.

Shapes follow TigerBeetle's data model (docs.tigerbeetle.com, "Accounts" and "Transfers"): an
account keeps ``debits_posted``, ``credits_posted``, ``debits_pending`` and ``credits_pending``
(integer rupiah), updated in the transaction that writes the transfer; a transfer is never changed
after it is written: a pending transfer is resolved by a *new* transfer (``post``, ``void`` or
``expire``) that names it in ``pending_id`` (at most one, a unique key).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, CheckConstraint, DateTime, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..tenancy.models import utcnow
from ..tenancy.scope import TenantOwned, tenant_ref

KINDS = ("wallet", "merchant", "service_point", "settlement", "fees", "revenue")
# single: posted at once; pending: a hold; post/void/expire: the end of a hold (names pending_id)
TRANSFER_KINDS = ("single", "pending", "post", "void", "expire")


class Account(TenantOwned, db.Model):
    __tablename__ = "ledger_accounts"
    __table_args__ = (
        UniqueConstraint("tenant_id", "code"),
        CheckConstraint("NOT (debits_must_not_exceed_credits AND credits_must_not_exceed_debits)",
                        name="one_direction"),
    )

    code: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    debits_must_not_exceed_credits: Mapped[bool] = mapped_column(Boolean, default=False)
    credits_must_not_exceed_debits: Mapped[bool] = mapped_column(Boolean, default=False)
    balance_limit: Mapped[int | None] = mapped_column(BigInteger)  # rupiah; None: no limit
    debits_posted: Mapped[int] = mapped_column(BigInteger, default=0)
    credits_posted: Mapped[int] = mapped_column(BigInteger, default=0)
    debits_pending: Mapped[int] = mapped_column(BigInteger, default=0)
    credits_pending: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def balances(self) -> dict:
        return {"code": self.code, "kind": self.kind, "debits_posted": self.debits_posted,
                "credits_posted": self.credits_posted, "debits_pending": self.debits_pending,
                "credits_pending": self.credits_pending}


class Transfer(TenantOwned, db.Model):
    __tablename__ = "ledger_transfers"
    __table_args__ = (
        UniqueConstraint("tenant_id", "key"),
        UniqueConstraint("tenant_id", "pending_id"),  # a hold ends once: posted, voided or expired
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("debit_account_id <> credit_account_id", name="two_accounts"),
        Index("ix_ledger_transfers_tenant_debit", "tenant_id", "debit_account_id"),
        Index("ix_ledger_transfers_tenant_credit", "tenant_id", "credit_account_id"),
        Index("ix_ledger_transfers_tenant_timeout", "tenant_id", "timeout_at"),
    )

    key: Mapped[str] = mapped_column(String(64))  # the client's id: also its idempotency key
    kind: Mapped[str] = mapped_column(String(8))
    debit_account_id: Mapped[int] = tenant_ref("ledger_accounts")
    credit_account_id: Mapped[int] = tenant_ref("ledger_accounts")
    amount: Mapped[int] = mapped_column(BigInteger)  # rupiah; post: the amount posted; void: released
    pending_id: Mapped[int | None] = tenant_ref("ledger_transfers")
    timeout_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # pending only
    linked: Mapped[str | None] = mapped_column(String(64))  # key of the first leg of a linked chain
    memo: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
