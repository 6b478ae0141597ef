"""The arithmetic of an SLA clock: pure functions and an immutable ``Clock`` (no database).

A clock counts a service level (``amount`` in ``unit``) from the instant it starts:

- ``working_days``: the deadline is the end (23:59:59, the tenant's zone) of the ``amount``-th
  working day of the tenant's calendar after the day it starts (``core/calendar.py``);
- ``days``: exactly ``amount`` calendar days later; ``hours``: exactly ``amount`` clock hours later
  (instants are UTC, so an hour clock is the same in WIB, WITA and WIT).

Its transitions follow the clock codes OSS-RBA (Online Single Submission, Risk-Based Approach,
PP 5/2021 and the BKPM/Ministry of Investment rules on licence processing) uses:

====================  ==========  ===============================================================
transition            OSS code    meaning
====================  ==========  ===============================================================
``start``                         the office's time begins; the deadline is ``amount`` from now
``pause``             41 stop     waiting on the applicant/citizen: the office's time stops
``resume``            42 restart  the applicant answered: the deadline moves on by the wait (the
                                  working days the wait touched, or the exact time waited)
``reset``             43 stop     stopped and reset: the time so far no longer counts, no deadline
                      and reset   until a restart (e.g. an application sent back for correction)
``restart``           44 restart  from zero: the full ``amount`` again from now (after a reset, a
                      from zero   reopening or a forwarding)
``finish``                        the service ended (delivered, refused, withdrawn): the clock stops
                                  for good, from any started state, a stopped one included
====================  ==========  ===============================================================

Every stretch between two transitions is a ``Segment`` kept on the clock: ``running`` (the office's
own time), ``waiting`` (on the applicant) or ``stopped`` (after a reset), so a report can say how long
the office itself took (``Clock.spent``). A transition the state does not allow (paused twice,
resumed while running, stopped when not started, ...) raises ``ClockError`` with a stable ``code``
and returns nothing new: a ``Clock`` is never changed in place.

    from core.kit import sla, calendar_of
    cal = calendar_of(tenant)
    clock = sla.Clock(sla.WORKING_DAYS, 14).start(cal, filed_at)
    clock = clock.pause(cal, asked_at).resume(cal, answered_at)
    clock.due_at                      # a UTC datetime, moved on by the working days waited
    clock.spent(cal, "running", now)  # working days the office itself took
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone

from flask_babel import lazy_gettext as _l

from ..calendar import MAX_DAYS, WorkingCalendar
from ..errors import PamongError

WORKING_DAYS, DAYS, HOURS = "working_days", "days", "hours"
UNITS = (WORKING_DAYS, DAYS, HOURS)
MAX_AMOUNT = {WORKING_DAYS: MAX_DAYS, DAYS: MAX_DAYS, HOURS: MAX_DAYS * 24}

# states of a clock
NEW, RUNNING, PAUSED, STOPPED, DONE = "new", "running", "paused", "stopped", "done"
# phases of a segment (the state it was kept in)
PHASES = (RUNNING, PAUSED, STOPPED)
# transitions, with the OSS-RBA clock code of those that have one
OSS_CODES = {"pause": 41, "resume": 42, "reset": 43, "restart": 44}
TRANSITIONS = ("start", "pause", "resume", "reset", "restart", "finish")


class ClockError(PamongError):
    """A transition the clock's state does not allow, or a bad unit/amount/instant. ``code``:
    ``sla_not_started``, ``sla_already_started``, ``sla_already_paused``, ``sla_not_paused``,
    ``sla_stopped``, ``sla_finished``, ``sla_time_backwards``, ``sla_bad_unit``, ``sla_bad_amount``."""

    code = "sla_clock"


def utc(when: datetime) -> datetime:
    """``when`` as an aware UTC datetime (a naive value is taken as UTC, as the database gives it)."""
    if when.tzinfo is None:
        return when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc)


def check(unit: str, amount: int) -> None:
    """Refuse a unit that is not one of ``UNITS`` or an amount outside ``0..MAX_AMOUNT[unit]``."""
    if unit not in UNITS:
        raise ClockError(f"'{unit}' is not a unit of an SLA clock ({', '.join(UNITS)})", where="unit",
                         code="sla_bad_unit")
    if isinstance(amount, bool) or not isinstance(amount, int) or not 0 <= amount <= MAX_AMOUNT[unit]:
        raise ClockError(f"{amount!r} is not a whole number of {unit} between 0 and {MAX_AMOUNT[unit]}",
                         where="amount", code="sla_bad_amount")


def deadline(cal: WorkingCalendar, unit: str, amount: int, start: datetime) -> datetime:
    """The deadline (UTC) of ``amount`` ``unit`` counted from the instant ``start``."""
    if unit == WORKING_DAYS:
        return cal.working_days_after(start, amount)
    if unit == DAYS:
        return utc(start) + timedelta(days=amount)
    return utc(start) + timedelta(hours=amount)


def waited(cal: WorkingCalendar, unit: str, since: datetime, until: datetime) -> int | timedelta:
    """How much the span ``[since, until)`` counts in ``unit``: for working days, the working days it
    touched (from the day it began up to, not including, the day it ended, ``calendar.working_days_in``);
    otherwise the time itself (never negative)."""
    if unit == WORKING_DAYS:
        return cal.working_days_in(since, until)
    return max(utc(until) - utc(since), timedelta(0))


def moved(cal: WorkingCalendar, unit: str, due: datetime, since: datetime, until: datetime) -> datetime:
    """The deadline ``due`` moved on by a wait from ``since`` to ``until`` (OSS code 42): by the working
    days the wait touched, the deadline staying at the end of a working day, or by the time waited."""
    wait = waited(cal, unit, since, until)
    if unit == WORKING_DAYS:
        return cal.end_of_day(cal.add_working_days(cal.local_date(due), wait))
    return utc(due) + wait


@dataclass(frozen=True)
class Segment:
    """One stretch of a clock: its ``phase`` (``running``, ``paused`` or ``stopped``), when it began and
    ended (None while it lasts), the transition that ended it, and the deadline in force during it."""

    phase: str
    started_at: datetime
    ended_at: datetime | None = None
    ended_by: str | None = None
    due_at: datetime | None = None


_NEEDS = {  # transition -> the states that allow it
    "start": (NEW,), "pause": (RUNNING,), "resume": (PAUSED,), "reset": (RUNNING, PAUSED),
    "restart": (RUNNING, PAUSED, STOPPED, DONE), "finish": (RUNNING, PAUSED, STOPPED),
}
# a refused transition: code, English message (logs, the API) and the same in the reader's language
_REFUSED = {
    "started": ("sla_already_started", "the clock has already been started", _l("the clock has already been started")),
    PAUSED: ("sla_already_paused", "the clock is already paused", _l("the clock is already paused")),
    RUNNING: ("sla_not_paused", "the clock is running, not paused", _l("the clock is running, not paused")),
    NEW: ("sla_not_started", "the clock has not been started", _l("the clock has not been started")),
    STOPPED: ("sla_stopped", "the clock was stopped and reset: restart it from zero",
              _l("the clock was stopped and reset: restart it from zero")),
    DONE: ("sla_finished", "the clock has finished", _l("the clock has finished")),
}


@dataclass(frozen=True)
class Clock:
    """An SLA clock of ``amount`` ``unit`` and the segments it has run through (oldest first)."""

    unit: str
    amount: int
    segments: tuple[Segment, ...] = ()

    def __post_init__(self):
        check(self.unit, self.amount)

    # -- what it is now -------------------------------------------------------------------------

    @property
    def state(self) -> str:
        if not self.segments:
            return NEW
        last = self.segments[-1]
        return DONE if last.ended_at is not None else last.phase

    @property
    def due_at(self) -> datetime | None:
        """The deadline in force (frozen while paused; None when new, stopped or finished)."""
        return self.segments[-1].due_at if self.state in (RUNNING, PAUSED) else None

    def overdue(self, now: datetime) -> bool:
        """Running and past its deadline at ``now`` (a paused clock is never overdue)."""
        return self.state == RUNNING and utc(now) > self.due_at

    def spent(self, cal: WorkingCalendar, phase: str = RUNNING, now: datetime | None = None) -> int | timedelta:
        """The time of every segment in ``phase``, counted as ``waited`` counts (working days touched,
        per segment, for a working-day clock; time otherwise); an open segment counts up to ``now``."""
        total = 0 if self.unit == WORKING_DAYS else timedelta(0)
        for seg in self.segments:
            if seg.phase == phase:
                end = seg.ended_at or (utc(now) if now is not None else seg.started_at)
                total += waited(cal, self.unit, seg.started_at, end)
        return total

    def elapsed(self, phase: str = RUNNING, now: datetime | None = None) -> timedelta:
        """The plain time of every segment in ``phase`` (an open one up to ``now``)."""
        total = timedelta(0)
        for seg in self.segments:
            if seg.phase == phase:
                end = seg.ended_at or (utc(now) if now is not None else seg.started_at)
                total += max(end - seg.started_at, timedelta(0))
        return total

    def report(self, cal: WorkingCalendar, now: datetime | None = None) -> dict:
        """For a report: ``{"state", "due_at", "office", "waiting", "stopped"}``, the last three as
        ``spent`` counts them (working days or time) up to ``now``."""
        return {"state": self.state, "due_at": self.due_at, "office": self.spent(cal, RUNNING, now),
                "waiting": self.spent(cal, PAUSED, now), "stopped": self.spent(cal, STOPPED, now)}

    # -- transitions (each returns a new Clock) -------------------------------------------------

    def start(self, cal: WorkingCalendar, at: datetime, due_at: datetime | None = None) -> Clock:
        """The office's time begins at ``at``; ``due_at``: a deadline already set (a module's own
        columns taken over by the clock), else ``amount`` ``unit`` from ``at``."""
        at = self._allowed("start", at)
        due = utc(due_at) if due_at is not None else deadline(cal, self.unit, self.amount, at)
        return self._then(at, None, Segment(RUNNING, at, due_at=due))

    def pause(self, cal: WorkingCalendar, at: datetime) -> Clock:
        """OSS 41: waiting on the applicant; the deadline is kept as it is."""
        at = self._allowed("pause", at)
        return self._then(at, "pause", Segment(PAUSED, at, due_at=self.due_at))

    def resume(self, cal: WorkingCalendar, at: datetime) -> Clock:
        """OSS 42: the deadline moves on by the wait (``moved``)."""
        at = self._allowed("resume", at)
        since = self.segments[-1].started_at
        return self._then(at, "resume", Segment(RUNNING, at, due_at=moved(cal, self.unit, self.due_at, since, at)))

    def reset(self, cal: WorkingCalendar, at: datetime) -> Clock:
        """OSS 43: stopped and reset; no deadline until ``restart``."""
        at = self._allowed("reset", at)
        return self._then(at, "reset", Segment(STOPPED, at))

    def restart(self, cal: WorkingCalendar, at: datetime, unit: str | None = None, amount: int | None = None) -> Clock:
        """OSS 44: the full amount again from ``at`` (after a reset, or over a running, paused or
        finished clock: a reopening, a forwarding); ``unit``/``amount``: a service level changed
        since the clock started (the clock's own by default)."""
        at = self._allowed("restart", at)
        level = replace(self, unit=unit or self.unit, amount=self.amount if amount is None else amount)
        return level._then(at, "restart", Segment(RUNNING, at, due_at=deadline(cal, level.unit, level.amount, at)))

    def finish(self, cal: WorkingCalendar, at: datetime) -> Clock:
        """The service ended (delivered, refused, withdrawn; running, waiting or stopped and reset):
        the open segment ends, nothing follows."""
        at = self._allowed("finish", at)
        return self._then(at, "finish", None)

    def apply(self, cal: WorkingCalendar, transition: str, at: datetime, **options) -> Clock:
        """The transition named ``transition`` (one of ``TRANSITIONS``); ``options``: ``due_at`` for
        ``start``, ``unit``/``amount`` for ``restart``."""
        if transition not in TRANSITIONS:
            raise ClockError(f"'{transition}' is not a transition ({', '.join(TRANSITIONS)})", where="transition",
                             code="sla_bad_transition")
        return getattr(self, transition)(cal, at, **options)

    def _allowed(self, transition: str, at: datetime) -> datetime:
        state = self.state
        if state not in _NEEDS[transition]:
            code, message, local = _REFUSED["started" if transition == "start" else state]
            raise ClockError(message, where=transition, code=code, local=local)
        at = utc(at)
        last = self.segments[-1].ended_at or self.segments[-1].started_at if self.segments else None
        if last is not None and at < last:
            raise ClockError(f"{at.isoformat()} is before the clock's last change ({last.isoformat()})",
                             where=transition, code="sla_time_backwards",
                             local=_l("%(at)s is before the clock's last change (%(last)s)", at=at.isoformat(),
                                      last=last.isoformat()))
        return at

    def _then(self, at: datetime, ended_by: str | None, nxt: Segment | None) -> Clock:
        segments = list(self.segments)
        if segments and segments[-1].ended_at is None:
            segments[-1] = replace(segments[-1], ended_at=at, ended_by=ended_by)
        if nxt is not None:
            segments.append(nxt)
        return replace(self, segments=tuple(segments))


__all__ = [
    "Clock", "ClockError", "DAYS", "DONE", "HOURS", "NEW", "OSS_CODES", "PAUSED", "RUNNING", "STOPPED",
    "Segment", "TRANSITIONS", "UNITS", "WORKING_DAYS", "check", "deadline", "moved", "waited",
]
