"""complaints: the public figures' counters (complaint_figures), backfilled from every complaint

One row per tenant, dimension and key with the number of complaints counted there, as
``modules/complaints/summary.py`` keeps it (issue 11.1: the transparency and home pages read these
counters instead of aggregating over complaints). The backfill counts each existing complaint as that
module's ``contribution`` does at this revision (local months in the tenant's zone; the time to fix
in 6-minute buckets below 48 hours, 0.1 day up to a year and a day, whole days beyond, capped at ten
years). Downgrade drops the table.

The backfill goes tenant by tenant (``core.kit.each_tenant``), each query naming the tenant: under
PostgreSQL's FORCEd Row Level Security the owner that migrates sees only the one tenant
``pamong.tenant_ids`` names. This revision once named every tenant at once, which shows no rows as
soon as there are two (edited so that databases not yet upgraded count every complaint).

Revision ID: 8f3b6d2c1a47
Revises: f1e7c0a2b3d4
Create Date: 2026-11-30 18:00:00
"""
from collections import Counter
from datetime import timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from alembic import op

from core.kit import create_tenant_table, each_tenant


revision = '8f3b6d2c1a47'
down_revision = 'f1e7c0a2b3d4'
branch_labels = None
depends_on = None

TIME = sa.DateTime(timezone=True)
complaints = sa.table(
    "complaints", sa.column("tenant_id", sa.Integer), sa.column("status", sa.String),
    sa.column("category_code", sa.String), sa.column("agency_id", sa.Integer), sa.column("created_at", TIME),
    sa.column("outcome", sa.String), sa.column("confirmed_at", TIME), sa.column("resolved_at", TIME),
    sa.column("resolved_within_target", sa.Boolean),
)
tenants = sa.table("tenants", sa.column("id", sa.Integer), sa.column("timezone", sa.String))
figures = sa.table("complaint_figures", sa.column("tenant_id", sa.Integer), sa.column("dimension", sa.String),
                   sa.column("key", sa.String), sa.column("n", sa.Integer))


def _utc(value):
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def _zone(name):
    """The tenant's zone; WIB for a name that is none (the tenant schema never lets one in)."""
    try:
        return ZoneInfo(name or "Asia/Jakarta")
    except (ValueError, ZoneInfoNotFoundError):
        return ZoneInfo("Asia/Jakarta")


def _bucket(seconds: float) -> int:
    minutes = min(max(int(seconds // 60), 0), 10 * 365 * 24 * 60)
    width = 6 if minutes < 48 * 60 else 144 if minutes < 366 * 24 * 60 else 1440
    return minutes // width * width


def _keys(row, zone):
    created = _utc(row.created_at)
    keys = [("status", row.status), ("category", row.category_code), ("agency", str(row.agency_id)),
            ("filed", created.astimezone(zone).strftime("%Y-%m"))]
    if row.outcome:
        keys.append(("outcome", row.outcome))
    if row.confirmed_at is not None:
        keys.append(("confirmed", ""))
    if row.outcome == "fixed" and row.resolved_at is not None:
        resolved = _utc(row.resolved_at)
        keys.append(("fixed", resolved.astimezone(zone).strftime("%Y-%m")))
        keys.append(("fix_minutes", str(_bucket((resolved - created).total_seconds()))))
        if row.resolved_within_target is not None:
            keys.append(("within_target", "1" if row.resolved_within_target else "0"))
    return keys


def upgrade():
    create_tenant_table(
        "complaint_figures",
        sa.Column("dimension", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.UniqueConstraint("tenant_id", "dimension", "key", name="uq_complaint_figures_tenant_dimension_key"),
    )
    bind = op.get_bind()
    each_tenant(bind, lambda tenant: _count(bind, tenant))


def _count(bind, tenant: int) -> int:
    """The figures of ``tenant``'s complaints; how many rows were written."""
    zone = _zone(bind.execute(sa.select(tenants.c.timezone).where(tenants.c.id == tenant)).scalar())
    counts = Counter()
    for row in bind.execute(sa.select(complaints).where(complaints.c.tenant_id == tenant)):
        for key in _keys(row, zone):
            counts[key] += 1
    rows = [{"tenant_id": tenant, "dimension": d, "key": k, "n": n} for (d, k), n in sorted(counts.items())]
    for start in range(0, len(rows), 1000):
        bind.execute(figures.insert(), rows[start:start + 1000])
    return len(rows)


def downgrade():
    op.drop_table("complaint_figures")
