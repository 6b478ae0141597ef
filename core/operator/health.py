"""The deployment's health as the operator console shows it (issue 19, item 2).

``deployment_health(now)`` reads, across every tenant (an explicit ``read_scope``, the operator being
deployment-wide), with one grouped query per figure whatever the number of tenants:

- ``database``: ``True`` when a ``SELECT 1`` answers;
- ``queue``: ``True`` when the job queue's storage (``core.jobs``: the SQLite file or Redis) answers,
  with ``queue_size`` its waiting tasks (None when unreachable);
- ``outbox``: pending and failed message counts, and the oldest pending message's age (a
  ``timedelta``, None when nothing waits);
- ``unsealed``: audit entries not yet sealed into their tenant's chain (DESIGN §5);
- ``heartbeat``: the worker's latest heartbeat (``core.jobs.last_heartbeat``, aware UTC) and its age,
  both None when no worker ever beat.

``per_tenant`` maps a tenant id to its own ``{"pending", "failed", "unsealed"}`` counts. Nothing
here writes; an unreachable part is reported, never raised.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select, text

from ..audit import AuditEntry
from ..extensions import db
from ..notify.models import FAILED, PENDING, OutboxMessage
from ..tenancy.models import Tenant
from ..tenancy.scope import read_scope

log = logging.getLogger("pamong.operator")

# a worker beats every minute (core.jobs.worker_heartbeat); older than this, the console warns
HEARTBEAT_STALE = timedelta(minutes=3)


@dataclass
class Health:
    database: bool = False
    queue: bool = False
    queue_size: int | None = None
    pending: int = 0
    failed: int = 0
    oldest_pending_age: timedelta | None = None
    unsealed: int = 0
    heartbeat: datetime | None = None
    heartbeat_age: timedelta | None = None
    per_tenant: dict[int, dict[str, int]] = field(default_factory=dict)

    @property
    def heartbeat_stale(self) -> bool:
        return self.heartbeat_age is None or self.heartbeat_age > HEARTBEAT_STALE


def _database() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001 - reported on the page, not raised
        log.warning("health: the database did not answer", exc_info=True)
        db.session.rollback()
        return False


def _queue(health: Health) -> None:
    from ..jobs import huey, last_heartbeat

    try:
        health.queue_size = int(huey.storage.queue_size())
        health.queue = True
        health.heartbeat = last_heartbeat()
    except Exception:  # noqa: BLE001 - reported on the page, not raised
        log.warning("health: the job queue did not answer", exc_info=True)
        health.queue = False


def _tenant_figures(health: Health, now: datetime) -> None:
    tenant_ids = list(db.session.execute(select(Tenant.id)).scalars())
    if not tenant_ids:
        return
    per = {tid: {"pending": 0, "failed": 0, "unsealed": 0} for tid in tenant_ids}
    with read_scope(tenant_ids):
        outbox = db.session.execute(
            select(OutboxMessage.tenant_id, OutboxMessage.status, func.count(), func.min(OutboxMessage.created_at))
            .where(OutboxMessage.status.in_((PENDING, FAILED)))
            .group_by(OutboxMessage.tenant_id, OutboxMessage.status)
        ).all()
        unsealed = db.session.execute(
            select(AuditEntry.tenant_id, func.count()).where(AuditEntry.seq.is_(None)).group_by(AuditEntry.tenant_id)
        ).all()
    oldest = None
    for tenant_id, status, count, first in outbox:
        per.setdefault(tenant_id, {"pending": 0, "failed": 0, "unsealed": 0})[status] = count
        if status == PENDING and first is not None:
            oldest = _aware(first) if oldest is None else min(oldest, _aware(first))
    for tenant_id, count in unsealed:
        per.setdefault(tenant_id, {"pending": 0, "failed": 0, "unsealed": 0})["unsealed"] = count
    health.per_tenant = per
    health.pending = sum(p["pending"] for p in per.values())
    health.failed = sum(p["failed"] for p in per.values())
    health.unsealed = sum(p["unsealed"] for p in per.values())
    if oldest is not None:
        health.oldest_pending_age = max(now - _aware(oldest), timedelta(0))


def _aware(moment: datetime) -> datetime:
    from datetime import timezone

    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)  # SQLite gives naive UTC


def deployment_health(now: datetime) -> Health:
    """The figures above at ``now`` (aware UTC)."""
    health = Health(database=_database())
    _queue(health)
    if health.heartbeat is not None:
        health.heartbeat_age = max(now - health.heartbeat, timedelta(0))
    if health.database:
        _tenant_figures(health, now)
    return health
