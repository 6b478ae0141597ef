"""The tables of the city card: holders, cards and terminals. Money is not here: each card's wallet
and each merchant or service point is an account on the core ledger (``core.kit.ledger``), named by
``wallet_code`` / ``account_code`` below; balances and the journal live there."""
from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.kit import IdentityNumber, TenantOwned, db, identity_hash, tenant_ref, utcnow

CARD_STATUSES = ("active", "blocked", "closed", "replaced")
HOLDER_KINDS = ("citizen", "employee")


class Holder(TenantOwned, db.Model):
    """A citizen (NIK, encrypted, with its keyed hash for lookups) or an employee (NIP)."""

    __tablename__ = "smartcard_holders"
    __table_args__ = (Index("ix_smartcard_holders_tenant_nik_hash", "tenant_id", "nik_hash"),)

    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(120))
    nik: Mapped[str | None] = mapped_column(IdentityNumber("nik"))
    nik_hash: Mapped[str] = identity_hash("nik")
    nip: Mapped[str | None] = mapped_column(IdentityNumber("nip"))
    nip_hash: Mapped[str] = identity_hash("nip")
    user_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("users.id", ondelete="SET NULL"))
    entitlements_json: Mapped[str] = mapped_column(Text, default="[]")  # ["library", "pool", "bus"]
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @property
    def entitlements(self) -> list[str]:
        return json.loads(self.entitlements_json or "[]")

    @entitlements.setter
    def entitlements(self, value) -> None:
        self.entitlements_json = json.dumps(sorted(set(value)))

    @property
    def registered(self) -> bool:
        """Registered in Bank Indonesia's sense: the holder's identity is known."""
        return bool(self.nik or self.nip)


class Card(TenantOwned, db.Model):
    __tablename__ = "smartcard_cards"
    __table_args__ = (
        UniqueConstraint("tenant_id", "number", name="uq_smartcard_cards_tenant_number"),
        Index("ix_smartcard_cards_tenant_holder", "tenant_id", "holder_id"),
    )

    number: Mapped[str] = mapped_column(String(19))  # 16 digits printed on the card
    status: Mapped[str] = mapped_column(String(10), default="active")
    holder_id: Mapped[int | None] = tenant_ref("smartcard_holders", ondelete="SET NULL")
    replaced_by: Mapped[str | None] = mapped_column(String(19))  # the new card's number
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def wallet_code(self) -> str:
        return f"card.{self.number}"


class Terminal(TenantOwned, db.Model):
    """A card reader or gate at a merchant or service point. It calls the API with a core API token
    of the tenant (scope ``smartcard:terminal``) whose name is ``token_name``."""

    __tablename__ = "smartcard_terminals"
    __table_args__ = (
        UniqueConstraint("tenant_id", "code", name="uq_smartcard_terminals_tenant_code"),
        UniqueConstraint("tenant_id", "token_name", name="uq_smartcard_terminals_tenant_token_name"),
    )

    code: Mapped[str] = mapped_column(String(32))
    merchant: Mapped[str] = mapped_column(String(32))  # a merchants[].code of the settings
    token_name: Mapped[str] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Callback(TenantOwned, db.Model):
    """A signed callback received (bank top-up, QRIS payment), kept by its signature digest so the
    same request is refused the second time."""

    __tablename__ = "smartcard_callbacks"
    __table_args__ = (UniqueConstraint("tenant_id", "digest", name="uq_smartcard_callbacks_tenant_digest"),)

    digest: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(8))  # bank, qris
    reference: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


def account_code(merchant_code: str) -> str:
    """The ledger account of a merchant or service point of the settings."""
    return f"merchant.{merchant_code}"


SETTLEMENT = "settlement.bank"  # the issuing bank's settlement account (top-ups come from it)
QRIS_SETTLEMENT = "settlement.qris"  # QRIS payments from other banks' apps arrive through it
FEES = "fees.smartcard"
