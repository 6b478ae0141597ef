"""Sealing and verifying the per-tenant hash chain of the audit trail.

Writers only ever INSERT unsealed entries, so they never wait on each other. The sealer (a
background job, queued after each commit that wrote entries, plus a periodic sweep) takes one
tenant's unsealed entries in id order under a per-tenant lock, gives each the next ``seq`` and
``hash = sha256(prev_hash + canonical JSON)``, and moves the tenant's chain head. ``verify``
recomputes the chain and names the first broken link; it never seals.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select, text, update

from ..extensions import db
from ..tenancy.models import Tenant
from .models import AuditEntry, canonical_fields

BATCH = 1000
T = AuditEntry.__table__


def entry_hash(prev_hash: str, row) -> str:
    occurred = row.occurred_at
    if isinstance(occurred, datetime) and occurred.tzinfo is not None:
        occurred = occurred.astimezone(timezone.utc)
    fields = canonical_fields(
        row.tenant_id, row.id, occurred, row.actor_id, row.actor, row.action,
        row.object_type, row.object_id, row.summary,
    )
    payload = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((prev_hash + payload).encode()).hexdigest()


def _enter_tenant(conn, tenant_id: int, lock: bool) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT set_config('pamong.tenant_ids', :ids, true)"), {"ids": str(tenant_id)})
        if lock:
            conn.execute(text("SELECT pg_advisory_xact_lock(7013, :tid)"), {"tid": tenant_id})


def seal_tenant(tenant_id: int, engine=None) -> int:
    """Seal the tenant's unsealed entries; returns how many were sealed."""
    engine = engine or db.engine
    sealed = 0
    while True:
        with engine.begin() as conn:
            _enter_tenant(conn, tenant_id, lock=True)
            head = conn.execute(
                select(Tenant.audit_head_seq, Tenant.audit_head_hash).where(Tenant.id == tenant_id)
            ).one_or_none()
            if head is None:
                return sealed
            seq, prev = head.audit_head_seq or 0, head.audit_head_hash or ""
            rows = conn.execute(
                select(T).where(T.c.tenant_id == tenant_id, T.c.seq.is_(None)).order_by(T.c.id).limit(BATCH)
            ).all()
            if not rows:
                return sealed
            for row in rows:
                seq += 1
                digest = entry_hash(prev, row)
                conn.execute(
                    update(T).where(T.c.id == row.id, T.c.seq.is_(None)).values(seq=seq, prev_hash=prev, hash=digest)
                )
                prev = digest
            conn.execute(
                update(Tenant.__table__).where(Tenant.id == tenant_id).values(audit_head_seq=seq, audit_head_hash=prev)
            )
            sealed += len(rows)


def seal_all(engine=None) -> int:
    engine = engine or db.engine
    with engine.connect() as conn:
        ids = [r[0] for r in conn.execute(select(Tenant.id).order_by(Tenant.id))]
    return sum(seal_tenant(tid, engine) for tid in ids)


@dataclass
class Verdict:
    tenant: str
    checked: int
    unsealed: int
    broken: str | None = None

    @property
    def ok(self) -> bool:
        return self.broken is None


def verify_tenant(tenant: Tenant, engine=None) -> Verdict:
    """Recompute the tenant's chain from the first entry; stop at the first broken link."""
    engine = engine or db.engine
    with engine.begin() as conn:
        _enter_tenant(conn, tenant.id, lock=False)
        head = conn.execute(
            select(Tenant.audit_head_seq, Tenant.audit_head_hash).where(Tenant.id == tenant.id)
        ).one()
        unsealed = conn.execute(
            select(db.func.count()).select_from(T).where(T.c.tenant_id == tenant.id, T.c.seq.is_(None))
        ).scalar_one()
        verdict = Verdict(tenant.slug, 0, unsealed)
        prev, expected_seq = "", 1
        rows = conn.execution_options(yield_per=2000).execute(
            select(T).where(T.c.tenant_id == tenant.id, T.c.seq.is_not(None)).order_by(T.c.seq)
        )
        for row in rows:
            if row.seq != expected_seq:
                verdict.broken = f"entry with seq {expected_seq} is missing (deleted or renumbered); next is id {row.id}"
                return verdict
            if row.prev_hash != prev:
                verdict.broken = f"entry id {row.id} (seq {row.seq}) does not follow its predecessor (reordered or replaced)"
                return verdict
            if entry_hash(prev, row) != row.hash:
                verdict.broken = f"entry id {row.id} (seq {row.seq}) was altered after sealing"
                return verdict
            prev, expected_seq = row.hash, expected_seq + 1
            verdict.checked += 1
        if verdict.checked != (head.audit_head_seq or 0) or prev != (head.audit_head_hash or ""):
            verdict.broken = (
                f"chain ends at seq {verdict.checked} but its head is seq {head.audit_head_seq}: "
                "the newest sealed entries were deleted"
            )
        return verdict
