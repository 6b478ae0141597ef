"""core.sla's arithmetic (no database): random start/pause/resume/reset/restart/finish sequences
checked against an independent model (numpy's business days for working-day clocks, plain sums of
time for hour clocks), hour clocks across days and time zones, and every refused transition."""
from datetime import date, datetime, time, timedelta, timezone

import numpy as np
import pytest
from flask_babel import force_locale
from hypothesis import given, settings, strategies as st

from core.calendar import WorkingCalendar, national_holidays
from core.kit import PamongError, sla

EXTRA = {date(2026, 4, 6): "Hari jadi kota", date(2026, 11, 9): "Libur daerah"}
CAL = WorkingCalendar("Asia/Makassar", EXTRA)  # WITA, +08:00 all year
WITA = timezone(timedelta(hours=8))
DAYS_OFF = sorted({d for y in range(2024, 2032) for d in national_holidays(y)} | set(EXTRA))
NP_DAYS_OFF = np.array(DAYS_OFF, dtype="datetime64[D]")


def local(at: datetime) -> date:
    return at.astimezone(WITA).date()


def busdays(a: datetime, b: datetime) -> int:
    return max(0, int(np.busday_count(np.datetime64(local(a), "D"), np.datetime64(local(b), "D"), holidays=NP_DAYS_OFF)))


def end_of(day) -> datetime:
    day = day.astype(date) if isinstance(day, np.datetime64) else day
    return datetime.combine(day, time(23, 59, 59), tzinfo=WITA).astimezone(timezone.utc)


class Model:
    """What the clock should do, computed apart from core.sla and core.calendar."""

    ALLOWED = {"start": {"new"}, "pause": {"running"}, "resume": {"paused"}, "reset": {"running", "paused"},
               "restart": {"running", "paused", "stopped", "done"}, "finish": {"running", "paused", "stopped"}}

    def __init__(self, unit, amount):
        self.unit, self.amount = unit, amount
        self.state, self.base, self.waits, self.since = "new", None, 0, None
        self.segments = []  # (phase, start, end)

    def refusal(self, op):
        if self.state in self.ALLOWED[op]:
            return None
        if op == "start":
            return "sla_already_started"
        return {"new": "sla_not_started", "paused": "sla_already_paused", "running": "sla_not_paused",
                "stopped": "sla_stopped", "done": "sla_finished"}[self.state]

    def apply(self, op, at):
        if self.segments and self.segments[-1][2] is None:
            self.segments[-1] = (self.segments[-1][0], self.segments[-1][1], at)
        if op in ("start", "restart"):
            self.state, self.base, self.waits = "running", at, (0 if self.unit == "working_days" else timedelta(0))
            self.segments.append(("running", at, None))
        elif op == "pause":
            self.state, self.since = "paused", at
            self.segments.append(("paused", at, None))
        elif op == "resume":
            self.waits += busdays(self.since, at) if self.unit == "working_days" else at - self.since
            self.state = "running"
            self.segments.append(("running", at, None))
        elif op == "reset":
            self.state = "stopped"
            self.segments.append(("stopped", at, None))
        else:
            self.state = "done"

    def due(self):
        if self.state not in ("running", "paused"):
            return None
        if self.unit == "working_days":
            day = np.busday_offset(np.datetime64(local(self.base), "D"), self.amount + self.waits, roll="backward",
                                   holidays=NP_DAYS_OFF)
            return end_of(day)
        step = timedelta(hours=self.amount) if self.unit == "hours" else timedelta(days=self.amount)
        return self.base + step + self.waits

    def spent(self, phase, now):
        segs = [(s, e or now) for p, s, e in self.segments if p == phase]
        if self.unit == "working_days":
            return sum(busdays(s, e) for s, e in segs)
        return sum((e - s for s, e in segs), timedelta(0))


ops = st.lists(st.tuples(st.sampled_from(sla.TRANSITIONS), st.integers(min_value=0, max_value=24 * 12)),
               min_size=1, max_size=25)
starts = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31),
                      timezones=st.just(timezone.utc))


