"""The core's one clock: every "now" the core reads (``utcnow`` of the models, the signed-webhook
window, the login throttle, i18n's "now", storage keys) comes from ``now()`` here, so a test can
freeze time for the whole core and the modules that read ``core.kit.utcnow`` (pytest fixture
``frozen_clock``). Aware UTC datetimes; never frozen outside tests.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

_frozen: datetime | None = None


def now() -> datetime:
    """The current time, aware, in UTC (the frozen time while a test froze it)."""
    return _frozen if _frozen is not None else datetime.now(timezone.utc)


def freeze(at: datetime | None) -> None:
    """Stop the clock at ``at`` (aware, or naive meaning UTC); ``None`` lets it run again."""
    global _frozen
    if at is not None and at.tzinfo is None:
        at = at.replace(tzinfo=timezone.utc)
    _frozen = at.astimezone(timezone.utc) if at is not None else None


class FrozenClock:
    """What the ``frozen_clock`` fixture gives: ``.now``, ``.set(datetime)``, ``.advance(**timedelta)``."""

    def __init__(self, at: datetime):
        freeze(at)

    @property
    def now(self) -> datetime:
        return now()

    def set(self, at: datetime) -> datetime:
        freeze(at)
        return now()

    def advance(self, **delta) -> datetime:
        """``advance(days=1, hours=2)``: move the frozen time on."""
        freeze(now() + timedelta(**delta))
        return now()
