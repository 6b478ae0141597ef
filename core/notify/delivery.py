"""Delivering the outbox: one attempt per task, retries with exponential backoff, a periodic sweep.

An attempt first *claims* the message (an UPDATE that only succeeds while it is pending and due,
pushing ``next_attempt_at`` a lease ahead), commits, then talks to the provider outside any
transaction, then records the outcome. So the task queued after commit and the sweep never send
the same message twice at once, and a worker that dies mid-send only delays a retry by the lease.
After ``PAMONG_NOTIFY_MAX_ATTEMPTS`` attempts (or a permanent error) the message is ``failed``.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from ..extensions import db
from ..tenancy.models import Tenant, utcnow
from ..tenancy.scope import read_scope, tenant_scope
from .models import FAILED, PENDING, SENT, OutboxMessage
from .providers import DeliveryError, Outgoing, provider_for

log = logging.getLogger("pamong.notify")
LEASE = timedelta(minutes=5)
MAX_DELAY = timedelta(hours=6)


def backoff(attempts: int, base_seconds: int) -> timedelta:
    """The wait after the ``attempts``-th failed attempt: base, 2×base, 4×base, ... at most 6 hours."""
    return min(timedelta(seconds=base_seconds * 2 ** max(attempts - 1, 0)), MAX_DELAY)


def _redact(error: str, message: Outgoing) -> str:
    """An error text never carries the recipient (some servers quote it back)."""
    forms = {message.to, message.to.lstrip("+")}
    if message.to.startswith("+62"):
        forms.add("0" + message.to[3:])  # the national spelling
    for value in sorted(forms, key=len, reverse=True):
        error = error.replace(value, "<recipient>")
    return error[:500]


def _claim(message_id: int, now: datetime) -> Outgoing | None:
    claimed = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == PENDING, OutboxMessage.next_attempt_at <= now)
        .values(attempts=OutboxMessage.attempts + 1, next_attempt_at=now + LEASE)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        db.session.rollback()
        return None
    row = db.session.execute(
        select(OutboxMessage).where(OutboxMessage.id == message_id).execution_options(populate_existing=True)
    ).scalar_one()
    outgoing = Outgoing(id=row.id, tenant_id=row.tenant_id, channel=row.channel, to=row.recipient,
                        subject=row.subject, body=row.body, ref=row.ref)
    db.session.commit()
    return outgoing


def _send(outgoing: Outgoing) -> tuple[str | None, str | None, str | None, bool]:
    """(provider name, provider's message id, error, permanent)"""
    name = None
    try:
        provider = provider_for(outgoing.channel, current_app.config)
        name = provider.name
        return name, provider.send(outgoing), None, False
    except DeliveryError as exc:
        return name, None, _redact(str(exc), outgoing), exc.permanent
    except Exception as exc:  # noqa: BLE001 - a provider bug must not lose the message
        return name, None, _redact(f"{type(exc).__name__}: {exc}", outgoing), False


def deliver(tenant_id: int, message_id: int, now: datetime | None = None) -> str | None:
    """Make one delivery attempt; returns the message's new status, or None if it was not due
    (already sent, failed, being sent by another worker, or not yet time for a retry)."""
    now = now or utcnow()
    config = current_app.config
    with tenant_scope(tenant_id):
        outgoing = _claim(message_id, now)
        if outgoing is None:
            return None
        provider, provider_ref, error, permanent = _send(outgoing)
        row = db.session.execute(
            select(OutboxMessage).where(OutboxMessage.id == message_id).execution_options(populate_existing=True)
        ).scalar_one()
        row.provider = provider
        if error is None:
            row.status, row.sent_at, row.provider_ref, row.last_error = SENT, now, provider_ref, None
        elif permanent or row.attempts >= config["PAMONG_NOTIFY_MAX_ATTEMPTS"]:
            row.status, row.last_error = FAILED, error
        else:
            row.last_error = error
            row.next_attempt_at = now + backoff(row.attempts, config["PAMONG_NOTIFY_RETRY_BASE"])
        status, attempts = row.status, row.attempts
        db.session.commit()
    log.info("outbox #%s (tenant %s, %s via %s): %s after %d attempt(s)%s", message_id, tenant_id,
             outgoing.channel, provider or "-", status, attempts, f": {error}" if error else "")
    return status


def due_messages(now: datetime | None = None, limit: int = 500) -> list[tuple[int, int]]:
    """(tenant id, message id) of pending messages whose time has come, oldest first, all tenants."""
    now = now or utcnow()
    tenant_ids = list(db.session.execute(select(Tenant.id)).scalars())
    if not tenant_ids:
        return []
    with read_scope(tenant_ids):
        rows = db.session.execute(
            select(OutboxMessage.tenant_id, OutboxMessage.id)
            .where(OutboxMessage.status == PENDING, OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit)
        ).all()
    db.session.rollback()  # end the read; each delivery opens its own transactions
    return [(r.tenant_id, r.id) for r in rows]


def sweep(now: datetime | None = None, limit: int = 500) -> int:
    """Queue a delivery task for every due message; returns how many were queued."""
    from ..jobs import deliver_notification

    due = due_messages(now, limit)
    for tenant_id, message_id in due:
        deliver_notification(tenant_id, message_id, now)
    return len(due)
