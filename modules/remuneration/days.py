"""From attendance punches to the engine's working days (pure: no database).

A punch is ``(local datetime, kind)`` with kind ``in``, ``out`` or ``assembly`` (apel), in the
tenant's zone. Per working day: lateness is the first check-in after ``work_start``, early leave the
last check-out before the end of work (``friday_work_end`` on Fridays), in whole minutes (seconds
dropped: 07:30:59 is on time). No punch at all on a working day without an approved excuse is an
unexcused absence; a day with only one of check-in/check-out counts the missing one as "no record".
On an assembly weekday of the rule set, a present employee without an ``assembly`` punch missed it.

A month that has not ended yet (the current month of a provisional run) counts only the working days
that have *ended*, those before today in the tenant's zone (:func:`elapsed_days`): a day that has not
come yet, or is still going on, is neither an absence, nor a missed assembly, nor lateness; today
counts from tomorrow. A month that has ended counts all of them.

Rule source for "today is not counted yet": the rule sets' bands (Perbup Tebo 1/2022's TL/PSW
practice, README "Sources") judge a *day's* record: arriving late, leaving early, and "≥ 91 minutes or
no record", the last band for a check-in or check-out that is missing. A check-out is recorded at the
end of work or after it, so until the day is over a missing one is not yet "no record", and an
employee who has not checked in at 07:00 is not yet absent. A deduction is therefore never shown on
the day it would be recorded (until 1 Dec 2026 a provisional run counted today: at 09:00 it deducted
a day's absence from whoever had not checked in yet, and "no record" for every check-out not yet due).
"""
from __future__ import annotations

from datetime import date, datetime, time

from .engine import Day
from .rules import RuleSet

KINDS = ("in", "out", "assembly")


def _of_day(at: datetime | time) -> int:
    """Microseconds since local midnight of a wall-clock time (its fields, whatever its tzinfo)."""
    return ((at.hour * 60 + at.minute) * 60 + at.second) * 1_000_000 + at.microsecond


_MINUTE = 60_000_000  # microseconds


def day_of(rule: RuleSet, day: date, punches: list[tuple[datetime, str]], excuse: str | None = None) -> Day:
    """The engine's ``Day`` for one working ``day`` from its punches: ``(local wall-clock datetime,
    kind)``, all of that local day (only their time-of-day fields are read). Whole minutes, seconds
    dropped: late = floor((first check-in − start) / 1 min), early = floor((end − last check-out) / 1 min)."""
    if excuse:
        return Day(day, excused=excuse)
    first_in = last_out = None
    assembly = False
    for at, kind in punches:  # one pass: a run looks at ~800,000 punches
        if kind == "in":
            if first_in is None or at < first_in:
                first_in = at
        elif kind == "out":
            if last_out is None or at > last_out:
                last_out = at
        else:
            assembly = True
    if first_in is None and last_out is None:
        return Day(day, late_minutes=None, early_minutes=None, absent=True)
    late = max(0, _of_day(first_in) - _of_day(rule.work_start)) // _MINUTE if first_in is not None else None
    early = max(0, _of_day(rule.end_of_work(day)) - _of_day(last_out)) // _MINUTE if last_out is not None else None
    return Day(day, late_minutes=late, early_minutes=early,
               missed_assembly=day.weekday() in rule.assembly_weekdays and not assembly)


def elapsed_days(working_days: list[date], today: date) -> list[date]:
    """The working days of ``working_days`` that have ended by ``today`` (the tenant's local date):
    those before it, so today itself not yet (see the module docstring); all of them for a month
    that has ended, none for a month that has not begun or whose first working day is today."""
    return [d for d in working_days if d < today]


def month_days(rule: RuleSet, working_days: list[date], punches: dict[date, list], excuses: dict[date, str]) -> tuple:
    """Every working day of the month for one employee: ``punches`` and ``excuses`` keyed by local date."""
    return tuple(day_of(rule, d, punches.get(d, []), excuses.get(d)) for d in working_days)
