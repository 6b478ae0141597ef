"""Deadlines in working days: SP4N-LAPOR! defaults on the tenant's calendar (national holidays, cuti
bersama, its own days off), the per-category switch, the follow-up plan, the paused clock, and
escalation on those deadlines. The arithmetic is checked against numpy's business days."""
from datetime import date, datetime, timedelta, timezone

import numpy as np
import pytest
from hypothesis import given, settings as hsettings, strategies as st

from core.kit import ValidationError, WorkingCalendar, db, keyed_hash, sla as core_sla, tenant_scope
from core.calendar import national_holidays
from modules.complaints import deadlines, services, sla, workflow
from modules.complaints.models import Complaint, aware
from modules.complaints.settings import Category

from .conftest import SETTINGS, audit_actions, outbox

# Monday 16 March 2026, 09:00 in Makassar (WITA, +08:00): Nyepi, Idul Fitri and their cuti bersama
# take 18, 19, 20, 23 and 24 March off, so three working days end on Thursday 26 March.
T0 = datetime(2026, 3, 16, 1, 0, tzinfo=timezone.utc)
WITA = timezone(timedelta(hours=8))
DEFAULTS = {"code": "LAMPU", "name_id": "Lampu jalan", "name_en": "Street light", "agency": "PU"}
LOCAL = {date(2026, 4, 16): "Hari jadi kota"}


def end_of(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=WITA).astimezone(timezone.utc)


@pytest.fixture
def sp4n_tenant(make_tenant):
    """A tenant whose LAMPU category takes every default, with a local holiday of its own."""
    cats = SETTINGS["categories"] + [DEFAULTS]
    return make_tenant(settings={**SETTINGS, "categories": cats},
                       holidays=[{"date": d.isoformat(), "name": n} for d, n in LOCAL.items()])


def file(tenant, category="LAMPU", when=T0):
    complaint, _ = services.file_complaint(tenant, None, services.Filing(
        category=category, description="Lampu jalan padam", notify_by="none"), "portal", now=when)
    db.session.commit()
    return complaint


def test_sp4n_defaults_on_the_tenants_calendar(app_ctx, sp4n_tenant):
    with tenant_scope(sp4n_tenant):
        complaint = file(sp4n_tenant)
        assert aware(complaint.response_due_at) == end_of(date(2026, 3, 26))  # 3 working days, holidays skipped
        assert aware(complaint.resolution_due_at) == T0 + timedelta(days=60)  # 60 calendar days
        assert complaint.followup_due_at is None
        officer = "system"
        workflow.transition(sp4n_tenant, officer, complaint, "verified", now=datetime(2026, 4, 13, 2, 0, tzinfo=timezone.utc))
        # five working days from Monday 13 April: 14, 15, (16 the city's own day off), 17, 20, 21
        assert aware(complaint.followup_due_at) == end_of(date(2026, 4, 21))


def test_the_switch_per_category(app_ctx, make_tenant):
    cats = [{**DEFAULTS, "response_days": 2, "followup_days": 1, "resolution_days": 10,
             "in_working_days": ["resolution"]},
            {**DEFAULTS, "code": "HOURS", "response_hours": 4, "in_working_days": ["response", "resolution"]}]
    tenant = make_tenant(settings={**SETTINGS, "categories": cats})
    with tenant_scope(tenant):
        calendar_days = file(tenant)
        assert aware(calendar_days.response_due_at) == T0 + timedelta(days=2)  # response in calendar days
        # ten working days from 16 March: 17, 25, 26, 27, 30, 31 March, 1, 2, (3 Good Friday), 6, 7 April
        assert aware(calendar_days.resolution_due_at) == end_of(date(2026, 4, 7))
        urgent = file(tenant, "HOURS")
        assert aware(urgent.response_due_at) == T0 + timedelta(hours=4)  # clock hours win over working days