def run(unit, amount, start_at, steps):
    clock, model, at = sla.Clock(unit, amount), Model(unit, amount), start_at
    for op, gap in steps:
        at = at + timedelta(hours=gap, minutes=gap % 7 * 5)
        expected = model.refusal(op)
        if expected:
            with pytest.raises(sla.ClockError) as caught:
                clock.apply(CAL, op, at)
            assert caught.value.code == expected, (op, model.state)
            continue
        clock = clock.apply(CAL, op, at)
        model.apply(op, at)
        assert clock.state == model.state
        assert clock.due_at == model.due(), (op, at)
    now = at + timedelta(hours=5)
    for phase in ("running", "paused", "stopped"):
        assert clock.spent(CAL, phase, now) == model.spent(phase, now), phase
    assert len(clock.segments) == len(model.segments)
    return clock


@settings(max_examples=300, deadline=None)
@given(start_at=starts, amount=st.integers(min_value=1, max_value=60), steps=ops)
def test_working_day_clocks_agree_with_numpy(start_at, amount, steps):
    run("working_days", amount, start_at, [("start", 0)] + steps)


@settings(max_examples=200, deadline=None)
@given(start_at=starts, amount=st.integers(min_value=0, max_value=500), steps=ops,
       unit=st.sampled_from(["hours", "days"]))
def test_hour_and_day_clocks_add_the_time_waited(start_at, amount, steps, unit):
    run(unit, amount, start_at, steps)


@settings(max_examples=100, deadline=None)
@given(start_at=starts, amount=st.integers(min_value=1, max_value=20), steps=ops)
def test_a_clock_is_never_changed_in_place_and_its_segments_tile_time(start_at, amount, steps):
    clock = run("working_days", amount, start_at, [("start", 0)] + steps)
    for before, after in zip(clock.segments, clock.segments[1:]):
        assert before.ended_by is not None
        if before.ended_by == "finish":  # finished, then restarted later (a reopening): a gap
            assert before.ended_at <= after.started_at
        else:
            assert before.ended_at == after.started_at
    assert clock.segments[0].started_at == start_at


def test_the_oss_codes_are_named():
    assert sla.OSS_CODES == {"pause": 41, "resume": 42, "reset": 43, "restart": 44}


# -- hour clocks across days and zones --------------------------------------------------------


