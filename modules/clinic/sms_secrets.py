"""A booking code is a bearer secret (it shows and cancels the booking), yet the SMS that tells the
patient their code (``DAFTAR``'s reply, ``BATAL``'s) is kept in the core's outbox as written. Once
the outbox has handed such a message to the SMS gateway (``sent``), or given up on it (``failed``),
its stored copy needs the code no more: ``redact_sent`` masks every booking code of the tenant's
visits found in it (``**********``), every minute (the periodic job below). A message still pending
keeps its code: the worker has yet to send it.
"""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from core.kit import OutboxMessage, db, periodic, tenant_scope, utcnow

from .models import Visit

CODE = re.compile(r"(?<![A-Z0-9])[A-HJ-NP-Z2-9]{10}(?![A-Z0-9])")  # registration.CODE_ALPHABET, 10 long
MASK = "*" * 10
WINDOW = timedelta(days=2)  # the outbox's retries end within hours (five attempts, at most 6 hours apart)


def redact_sent(tenant, now=None) -> int:
    """Mask the booking codes in the tenant's SMS sent (or failed for good) within ``WINDOW``; returns
    how many messages were changed. Commits."""
    now = now or utcnow()
    with tenant_scope(tenant):
        rows = db.session.execute(select(OutboxMessage).where(
            OutboxMessage.channel == "sms", OutboxMessage.status.in_(("sent", "failed")),
            OutboxMessage.ref.like("sms:%"), OutboxMessage.created_at >= now - WINDOW)).scalars().all()
        found = {row.id: set(CODE.findall(row.body)) for row in rows}
        candidates = set().union(*found.values()) if found else set()
        codes = set(db.session.execute(select(Visit.booking_code).where(
            Visit.booking_code.in_(sorted(candidates)))).scalars()) if candidates else set()
        changed = 0
        for row in rows:
            mine = found[row.id] & codes
            if mine:
                row.body = CODE.sub(lambda m: MASK if m.group(0) in mine else m.group(0), row.body)
                changed += 1
        db.session.commit()
    return changed


@periodic({"minute": "*"})
def redact_all() -> int:
    from core.kit import Tenant, enabled_modules

    changed = 0
    for tenant in db.session.execute(select(Tenant)).scalars().all():
        if "clinic" in enabled_modules(tenant):
            changed += redact_sent(tenant)
    return changed
