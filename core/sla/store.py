"""SLA clocks kept in the database: every transition appends or closes ``sla_segments`` rows.

An object's clock is named by a reference ``(kind, object_id)`` (``("permit", permit.id)``) and a
clock name (``"processing"``): an object may run several clocks. Each call works inside the caller's
transaction (the caller commits), takes its write lock first (``core/locking.py``) and leaves the
rows untouched when the transition is refused (``ClockError``). ``on_change`` is called with a
``Transition`` after the rows are written; ``audited(actor)`` gives one that writes the audit trail:

    from core.kit import sla
    sla.start(tenant, ("permit", permit.id), "processing", sla.WORKING_DAYS, 14, on_change=sla.audited(actor))
    sla.pause(tenant, ("permit", permit.id), "processing", on_change=sla.audited(actor))   # OSS 41
    sla.clock_of(tenant, ("permit", permit.id), "processing").due_at
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from ..audit import record as audit
from ..calendar import calendar_of
from ..extensions import db
from ..locking import write_lock
from ..tenancy.models import utcnow
from ..tenancy.scope import tenant_scope
from .clock import OSS_CODES, Clock, ClockError, Segment, utc
from .models import SlaSegment


@dataclass(frozen=True)
class Transition:
    """What a transition did: to audit, notify or log (``on_change``)."""

    tenant: object
    ref: tuple[str, str]
    clock: str
    transition: str
    at: datetime
    before: Clock
    after: Clock

    @property
    def oss_code(self) -> int | None:
        return OSS_CODES.get(self.transition)


def _ref(ref) -> tuple[str, str]:
    try:
        kind, object_id = ref
    except (TypeError, ValueError):
        raise ClockError("a clock belongs to (kind, object_id)", where="ref", code="sla_bad_ref") from None
    kind, object_id = str(kind), str(object_id)
    if not kind or len(kind) > 40 or not object_id or len(object_id) > 64:
        raise ClockError("kind must have 1 to 40 characters, object_id 1 to 64", where="ref", code="sla_bad_ref")
    return kind, object_id


def _name(clock: str) -> str:
    if not isinstance(clock, str) or not 0 < len(clock) <= 40:
        raise ClockError("a clock's name must have 1 to 40 characters", where="clock", code="sla_bad_ref")
    return clock


def _rows(ref, clock: str, lock: bool) -> list[SlaSegment]:
    query = db.select(SlaSegment).where(
        SlaSegment.object_kind == ref[0], SlaSegment.object_id == ref[1], SlaSegment.clock == clock,
    ).order_by(SlaSegment.seq)
    if lock:
        query = query.with_for_update()
    return list(db.session.execute(query).scalars())


def _segment(row: SlaSegment) -> Segment:
    return Segment(row.phase, utc(row.started_at), row.ended_at and utc(row.ended_at), row.ended_by,
                   row.due_at and utc(row.due_at))


def _clock(rows: list[SlaSegment], unit: str | None = None, amount: int | None = None) -> Clock | None:
    if rows:
        return Clock(rows[-1].unit, rows[-1].amount, tuple(_segment(r) for r in rows))
    return Clock(unit, amount) if unit is not None else None


def clock_of(tenant, ref, clock: str) -> Clock | None:
    """The clock as kept (None if it was never started)."""
    ref, clock = _ref(ref), _name(clock)
    with tenant_scope(tenant):
        return _clock(_rows(ref, clock, lock=False))


def clocks_of(tenant, ref) -> dict[str, Clock]:
    """Every clock of the object, by name."""
    ref = _ref(ref)
    with tenant_scope(tenant):
        rows = db.session.execute(db.select(SlaSegment).where(
            SlaSegment.object_kind == ref[0], SlaSegment.object_id == ref[1],
        ).order_by(SlaSegment.clock, SlaSegment.seq)).scalars()
        grouped: dict[str, list[SlaSegment]] = {}
        for row in rows:
            grouped.setdefault(row.clock, []).append(row)
        return {name: _clock(found) for name, found in grouped.items()}


def _apply(tenant, ref, clock: str, transition: str, at: datetime | None, on_change, unit=None, amount=None,
           options: dict | None = None) -> Clock:
    ref, clock = _ref(ref), _name(clock)
    at = utc(at or utcnow())
    with tenant_scope(tenant):
        # one clock's transitions one at a time (SQLite: the write transaction; PostgreSQL: an advisory
        # lock per clock, which also covers its first start, when there is no row to lock yet)
        write_lock(db.session, key=f"sla:{ref[0]}:{ref[1]}:{clock}", ident=tenant.id)
        rows = _rows(ref, clock, lock=True)
        before = _clock(rows, unit, amount)
        if before is None:  # never started: the clock refuses the transition (sla_not_started)
            before = Clock("hours", 0)
        after = before.apply(calendar_of(tenant), transition, at, **(options or {}))
        for row, seg in zip(rows, after.segments):
            if row.ended_at is None and seg.ended_at is not None:
                row.ended_at, row.ended_by = seg.ended_at, seg.ended_by
        for seq in range(len(rows), len(after.segments)):
            seg = after.segments[seq]
            db.session.add(SlaSegment(
                object_kind=ref[0], object_id=ref[1], clock=clock, seq=seq, unit=after.unit, amount=after.amount,
                phase=seg.phase, started_at=seg.started_at, ended_at=seg.ended_at, ended_by=seg.ended_by,
                due_at=seg.due_at,
            ))
        db.session.flush()
        if on_change is not None:
            on_change(Transition(tenant, ref, clock, transition, at, before, after))
        return after


def start(tenant, ref, clock: str, unit: str, amount: int, at: datetime | None = None,
          on_change: Callable[[Transition], None] | None = None, due_at: datetime | None = None) -> Clock:
    """Start the clock: ``amount`` ``unit`` from ``at`` (now by default). ``due_at``: a deadline a
    module already kept in its own columns, taken over unchanged (its clocks' history begins here)."""
    options = {"due_at": due_at} if due_at is not None else {}
    return _apply(tenant, ref, clock, "start", at, on_change, unit, amount, options)


def pause(tenant, ref, clock: str, at=None, on_change=None) -> Clock:
    """OSS 41: waiting on the applicant."""
    return _apply(tenant, ref, clock, "pause", at, on_change)


def resume(tenant, ref, clock: str, at=None, on_change=None) -> Clock:
    """OSS 42: the deadline moves on by the wait."""
    return _apply(tenant, ref, clock, "resume", at, on_change)


def reset(tenant, ref, clock: str, at=None, on_change=None) -> Clock:
    """OSS 43: stopped and reset."""
    return _apply(tenant, ref, clock, "reset", at, on_change)


def restart(tenant, ref, clock: str, at=None, on_change=None, unit: str | None = None,
            amount: int | None = None) -> Clock:
    """OSS 44: from zero; ``unit``/``amount``: a service level changed since the clock started
    (checked as ``start`` checks it; kept on the segments from here on)."""
    options = {"unit": unit, "amount": amount} if unit is not None or amount is not None else {}
    return _apply(tenant, ref, clock, "restart", at, on_change, options=options)


def finish(tenant, ref, clock: str, at=None, on_change=None) -> Clock:
    """The service was delivered: the clock stops for good."""
    return _apply(tenant, ref, clock, "finish", at, on_change)


def audited(actor, prefix: str = "sla") -> Callable[[Transition], None]:
    """An ``on_change`` that writes ``<prefix>.<transition>`` to the audit trail (same transaction):
    object = the clock's reference, before/after = state and deadline, with the clock and OSS code."""

    def write(change: Transition) -> None:
        def shape(c: Clock) -> dict:
            return {"state": c.state, "due": c.due_at.isoformat() if c.due_at else None}

        audit(change.tenant, actor, f"{prefix}.{change.transition}", change.ref[0], change.ref[1],
              before=shape(change.before), after=shape(change.after), clock=change.clock,
              oss_code=change.oss_code, at=change.at.isoformat())

    return write


__all__ = ["Transition", "audited", "clock_of", "clocks_of", "finish", "pause", "reset", "restart", "resume", "start"]
