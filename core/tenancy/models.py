"""Tenants (provinces, regencies, cities), their domains, organisation and enabled modules."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .scope import TenantOwned, tenant_ref

KINDS = ("province", "regency", "city")
ORG_KINDS = ("agency", "section", "district", "village")  # a section: a unit inside an agency (bidang)


def utcnow() -> datetime:
    """Now, aware UTC, from the core's one clock (``core/clock.py``; tests may freeze it)."""
    from ..clock import now

    return now()


class Tenant(db.Model):
    """The registry of tenants. Not tenant-owned: resolution reads it before any scope exists."""

    __tablename__ = "tenants"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(63), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("tenants.id"), index=True)
    timezone: Mapped[str] = mapped_column(String(64))
    locales: Mapped[list] = mapped_column(JSON, default=lambda: ["id", "en"])
    branding: Mapped[dict] = mapped_column(JSON, default=dict)
    extra: Mapped[dict] = mapped_column(JSON, default=dict)  # free keys of the TOML's [extra]
    public_url: Mapped[str] = mapped_column(String(300), default="", server_default="")  # core/links.py
    # citizens may create their own account here ([accounts] self_registration; core/auth/registration.py)
    self_registration: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    # bumped by every change to the tenant's configuration: the key of each process's cache of its
    # enabled modules and module settings (core/tenancy/config_cache.py)
    config_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # the tenant's own days off ([[holidays]]: {"date": "YYYY-MM-DD", "name"}), see core/calendar.py
    holidays: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Head of the sealed audit chain (DESIGN §5): deleting the newest sealed entry is detectable.
    audit_head_seq: Mapped[int] = mapped_column(Integer, default=0)
    audit_head_hash: Mapped[str] = mapped_column(String(64), default="")

    parent: Mapped["Tenant | None"] = relationship(remote_side="Tenant.id", lazy="joined", join_depth=1)
    domains: Mapped[list["Domain"]] = relationship(
        back_populates="tenant", cascade="all, delete-orphan", order_by="Domain.host"
    )

    @property
    def default_locale(self) -> str:
        return (self.locales or ["id"])[0]

    def tagline(self, locale: str) -> str:
        """The branding's tagline for a page in ``locale``: ``tagline_en`` on English pages where
        the tenant file gives one, ``tagline`` otherwise."""
        branding = self.branding or {}
        return (locale == "en" and branding.get("tagline_en")) or branding.get("tagline", "")

    def __repr__(self) -> str:
        return f"<Tenant {self.slug}>"


class Domain(db.Model):
    """A host name that resolves to a tenant (e.g. layanan.makassarkota.go.id)."""

    __tablename__ = "tenant_domains"

    host: Mapped[str] = mapped_column(String(253), primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    tenant: Mapped[Tenant] = relationship(back_populates="domains")


class TenantModule(TenantOwned, db.Model):
    """A module as a tenant has it: enabled or not, with its validated settings."""

    __tablename__ = "tenant_modules"
    __table_args__ = (UniqueConstraint("tenant_id", "module"),)

    module: Mapped[str] = mapped_column(String(63))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    settings: Mapped[dict] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class OrgUnit(TenantOwned, db.Model):
    """The tenant's organisation: agencies (SKPD) with their sections (bidang), districts (kecamatan),
    villages (kelurahan)."""

    __tablename__ = "org_units"
    __table_args__ = (
        UniqueConstraint("tenant_id", "kind", "code"),
        Index("ix_org_units_tenant_parent", "tenant_id", "parent_id"),
    )

    kind: Mapped[str] = mapped_column(String(16))
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[int | None] = tenant_ref("org_units")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    extra: Mapped[dict] = mapped_column(JSON, default=dict)  # e.g. the agency head's contact


class Position(TenantOwned, db.Model):
    """A position (jabatan) inside an org unit; ``is_head`` marks the unit's head (kepala dinas,
    camat, lurah). Codes are unique per tenant, so an approval step names a position by code."""

    __tablename__ = "positions"
    __table_args__ = (
        UniqueConstraint("tenant_id", "code"),
        Index("ix_positions_tenant_unit", "tenant_id", "unit_id"),
    )

    unit_id: Mapped[int] = tenant_ref("org_units", ondelete="CASCADE")
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    is_head: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    unit: Mapped[OrgUnit] = relationship(
        primaryjoin="and_(OrgUnit.id == foreign(Position.unit_id), OrgUnit.tenant_id == Position.tenant_id)",
        lazy="joined", viewonly=True,
    )


class PositionHolder(TenantOwned, db.Model):
    """A person holding a position: definitively, or acting (``acting``; Plt., Plh. or Pj. by
    ``acting_kind``) from ``starts_on``
    to ``ends_on`` (inclusive, the tenant's local dates; no start: since before the records; no end:
    until changed). A holding that ends keeps its row (``ends_on`` set): the position's history."""

    __tablename__ = "position_holders"
    __table_args__ = (
        Index("ix_position_holders_tenant_position", "tenant_id", "position_id"),
        Index("ix_position_holders_tenant_user", "tenant_id", "user_id"),
    )

    position_id: Mapped[int] = tenant_ref("positions", ondelete="CASCADE")
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    acting: Mapped[bool] = mapped_column(Boolean, default=False)
    # what kind of acting holder (Permendagri 1/2023 Pasal 44): "plt" (pelaksana tugas), "plh"
    # (pelaksana harian), "pj" (penjabat), "pjs" (penjabat sementara); None for a definitive holder (``ACTING_KINDS``)
    acting_kind: Mapped[str | None] = mapped_column(String(3))
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)

    def valid_on(self, day: date) -> bool:
        """Whether the holding counts on ``day`` (its dates inclusive)."""
        return (self.starts_on is None or self.starts_on <= day) and (self.ends_on is None or day <= self.ends_on)

    @classmethod
    def held_on(cls, day: date):
        """The SQL condition of ``valid_on``: the holding counts on ``day`` (a query's ``where``)."""
        from sqlalchemy import and_, or_

        return and_(or_(cls.starts_on.is_(None), cls.starts_on <= day), or_(cls.ends_on.is_(None), cls.ends_on >= day))
