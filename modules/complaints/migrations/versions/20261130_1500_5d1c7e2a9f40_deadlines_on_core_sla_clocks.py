"""complaints' deadlines on the core's SLA clocks (core/sla): every complaint that has no clock kept
gets one per target from its own columns, each deadline exactly as the column holds it.

A clock (object "complaint", its id; clock "response", "followup" or "resolution", as
``modules/complaints/clocks.py`` names them) starts when its target began (filing; the follow-up at
verification, else filing). A pending target runs, paused since ``paused_at`` while the complaint
waits on the citizen; a target met or ended is finished at the best-known instant (the response at
``responded_at``, the resolution at ``resolved_at``/``closed_at``, else the last update). Earlier
waits left no trace in the columns, so the history kept begins here. The service level (unit,
amount) is the category's in the tenant's settings, else the module's defaults of this revision
(SP4N-LAPOR!: response 3 working days, follow-up 5 working days, resolution 60 days). Downgrade
removes the complaints' clocks (the columns were kept all along).

Both directions go tenant by tenant (``core.kit.each_tenant``), each query naming the tenant: under
PostgreSQL's FORCEd Row Level Security the owner that migrates sees only the one tenant
``pamong.tenant_ids`` names. This revision once named every tenant at once, which shows no rows as
soon as there are two (edited so that databases not yet upgraded get every complaint's clocks).

Revision ID: 5d1c7e2a9f40
Revises: c3e8a1f05d27
Create Date: 2026-11-30 15:00:00
"""
from datetime import timezone

import sqlalchemy as sa
from alembic import op

from core.kit import each_tenant


revision = '5d1c7e2a9f40'
down_revision = 'c3e8a1f05d27'
branch_labels = None
depends_on = None

OPEN = ("submitted", "verified", "assigned", "in_progress")
DEFAULT = {"response_days": 3, "followup_days": 5, "resolution_days": 60, "in_working_days": ["response", "followup"]}
TIME = sa.DateTime(timezone=True)
complaints = sa.table(
    "complaints", sa.column("id", sa.Integer), sa.column("tenant_id", sa.Integer),
    sa.column("category_code", sa.String), sa.column("status", sa.String), sa.column("created_at", TIME), sa.column("updated_at", TIME),
    sa.column("responded_at", TIME), sa.column("resolved_at", TIME), sa.column("closed_at", TIME),
    sa.column("paused_at", TIME), sa.column("response_due_at", TIME), sa.column("followup_due_at", TIME),
    sa.column("resolution_due_at", TIME),
)
modules = sa.table("tenant_modules", sa.column("tenant_id", sa.Integer), sa.column("module", sa.String),
                   sa.column("settings", sa.JSON))
segments = sa.table(
    "sla_segments", sa.column("tenant_id", sa.Integer), sa.column("object_kind", sa.String),
    sa.column("object_id", sa.String), sa.column("clock", sa.String), sa.column("seq", sa.Integer),
    sa.column("unit", sa.String), sa.column("amount", sa.Integer), sa.column("phase", sa.String),
    sa.column("started_at", TIME), sa.column("ended_at", TIME), sa.column("ended_by", sa.String),
    sa.column("due_at", TIME),
)


def _utc(value):
    if value is None:
        return None
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def _level(category: dict, target: str):
    cat = {**DEFAULT, **(category or {})}
    if target == "response" and cat.get("response_hours"):
        return "hours", int(cat["response_hours"])
    amount = int(cat[f"{target}_days"])
    return ("working_days" if target in cat["in_working_days"] else "days"), amount


def _pending(row) -> set:
    found = set()
    if row.status == "submitted":
        found.add("response")
    if row.status in ("verified", "assigned") and row.followup_due_at is not None:
        found.add("followup")
    if row.status in OPEN:
        found.add("resolution")
    return found


def _clocks(row, categories: dict) -> list[dict]:
    filed, pending, paused = _utc(row.created_at), _pending(row), _utc(row.paused_at)
    begun = {"response": filed, "resolution": filed, "followup": _utc(row.responded_at) or filed}
    ended = {"response": row.responded_at or row.closed_at or row.updated_at, "followup": row.updated_at,
             "resolution": row.resolved_at or row.closed_at or row.updated_at}
    out = []
    for target in ("response", "followup", "resolution"):
        due = _utc(getattr(row, f"{target}_due_at"))
        if due is None:
            continue
        unit, amount = _level(categories.get(row.category_code), target)
        start = begun[target]
        base = {"tenant_id": row.tenant_id, "object_kind": "complaint", "object_id": str(row.id), "clock": target,
                "unit": unit, "amount": amount, "due_at": due}
        if target in pending and paused is not None:
            at = max(paused, start)
            out += [{**base, "seq": 0, "phase": "running", "started_at": start, "ended_at": at, "ended_by": "pause"},
                    {**base, "seq": 1, "phase": "paused", "started_at": at, "ended_at": None, "ended_by": None}]
        elif target in pending:
            out.append({**base, "seq": 0, "phase": "running", "started_at": start, "ended_at": None, "ended_by": None})
        else:
            end = max(_utc(ended[target]) or start, start)
            out.append({**base, "seq": 0, "phase": "running", "started_at": start, "ended_at": end,
                        "ended_by": "finish"})
    return out


def upgrade():
    bind = op.get_bind()
    each_tenant(bind, lambda tenant: _clock_complaints(bind, tenant))


def _clock_complaints(bind, tenant: int) -> int:
    """Clocks for the complaints of ``tenant`` that have none; how many clocks were written."""
    categories = {}
    for settings in bind.execute(sa.select(modules.c.settings).where(
            modules.c.tenant_id == tenant, modules.c.module == "complaints")).scalars():
        listed = (settings or {}).get("categories", [])
        categories = {c.get("code"): c for c in listed if isinstance(c, dict)}
    kept = sa.select(segments.c.object_id).where(
        segments.c.tenant_id == complaints.c.tenant_id, segments.c.object_kind == "complaint",
        segments.c.object_id == sa.cast(complaints.c.id, sa.String),
    ).exists()
    rows = bind.execute(sa.select(complaints).where(complaints.c.tenant_id == tenant, ~kept)
                        .order_by(complaints.c.id)).all()
    batch, written = [], 0
    for row in rows:
        batch += _clocks(row, categories)
        if len(batch) >= 1000:
            bind.execute(segments.insert(), batch)
            written, batch = written + len(batch), []
    if batch:
        bind.execute(segments.insert(), batch)
    return written + len(batch)


def downgrade():
    bind = op.get_bind()
    each_tenant(bind, lambda tenant: bind.execute(segments.delete().where(
        segments.c.tenant_id == tenant, segments.c.object_kind == "complaint")))