def test_the_followup_plan_escalates_and_restarts_when_forwarded(app_ctx, sp4n_tenant, create_user):
    create_user(sp4n_tenant, "officer", agency="PU")
    with tenant_scope(sp4n_tenant):
        complaint = file(sp4n_tenant, when=datetime(2026, 6, 1, 1, 0, tzinfo=timezone.utc))
        verified_at = datetime(2026, 6, 2, 1, 0, tzinfo=timezone.utc)  # Tuesday
        workflow.transition(sp4n_tenant, "system", complaint, "verified", now=verified_at)
        db.session.commit()
        due = aware(complaint.followup_due_at)
        assert due == end_of(date(2026, 6, 9))  # 3, 4, 5, 8, 9 June (1 June, Pancasila, was the day before)
        assert sla.escalate_overdue(sp4n_tenant, due - timedelta(minutes=1)) == []
        assert sla.escalate_overdue(sp4n_tenant, due + timedelta(minutes=1)) == [(complaint.number, 1)]
        db.session.commit()
        assert complaint.due(due + timedelta(minutes=1)) == "followup"
        (body,) = [b for _, _, b in outbox(sp4n_tenant, f"complaints:{complaint.number}")]
        assert "follow-up plan" in body or "rencana tindak lanjut" in body
        forwarded = datetime(2026, 6, 10, 1, 0, tzinfo=timezone.utc)  # Wednesday morning
        workflow.reroute(sp4n_tenant, "system", complaint, "DLH", "Bukan kewenangan PU", now=forwarded)
        # five working days at DLH, anew: 11, 12, 15, (16 Islamic New Year), 17, 18 June
        assert aware(complaint.followup_due_at) == end_of(date(2026, 6, 18))
        assert complaint.due(forwarded + timedelta(hours=1)) == ""


def test_the_clock_pauses_while_waiting_on_the_citizen(app_ctx, sp4n_tenant):
    with tenant_scope(sp4n_tenant):
        complaint = file(sp4n_tenant)
        response_due, resolution_due = aware(complaint.response_due_at), aware(complaint.resolution_due_at)
        paused = datetime(2026, 3, 17, 2, 0, tzinfo=timezone.utc)  # Tuesday
        assert deadlines.pause(sp4n_tenant, "system", complaint, paused) is True
        assert deadlines.pause(sp4n_tenant, "system", complaint, paused) is False  # already stopped
        db.session.commit()
        late = response_due + timedelta(days=1)
        assert complaint.due(late) == "" and sla.escalate_overdue(sp4n_tenant, late) == []
        resumed = datetime(2026, 3, 31, 3, 0, tzinfo=timezone.utc)  # Tuesday, two weeks later
        moved = deadlines.resume(sp4n_tenant, "system", complaint, resumed)
        assert set(moved) == {"response", "resolution"} and complaint.paused_at is None
        # the wait touched 17, 25, 26, 27, 30 March: five working days more for the response
        assert aware(complaint.response_due_at) == end_of(date(2026, 4, 2))
        assert aware(complaint.resolution_due_at) == resolution_due + (resumed - paused)  # calendar days: exact
        assert deadlines.resume(sp4n_tenant, "system", complaint, resumed) == {}
        db.session.commit()
        assert audit_actions(sp4n_tenant, complaint.number)[-2:] == ["complaints.clock_paused",
                                                                    "complaints.clock_resumed"]


def test_reopening_gives_the_full_resolution_time_again(app_ctx, make_tenant):
    cats = [{**DEFAULTS, "resolution_days": 2, "in_working_days": ["resolution"]}]
    tenant = make_tenant(settings={**SETTINGS, "categories": cats})
    with tenant_scope(tenant):
        complaint = file(tenant)
        for status in ("verified", "assigned", "in_progress"):
            workflow.transition(tenant, "system", complaint, status, now=T0)
        workflow.transition(tenant, "system", complaint, "resolved", note="Lampu diganti",
                            now=datetime(2026, 3, 26, 1, 0, tzinfo=timezone.utc))
        complaint.access_key_hash = keyed_hash("KODE1234")
        friday = datetime(2026, 3, 27, 1, 0, tzinfo=timezone.utc)
        workflow.reopen(tenant, None, complaint, "Padam lagi", access_key="KODE1234", now=friday)
        assert aware(complaint.resolution_due_at) == end_of(date(2026, 3, 31))  # Monday 30, Tuesday 31


def test_due_dates_are_shown_in_the_tenants_zone(app_ctx, client, sp4n_tenant):
    with tenant_scope(sp4n_tenant):
        number = file(sp4n_tenant).number
    (request,) = client.get(f"/t/{sp4n_tenant.slug}/open311/v2/requests/{number}.json?extensions=true").get_json()
    assert request["extended_attributes"]["expected_response_datetime"] == "2026-03-26T23:59:59+08:00"
    assert request["expected_datetime"] == "2026-05-15T09:00:00+08:00"