@pytest.mark.parametrize("zone", ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"])
def test_an_hour_clock_runs_across_midnight_and_the_same_in_every_zone(zone):
    cal = WorkingCalendar(zone)
    at = datetime(2026, 3, 19, 14, 0, tzinfo=timezone.utc)  # evening in every zone, before Nyepi
    clock = sla.Clock(sla.HOURS, 10).start(cal, at)
    assert clock.due_at == datetime(2026, 3, 20, 0, 0, tzinfo=timezone.utc)  # a holiday: hours count anyway
    clock = clock.pause(cal, at + timedelta(hours=3)).resume(cal, at + timedelta(days=2, hours=3))
    assert clock.due_at == datetime(2026, 3, 22, 0, 0, tzinfo=timezone.utc)
    assert clock.spent(cal, sla.PAUSED) == timedelta(days=2)
    assert clock.spent(cal, sla.RUNNING, at + timedelta(days=2, hours=4)) == timedelta(hours=4)


def test_a_naive_instant_is_utc_and_an_aware_one_in_any_zone_is_the_same_instant():
    wib = timezone(timedelta(hours=7))
    naive = sla.Clock(sla.HOURS, 4).start(CAL, datetime(2026, 5, 4, 20, 0))
    aware = sla.Clock(sla.HOURS, 4).start(CAL, datetime(2026, 5, 5, 3, 0, tzinfo=wib))
    assert naive.due_at == aware.due_at == datetime(2026, 5, 5, 0, 0, tzinfo=timezone.utc)


def test_working_days_count_from_the_tenants_local_date():
    """16:30 UTC on Monday 2 March 2026 is Monday evening in Jakarta but Tuesday in Jayapura."""
    at = datetime(2026, 3, 2, 16, 30, tzinfo=timezone.utc)
    jakarta = sla.Clock(sla.WORKING_DAYS, 1).start(WorkingCalendar("Asia/Jakarta"), at)
    jayapura = sla.Clock(sla.WORKING_DAYS, 1).start(WorkingCalendar("Asia/Jayapura"), at)
    assert jakarta.due_at == datetime(2026, 3, 3, 16, 59, 59, tzinfo=timezone.utc)  # Tue 23:59:59 WIB
    assert jayapura.due_at == datetime(2026, 3, 4, 14, 59, 59, tzinfo=timezone.utc)  # Wed 23:59:59 WIT


def test_a_wait_within_one_day_moves_a_working_day_deadline_by_nothing():
    at = datetime(2026, 5, 4, 1, 0, tzinfo=timezone.utc)
    clock = sla.Clock(sla.WORKING_DAYS, 3).start(CAL, at)
    due = clock.due_at
    clock = clock.pause(CAL, at + timedelta(hours=1)).resume(CAL, at + timedelta(hours=6))
    assert clock.due_at == due and clock.spent(CAL, sla.PAUSED) == 0
    assert clock.elapsed(sla.PAUSED) == timedelta(hours=5)


# -- refused transitions ----------------------------------------------------------------------

T = datetime(2026, 5, 4, 1, 0, tzinfo=timezone.utc)
NEW = sla.Clock(sla.WORKING_DAYS, 5)
RUNNING = NEW.start(CAL, T)
PAUSED = RUNNING.pause(CAL, T + timedelta(hours=1))
STOPPED = RUNNING.reset(CAL, T + timedelta(hours=1))
DONE = RUNNING.finish(CAL, T + timedelta(hours=1))


@pytest.mark.parametrize("clock, transition, code", [
    (NEW, "pause", "sla_not_started"), (NEW, "resume", "sla_not_started"), (NEW, "reset", "sla_not_started"),
    (NEW, "restart", "sla_not_started"), (NEW, "finish", "sla_not_started"),
    (RUNNING, "start", "sla_already_started"), (RUNNING, "resume", "sla_not_paused"),
    (PAUSED, "pause", "sla_already_paused"), (PAUSED, "start", "sla_already_started"),
    (STOPPED, "pause", "sla_stopped"), (STOPPED, "resume", "sla_stopped"), (STOPPED, "reset", "sla_stopped"),
    (DONE, "pause", "sla_finished"), (DONE, "resume", "sla_finished"),
    (DONE, "reset", "sla_finished"), (DONE, "finish", "sla_finished"), (DONE, "start", "sla_already_started"),
])
def test_every_refused_transition_has_its_code_and_changes_nothing(app, clock, transition, code):
    kept = clock.segments
    with pytest.raises(sla.ClockError) as caught:
        clock.apply(CAL, transition, T + timedelta(days=1))
    assert caught.value.code == code and isinstance(caught.value, PamongError)
    assert caught.value.where == transition and str(caught.value)
    assert clock.segments == kept
    with app.test_request_context(), force_locale("id"):  # the reader's language on a page (issue 15): never the English line
        local = str(caught.value.local)
    assert caught.value.local is not None and local and local != caught.value.message


@pytest.mark.parametrize("clock", [RUNNING, PAUSED, STOPPED], ids=["running", "paused", "stopped"])
def test_a_started_clock_finishes_from_any_state_it_can_be_in(clock):
    """An application withdrawn or refused while waiting (41) or returned for correction (43)
    ends its clock too (issue 15): the open segment ends and nothing is due."""
    at = T + timedelta(days=1)
    done = clock.finish(CAL, at)
    assert done.state == sla.DONE and done.due_at is None
    assert done.segments[-1].ended_at == at and done.segments[-1].ended_by == "finish"
    assert done.segments[-1].phase == clock.segments[-1].phase and len(done.segments) == len(clock.segments)


@pytest.mark.parametrize("clock, transition", [(PAUSED, "resume"), (DONE, "restart"), (RUNNING, "pause")])
def test_a_transition_before_the_last_change_is_refused(clock, transition):
    with pytest.raises(sla.ClockError) as caught:
        clock.apply(CAL, transition, T + timedelta(minutes=59) if clock is not RUNNING else T - timedelta(seconds=1))
    assert caught.value.code == "sla_time_backwards"


@pytest.mark.parametrize("unit, amount, code", [
    ("weeks", 1, "sla_bad_unit"), ("hours", -1, "sla_bad_amount"), ("working_days", 10_000, "sla_bad_amount"),
    ("days", 1.5, "sla_bad_amount"), ("days", True, "sla_bad_amount"), ("hours", "3", "sla_bad_amount"),
])
def test_a_bad_unit_or_amount_is_refused(unit, amount, code):
    with pytest.raises(sla.ClockError) as caught:
        sla.Clock(unit, amount)
    assert caught.value.code == code


def test_an_unknown_transition_is_refused():
    with pytest.raises(sla.ClockError) as caught:
        RUNNING.apply(CAL, "explode", T)
    assert caught.value.code == "sla_bad_transition"
