"""A complaint's service-level clocks, kept by the core's SLA clock (``core.kit.sla``, issue 12 item 2).

A complaint (``("complaint", id)``) runs one clock per target (``settings.TARGETS``), each of the
category's service level (``deadlines.level``: working days, calendar days or clock hours):

- ``response``: started at filing; finished when the complaint leaves "submitted";
- ``followup``: started when it becomes "verified"; restarted from zero (OSS-RBA 44) when it is
  forwarded and verified again at another agency; finished when it leaves "verified"/"assigned";
- ``resolution``: started at filing; finished when it is resolved, closed or rejected; restarted
  from zero (44) when the filer reopens it.

While the complaint waits on the citizen every running clock is paused (41) and, when they answer,
resumed (42): the core moves each deadline on by the working days (or the time) waited. Every
stretch is kept in ``sla_segments``, so ``office_time`` tells the office's own time from the time
it waited on the citizen (``Clock.report``).

The complaint's ``*_due_at`` columns are a copy of each clock's deadline (the queue, the sweep and
Open311 query them) and ``paused_at`` says it waits on the citizen. A complaint whose clocks were
never kept (filed before they were) has them taken over from its columns at its first change
(``adopt``), every deadline unchanged. All of it in the caller's transaction.
"""
from __future__ import annotations

from datetime import datetime

from core.kit import calendar_of, sla

from .models import Complaint, aware

KIND = "complaint"
COLUMNS = {"response": "response_due_at", "followup": "followup_due_at", "resolution": "resolution_due_at"}
ACTIVE = (sla.RUNNING, sla.PAUSED)


def ref(complaint: Complaint) -> tuple[str, str]:
    return (KIND, str(complaint.id))


def _last_change(clock: sla.Clock | None) -> datetime | None:
    if clock is None or not clock.segments:
        return None
    last = clock.segments[-1]
    return last.ended_at or last.started_at


def _at(clock: sla.Clock | None, now: datetime) -> datetime:
    """``now``, or the clock's last change if that is later: a step dated before it (a back-dated
    Open311 update, two workers' clocks) counts as made at that change, so the history stays in order."""
    last, now = _last_change(clock), aware(now)
    return last if last is not None and last > now else now


def kept(tenant, complaint: Complaint, level_of) -> dict[str, sla.Clock]:
    """The complaint's clocks by target, taken over from its columns first if it has none.
    ``level_of(target)`` gives the service level (unit, amount) of a target."""
    clocks = sla.clocks_of(tenant, ref(complaint))
    if not clocks and complaint.response_due_at is not None:
        clocks = adopt(tenant, complaint, level_of)
    return clocks


def adopt(tenant, complaint: Complaint, level_of) -> dict[str, sla.Clock]:
    """Clocks for a complaint that has only its columns: each deadline as the column has it, started
    when the target began (filing; verification, else filing, for the follow-up), paused since
    ``paused_at`` while the target is pending, else finished when the complaint moved on (the
    best-known instant: response at ``responded_at``, resolution at ``resolved_at``/``closed_at``,
    else the last update)."""
    from .deadlines import pending

    filed = aware(complaint.created_at)
    waiting = pending(complaint)
    begun = {"response": filed, "resolution": filed,
             "followup": aware(complaint.responded_at) if complaint.responded_at else filed}
    ended = {"response": complaint.responded_at or complaint.closed_at or complaint.updated_at,
             "followup": complaint.updated_at,
             "resolution": complaint.resolved_at or complaint.closed_at or complaint.updated_at}
    clocks = {}
    for target, column in COLUMNS.items():
        due = getattr(complaint, column)
        if due is None:
            continue
        unit, amount = level_of(target)
        start = begun[target]
        clock = sla.start(tenant, ref(complaint), target, unit, amount, at=start, due_at=aware(due))
        if target in waiting and complaint.paused_at is not None:
            clock = sla.pause(tenant, ref(complaint), target, at=max(aware(complaint.paused_at), start))
        elif target not in waiting:
            clock = sla.finish(tenant, ref(complaint), target, at=max(aware(ended[target] or start), start))
        clocks[target] = clock
    return clocks


def run(tenant, complaint: Complaint, target: str, unit: str, amount: int, now: datetime,
        clocks: dict[str, sla.Clock]) -> datetime:
    """Start the target's clock (or restart it from zero, OSS 44, at the category's level now) and
    copy its deadline to the column; a complaint waiting on the citizen has it paused at once."""
    current = clocks.get(target)
    at = _at(current, now)
    if current is None:
        clock = sla.start(tenant, ref(complaint), target, unit, amount, at=at)
    else:
        clock = sla.restart(tenant, ref(complaint), target, at=at, unit=unit, amount=amount)
    if complaint.paused_at is not None:
        clock = sla.pause(tenant, ref(complaint), target, at=at)
    clocks[target] = clock
    setattr(complaint, COLUMNS[target], clock.due_at)
    return clock.due_at


def finish_done(tenant, complaint: Complaint, now: datetime, clocks: dict[str, sla.Clock]) -> list[str]:
    """Finish the clocks of the targets no longer pending (met, or the complaint ended)."""
    from .deadlines import pending

    still = pending(complaint)
    done = []
    for target, clock in clocks.items():
        if clock.state in ACTIVE and target not in still:
            clocks[target] = sla.finish(tenant, ref(complaint), target, at=_at(clock, now))
            done.append(target)
    return done


def pause(tenant, complaint: Complaint, now: datetime, clocks: dict[str, sla.Clock]) -> list[str]:
    """OSS 41 for every running clock: the complaint waits on the citizen."""
    paused = []
    for target, clock in clocks.items():
        if clock.state == sla.RUNNING:
            clocks[target] = sla.pause(tenant, ref(complaint), target, at=_at(clock, now))
            paused.append(target)
    return paused


def resume(tenant, complaint: Complaint, now: datetime, clocks: dict[str, sla.Clock]) -> dict[str, datetime]:
    """OSS 42 for every paused clock: each deadline moves on by the wait; the columns follow.
    Returns the new deadlines by target."""
    moved = {}
    for target, clock in clocks.items():
        if clock.state == sla.PAUSED:
            clock = clocks[target] = sla.resume(tenant, ref(complaint), target, at=_at(clock, now))
            setattr(complaint, COLUMNS[target], clock.due_at)
            moved[target] = clock.due_at
    return moved


def office_time(tenant, complaint: Complaint, now: datetime) -> dict[str, dict]:
    """For a report, by target: ``{"state", "due_at", "office", "waiting", "stopped"}``, the office's
    own time and the time waited on the citizen in the target's unit (working days touched, or a
    ``timedelta`` for calendar-day and hour targets), up to ``now`` (``core.kit.sla``'s ``report``)."""
    cal = calendar_of(tenant)
    return {target: clock.report(cal, aware(now)) for target, clock in sla.clocks_of(tenant, ref(complaint)).items()}


__all__ = ["COLUMNS", "KIND", "adopt", "finish_done", "kept", "office_time", "pause", "ref", "resume", "run"]
