"""Sealing and verifying the per-tenant hash chain of the audit trail.

Writers only ever INSERT unsealed entries, so they never wait on each other. The sealer (a
background job, queued after each commit that wrote entries, plus a periodic sweep) takes one
tenant's unsealed entries in id order in a write transaction (``core.locking``: ``BEGIN IMMEDIATE``
on SQLite, a per-tenant advisory lock on PostgreSQL), gives each the next ``seq`` and
``hash = sha256(prev_hash + canonical JSON)``, and moves the tenant's chain head in the same
transaction. ``verify`` recomputes the chain on one snapshot and names the first broken link; it
never seals, and entries not yet sealed are counted, not called broken.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select, text, update

from ..extensions import db
from ..locking import read_snapshot, write_transaction
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


SEAL_LOCK = "audit.seal"


def _enter_tenant(conn, tenant_id: int) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT set_config('pamong.tenant_ids', :ids, true)"), {"ids": str(tenant_id)})


def _seal_batch(conn, tenant_id: int) -> int | None:
    """Seal up to BATCH entries under the tenant's write lock; None if the tenant is gone."""
    head = conn.execute(
        select(Tenant.audit_head_seq, Tenant.audit_head_hash).where(Tenant.id == tenant_id)
    ).one_or_none()
    if head is None:
        return None
    seq, prev = head.audit_head_seq or 0, head.audit_head_hash or ""
    rows = conn.execute(
        select(T).where(T.c.tenant_id == tenant_id, T.c.seq.is_(None)).order_by(T.c.id).limit(BATCH)
    ).all()
    for row in rows:
        seq += 1
        digest = entry_hash(prev, row)
        done = conn.execute(
            update(T).where(T.c.id == row.id, T.c.seq.is_(None)).values(seq=seq, prev_hash=prev, hash=digest)
        ).rowcount
        if done != 1:  # cannot happen under the lock; refuse to move the head past a gap
            raise SealError(f"audit entry {row.id} of tenant {tenant_id} was sealed by someone else")
        prev = digest
    if rows:
        conn.execute(
            update(Tenant.__table__).where(Tenant.id == tenant_id).values(audit_head_seq=seq, audit_head_hash=prev)
        )
    return len(rows)


class SealError(RuntimeError):
    """The chain could not be extended (the transaction was rolled back; nothing was sealed)."""


def seal_tenant(tenant_id: int, engine=None) -> int:
    """Seal the tenant's unsealed entries, in batches; returns how many were sealed.

    Idempotent, and safe from any number of threads and processes at once: each batch reads the
    head and the unsealed entries and writes them in one write transaction (``core.locking``:
    ``BEGIN IMMEDIATE`` on SQLite, an advisory lock per tenant on PostgreSQL), so two sealers
    take turns and the second finds nothing left to seal. Writers of new entries only INSERT and
    are not held up on PostgreSQL. Raises SQLAlchemy's ``OperationalError`` when the database is
    unreachable or stays locked past the busy timeout (the worker retries the task).
    """
    engine = engine or db.engine
    sealed = 0
    while True:
        with write_transaction(engine, SEAL_LOCK, tenant_id) as conn:
            _enter_tenant(conn, tenant_id)
            count = _seal_batch(conn, tenant_id)
        if not count:
            return sealed
        sealed += count


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
    """Recompute the tenant's chain from the first entry; stop at the first broken link.

    Reads one committed state (``core.locking.read_snapshot``), so a sealer committing meanwhile is
    never mistaken for tampering: entries not yet sealed are counted in ``unsealed`` and are not
    a fault; ``broken`` names only what a sealer cannot have left (a gap, a changed entry, a head
    that does not match the chain's end).
    """
    engine = engine or db.engine
    with read_snapshot(engine) as conn:
        _enter_tenant(conn, tenant.id)
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
        verdict.broken = _head_fault(verdict.checked, prev, head.audit_head_seq or 0, head.audit_head_hash or "")
        return verdict


def _head_fault(last_seq: int, last_hash: str, head_seq: int, head_hash: str) -> str | None:
    if last_seq < head_seq:
        return (f"chain ends at seq {last_seq} but its head is seq {head_seq}: "
                "the newest sealed entries were deleted")
    if last_seq > head_seq:
        return (f"chain ends at seq {last_seq} but its head is seq {head_seq}: "
                "the head was set back (the sealer moves both in one transaction)")
    if last_hash != head_hash:
        return f"the head's hash does not match entry seq {last_seq}: the head or that entry was replaced"
    return None
