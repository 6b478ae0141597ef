"""Complaints' deadlines on the core SLA clock (issue 12 items 2 and 6): the arithmetic lives once,
in ``core.sla``, and each target is a clock the core keeps (``clocks.py``, segments in
``sla_segments``); the complaint's columns are a copy of the clocks' deadlines. Every target of every
unit (working days, calendar days, clock hours) is what the pre-move code gave, kept here verbatim as
the reference, and a complaint filed before the move (columns only, no clocks) keeps its deadlines."""
import inspect
from datetime import datetime, timedelta, timezone

from hypothesis import given, settings as hsettings, strategies as st

from core.kit import WorkingCalendar, calendar_of, db, sla, tenant_scope
from core.sla.models import SlaSegment
from modules.complaints import clocks, deadlines, services
from modules.complaints.models import Complaint, aware
from modules.complaints.settings import Category

from .conftest import SETTINGS

CAL = WorkingCalendar("Asia/Makassar")
LAMPU = {"code": "LAMPU", "name_id": "Lampu jalan", "name_en": "Street light", "agency": "PU"}  # the defaults:
# response in working days, resolution in calendar days
instants = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2028, 6, 30), timezones=st.just(timezone.utc))
units = st.sampled_from([("response", None, ("response",)), ("response", 6, ("response",)), ("response", None, ()),
                         ("followup", None, ("followup",)), ("resolution", None, ()),
                         ("resolution", None, ("resolution",))])


def before_due(cat, target, start, cal):  # modules/complaints/deadlines.py before issue 12
    days = {"response": cat.response_days, "followup": cat.followup_days, "resolution": cat.resolution_days}[target]
    if target == "response" and cat.response_hours:
        return start + timedelta(hours=cat.response_hours)
    if target in cat.in_working_days:
        return cal.working_days_after(start, days)
    return start + timedelta(days=days)


def before_shift(cat, target, cal, old, since, now):  # the same, its shift()
    if target in cat.in_working_days and not (target == "response" and cat.response_hours):
        return cal.end_of_day(cal.add_working_days(cal.local_date(old), cal.working_days_in(since, now)))
    return old + max(now - since, timedelta(0))


@hsettings(max_examples=300, deadline=None)
@given(filed=instants, amount=st.integers(min_value=1, max_value=60), unit=units,
       paused_after=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=15)),
       wait=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=40)))
def test_every_target_is_what_it_was_before_the_move(filed, amount, unit, paused_after, wait):
    target, hours, working = unit
    cat = Category(code="X", name_id="X", name_en="X", agency="PU", response_days=amount, followup_days=amount,
                   resolution_days=amount, response_hours=hours, in_working_days=working)
    due = deadlines.due(cat, target, filed, CAL)
    assert due == before_due(cat, target, filed, CAL)
    since, now = filed + paused_after, filed + paused_after + wait
    clock = sla.Clock(*deadlines.level(cat, target)).start(CAL, filed).pause(CAL, since).resume(CAL, now)
    assert clock.due_at == before_shift(cat, target, CAL, due, since, now)

def test_a_complaint_paused_before_the_move_keeps_its_deadlines(app_ctx, make_tenant):
    """Its row as the earlier code left it (deadlines and paused_at written straight to the table, no
    clocks kept): reading it changes nothing, and resuming takes its clocks over from the columns and
    moves its deadlines as the earlier code did."""
    tenant = make_tenant(settings={**SETTINGS, "categories": SETTINGS["categories"] + [LAMPU]})
    filed = datetime(2026, 5, 4, 1, 0, tzinfo=timezone.utc)  # Monday 09:00 WITA
    with tenant_scope(tenant):
        complaint, _ = services.file_complaint(tenant, None, services.Filing(
            category="LAMPU", description="Sampah menumpuk", notify_by="none"), "portal", now=filed)
        paused = filed + timedelta(days=1)
        response, resolution = datetime(2026, 5, 7, 15, 59, 59, tzinfo=timezone.utc), filed + timedelta(days=60)
        db.session.execute(db.update(Complaint).where(Complaint.id == complaint.id).values(
            paused_at=paused, response_due_at=response, resolution_due_at=resolution))
        db.session.execute(db.delete(SlaSegment).where(SlaSegment.object_kind == "complaint",
                                                       SlaSegment.object_id == str(complaint.id)))
        db.session.commit()
        number = complaint.number
        db.session.expire_all()
        stored = db.session.execute(db.select(Complaint).where(Complaint.number == number)).scalar_one()
        assert (aware(stored.response_due_at), aware(stored.resolution_due_at)) == (response, resolution)
        assert aware(stored.paused_at) == paused
        cat = deadlines._category(tenant, stored)
        cal = calendar_of(tenant)
        # Tuesday 12 May: the wait touched 5, 6, 7, 8 and 11 May; Thursday 7 May + 5 working days skips
        # Ascension (14) and its cuti bersama (15): Monday 18 May
        resumed = filed + timedelta(days=8)
        expected = {t: before_shift(cat, t, cal, aware(getattr(stored, deadlines.COLUMNS[t])), paused, resumed)
                    for t in deadlines.pending(stored)}
        moved = deadlines.resume(tenant, "system", stored, resumed)
        db.session.commit()
        assert moved == {t: v.isoformat() for t, v in expected.items()} and set(moved) == {"response", "resolution"}
        stored = db.session.execute(db.select(Complaint).where(Complaint.number == number)).scalar_one()
        assert stored.paused_at is None
        assert aware(stored.response_due_at) == expected["response"] == datetime(2026, 5, 18, 15, 59, 59,
                                                                                  tzinfo=timezone.utc)
        assert aware(stored.resolution_due_at) == resolution + timedelta(days=7)
        kept = sla.clocks_of(tenant, clocks.ref(stored))  # taken over: paused since paused_at, then resumed
        assert [s.phase for s in kept["response"].segments] == ["running", "paused", "running"]
        assert kept["response"].segments[1].started_at == paused and kept["response"].due_at == expected["response"]
        assert kept["resolution"].due_at == aware(stored.resolution_due_at)


def test_the_arithmetic_is_the_core_clocks_alone():
    source = inspect.getsource(deadlines)
    for name in ("add_working_days", "working_days_in", "working_days_after", "end_of_day", "timedelta"):
        assert name not in source, name
    cat = Category(code="X", name_id="X", name_en="X", agency="PU", response_hours=4)
    assert deadlines.level(cat, "response") == (sla.HOURS, 4)
    assert deadlines.level(cat, "resolution") == (sla.DAYS, cat.resolution_days)
    assert deadlines.level(cat, "followup") == (sla.WORKING_DAYS, cat.followup_days)
