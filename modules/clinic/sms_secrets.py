"""A booking code is a bearer secret (it shows and cancels the booking), yet the SMS that tells the
patient their code (``DAFTAR``'s reply, ``BATAL``'s) is kept in the core's outbox as written. Once
the outbox has handed such a message to the SMS gateway (``sent``), or given up on it (``failed``),
its stored copy needs the code no more: ``redact_sent`` masks it (``**********``), every minute (the
periodic job below). A message still pending keeps its code: the worker has yet to send it.

The handler that puts a code in a reply notes it (``note``: a ``clinic_sms_codes`` row, written in
the SMS's transaction). The job reads only the notes not yet done (``masked_at IS NULL``, a partial
index) and the outbox rows of their phones (the outbox's index on the recipient's keyed hash): a
run's cost is the replies in flight, not the days of SMS behind them; a run with nothing new reads
one empty index range and writes nothing.
"""
from __future__ import annotations

import re
from datetime import timezone

from sqlalchemy import select

from core.kit import OutboxMessage, db, keyed_hash, periodic, tenant_scope, utcnow

from .models import SmsCode, Visit

MASK = "*" * 10
FINAL = ("sent", "failed")  # the outbox's statuses once the gateway has the message, or never will


def note(visit: Visit, phone: str) -> None:
    """The SMS reply about to be queued to ``phone`` (E.164, as the core's SMS webhook hands it to a
    keyword's handler) carries ``visit``'s booking code: mask it once sent. Inside the tenant's
    scope, in the SMS's transaction."""
    db.session.add(SmsCode(visit_id=visit.id, recipient_hash=keyed_hash(phone)))


def redact_sent(tenant, now=None) -> int:
    """Mask the booking codes noted (``note``) in the tenant's SMS replies the gateway has (sent, or
    failed for good); a note is done (``masked_at``) once no reply holding its code is pending.
    Returns how many messages were changed. Commits."""
    now = now or utcnow()
    with tenant_scope(tenant):
        notes = db.session.execute(select(SmsCode, Visit.booking_code).join(Visit, Visit.id == SmsCode.visit_id)
                                   .where(SmsCode.masked_at.is_(None))).all()
        if not notes:
            db.session.commit()
            return 0
        messages = db.session.execute(select(OutboxMessage).where(
            OutboxMessage.recipient_hash.in_(sorted({n.recipient_hash for n, _ in notes})),
            OutboxMessage.channel == "sms", OutboxMessage.ref.like("sms:%"),
            OutboxMessage.created_at >= min(n.created_at for n, _ in notes))).scalars().all()
        by_phone: dict[str, list] = {}
        for message in messages:
            by_phone.setdefault(message.recipient_hash, []).append(message)
        changed = set()
        for row, code in notes:
            holding = [m for m in by_phone.get(row.recipient_hash, ())
                       if _naive(m.created_at) >= _naive(row.created_at) and _masked(m.body, code) != m.body]
            for message in holding:
                if message.status in FINAL:
                    message.body = _masked(message.body, code)
                    changed.add(message.id)
            if all(m.status in FINAL for m in holding):
                row.masked_at = now
        db.session.commit()
    return len(changed)


def _naive(when):
    """A stored time as naive UTC (SQLite gives naive UTC, PostgreSQL aware)."""
    return when.astimezone(timezone.utc).replace(tzinfo=None) if when.tzinfo else when


def _masked(body: str, code: str) -> str:
    """``body`` with ``code`` masked where it stands as a word (not inside a longer one)."""
    return re.sub(rf"(?<![A-Z0-9]){re.escape(code)}(?![A-Z0-9])", MASK, body)


@periodic({"minute": "*"})
def redact_all() -> int:
    from core.kit import Tenant, enabled_modules

    changed = 0
    for tenant in db.session.execute(select(Tenant)).scalars().all():
        if "clinic" in enabled_modules(tenant):
            changed += redact_sent(tenant)
    return changed
