"""Accounts: users (deployment-wide), their roles per tenant, permissions per role, API tokens."""
from __future__ import annotations

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..tenancy.models import utcnow
from ..tenancy.scope import TenantOwned, tenant_ref

ROLES = ("citizen", "officer", "admin", "auditor")


def new_session_generation() -> str:
    """A fresh random value for ``User.session_generation`` (ends every session of the person)."""
    return secrets.token_urlsafe(12)


class User(UserMixin, db.Model):
    """A person. The account is deployment-wide; what they may do is per tenant (Membership)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    is_operator: Mapped[bool] = mapped_column(Boolean, default=False)  # deployment operator
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    locale: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # in every session and remember cookie (get_id); a new value signs the person out everywhere
    session_generation: Mapped[str] = mapped_column(String(32), default=new_session_generation, server_default="0")
    # in every invitation, reset and verification link (core/auth/tokens.py); changed when one is
    # used or the password changes, so a used link dies with all its siblings
    token_nonce: Mapped[str] = mapped_column(String(32), default="", server_default="")
    # a self-registered account that has not yet verified its address: it cannot sign in
    needs_verification: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    # the signature block of an official letter (Permendagri 1/2023): NIP, the civil servant's
    # 18-digit number (core/identity.py parse_nip; one person's, so unique when set) and the
    # pangkat/golongan, e.g. "Pembina Tk. I (IV/b)"; both empty for someone who is not an ASN.
    # Set by the tenant file's [[accounts.people]] (core/auth/official.py); read by official_identity.
    nip: Mapped[str | None] = mapped_column(String(18), unique=True)
    rank: Mapped[str | None] = mapped_column(String(60))
    # the gelar (academic titles) printed before and after the name when a letter prints it with
    # gelar (Permendagri 1/2023 Pasal 44), e.g. "Dr." and "S.T., M.Si."; ``name`` is then the name
    # without them. Both empty: the name is printed as stored, with or without gelar.
    title_front: Mapped[str | None] = mapped_column(String(40))
    title_back: Mapped[str | None] = mapped_column(String(60))

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        """Flask-Login's alternative id ``"<id>:<session generation>"`` (core/auth/session.py)."""
        return f"{self.id}:{self.session_generation}"

    def __str__(self) -> str:
        return self.email


class Membership(TenantOwned, db.Model):
    """A user's role in one tenant; an officer belongs to an agency (org unit)."""

    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("tenant_id", "user_id", "role", "agency_id"),
        Index("ix_memberships_tenant_user", "tenant_id", "user_id"),
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(32))
    agency_id: Mapped[int | None] = tenant_ref("org_units")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    user: Mapped[User] = relationship(lazy="joined")


class RolePermission(TenantOwned, db.Model):
    """A permission granted to a role in one tenant."""

    __tablename__ = "role_permissions"
    __table_args__ = (UniqueConstraint("tenant_id", "role", "permission"),)

    role: Mapped[str] = mapped_column(String(32))
    permission: Mapped[str] = mapped_column(String(100))


class ApiToken(TenantOwned, db.Model):
    """A per-tenant API token; only its SHA-256 is kept."""

    __tablename__ = "api_tokens"
    __table_args__ = (UniqueConstraint("tenant_id", "name"), UniqueConstraint("tenant_id", "digest"))

    name: Mapped[str] = mapped_column(String(100))
    digest: Mapped[str] = mapped_column(String(64))
    prefix: Mapped[str] = mapped_column(String(12))
    scopes: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