@pytest.mark.parametrize("change, where", [
    ({"in_working_days": ["weekends"]}, "categories.0.in_working_days.0"),
    ({"duplicate_radius_m": 5001}, "categories.0.duplicate_radius_m"),
    ({"duplicate_radius_m": -1}, "categories.0.duplicate_radius_m"),
    ({"followup_days": 0}, "categories.0.followup_days"),
])
def test_bad_targets_are_refused_naming_the_key(make_tenant, change, where):
    with pytest.raises(ValidationError) as caught:
        make_tenant(settings={**SETTINGS, "categories": [{**DEFAULTS, **change}]})
    assert caught.value.where.endswith(where)


# -- the arithmetic, against numpy's business days over the same days off --------------------------

CAL = WorkingCalendar("Asia/Makassar", LOCAL)
OFF = np.array(sorted({d for y in range(2025, 2030) for d in national_holidays(y)} | set(LOCAL)), dtype="datetime64[D]")
instants = st.datetimes(min_value=datetime(2025, 6, 1), max_value=datetime(2028, 6, 1), timezones=st.just(timezone.utc))


def np_offset(day: date, count: int) -> date:
    return np.busday_offset(np.datetime64(day, "D"), count, roll="backward", holidays=OFF).astype(date)


@hsettings(max_examples=200, deadline=None)
@given(filed=instants, days=st.integers(min_value=1, max_value=60))
def test_working_day_deadlines_agree_with_numpy(filed, days):
    cat = Category(code="X", name_id="X", name_en="X", agency="PU", response_days=days)
    due = deadlines.due(cat, "response", filed, CAL)
    local = due.astimezone(WITA)
    assert (local.hour, local.minute, local.second) == (23, 59, 59)
    assert local.date() == np_offset(filed.astimezone(WITA).date(), days)


@hsettings(max_examples=200, deadline=None)
@given(filed=instants, days=st.integers(min_value=1, max_value=20),
       wait=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=40)),
       paused_after=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=10)))
def test_a_resumed_deadline_moves_by_the_working_days_waited(filed, days, wait, paused_after):
    cat = Category(code="X", name_id="X", name_en="X", agency="PU", response_days=days)
    paused, resumed = filed + paused_after, filed + paused_after + wait
    due = deadlines.due(cat, "response", filed, CAL)
    waited = int(np.busday_count(np.datetime64(paused.astimezone(WITA).date(), "D"),
                                 np.datetime64(resumed.astimezone(WITA).date(), "D"), holidays=OFF))
    expected = np_offset(due.astimezone(WITA).date(), waited)
    # the response target's clock as complaints keeps it (clocks.py): started at filing, paused, resumed
    clock = core_sla.Clock(*deadlines.level(cat, "response")).start(CAL, filed).pause(CAL, paused).resume(CAL, resumed)
    assert clock.segments[0].due_at == due and clock.due_at.astimezone(WITA).date() == expected


def test_an_officer_asks_the_filer_and_the_answer_restarts_the_clock(app, client, tenant, people, login):
    from modules.complaints import filer_info

    with app.app_context(), tenant_scope(tenant):
        complaint, key = services.file_complaint(tenant, None, services.Filing(
            category="SAMPAH", description="Sampah menumpuk", phone="081234567890"), "portal")
        db.session.commit()
        number = complaint.number
    login(client, people["dlh"], tenant)
    url = f"/t/{tenant.slug}/complaints/manage/{number}/ask"
    assert client.post(url, data={"question": ""}).status_code == 400
    asked = client.post(url, data={"question": "Di RT berapa tepatnya?"})
    assert asked.status_code == 302, asked.get_data(as_text=True)[:1000]
    again = client.post(url, data={"question": "Lagi?"})
    page = again.get_data(as_text=True)
    assert again.status_code == 400 and ("already waits" in page or "sudah menunggu jawaban" in page)
    page = client.get(f"/t/{tenant.slug}/complaints/track/{number}").get_data(as_text=True)
    assert 'id="waiting"' in page and "Di RT berapa tepatnya?" in page
    with app.app_context(), tenant_scope(tenant):
        complaint = services.get_by_number(tenant, number)
        assert complaint.paused_at is not None and complaint.events[-1].kind == "asked"
        assert "Di RT berapa tepatnya?" in outbox(tenant, f"complaints:{number}")[-1][2]
        filer_info.add_info(tenant, None, complaint, "RT 03, dekat masjid", access_key=key)
        db.session.commit()
        assert complaint.paused_at is None
        assert audit_actions(tenant, number)[-3:] == ["complaints.clock_paused", "complaints.clock_resumed",
                                                      "complaints.info"]
