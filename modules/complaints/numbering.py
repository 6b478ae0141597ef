"""Tracking numbers: gap-free per tenant and local year, e.g. ``MKS-2026-000123``.

The counter row (tenant, year) is created if missing and then locked in the transaction that
adds the complaint (``core.kit.write_lock`` first, so SQLite's transaction is a writer before it
reads the counter; then ``SELECT ... FOR UPDATE`` on PostgreSQL), so concurrent filings take
turns and a rolled-back complaint gives its number back.
"""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.dialects import postgresql, sqlite

from core.kit import db, tenant_scope, write_lock

from .models import ComplaintCounter


def local_year(tenant, when: datetime) -> int:
    """The year on the tenant's calendar (a complaint at 23:30 WIB on 31 December is still that year)."""
    return when.astimezone(ZoneInfo(tenant.timezone)).year


def prefix_of(tenant, settings: dict) -> str:
    return (settings.get("number_prefix") or tenant.slug).upper()


def format_number(prefix: str, year: int, seq: int) -> str:
    return f"{prefix}-{year}-{seq:06d}"


def allocate(tenant, when: datetime) -> tuple[int, int]:
    """Take the next number of ``tenant``'s year at ``when``: returns (year, seq)."""
    year = local_year(tenant, when)
    dialect = db.engine.dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    with tenant_scope(tenant):
        write_lock(db.session)
        db.session.execute(
            insert(ComplaintCounter.__table__)
            .values(tenant_id=tenant.id, year=year, last_number=0)
            .on_conflict_do_nothing(index_elements=["tenant_id", "year"])
        )
        counter = db.session.execute(
            db.select(ComplaintCounter)
            .where(ComplaintCounter.tenant_id == tenant.id, ComplaintCounter.year == year)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).scalar_one()
        counter.last_number += 1
        db.session.flush()
        return year, counter.last_number
