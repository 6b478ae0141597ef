"""core.calendar: working days per tenant. The arithmetic is checked against numpy's business-day
functions over the same days off (an independent computation); the tenant's own days off come
from its TOML, are exported back, and a date that is not a date is refused in one line."""
from datetime import date, datetime, timedelta, timezone

import numpy as np
import pytest
import tomllib
from hypothesis import given, settings, strategies as st

from core.calendar import WorkingCalendar, calendar_of, national_holidays
from core.testing import unique

START, END = date(2024, 1, 1), date(2028, 12, 31)
EXTRA = {date(2026, 4, 6): "Hari jadi kota", date(2026, 11, 9): "Libur daerah", date(2027, 1, 4): ""}
CAL = WorkingCalendar("Asia/Makassar", EXTRA)
# every weekday off in the span, computed once from the library and the extra days, for numpy
DAYS_OFF = sorted({d for y in range(START.year - 1, END.year + 4) for d in national_holidays(y)} | set(EXTRA))
NP_DAYS_OFF = np.array(DAYS_OFF, dtype="datetime64[D]")

days = st.dates(min_value=START, max_value=END)


def test_national_days_off_include_public_holidays_and_cuti_bersama():
    year = national_holidays(2026)
    assert year[date(2026, 8, 17)]  # Hari Kemerdekaan
    assert "Cuti Bersama" in year[date(2026, 3, 20)]  # the government's joint leave before Idul Fitri
    cal = WorkingCalendar("Asia/Jakarta")
    assert not cal.is_working_day(date(2026, 3, 20)) and not cal.is_working_day(date(2026, 3, 21))
    assert cal.is_working_day(date(2026, 3, 25)) and not cal.is_working_day(date(2026, 3, 28))  # a Saturday
    assert (date(2026, 8, 17), year[date(2026, 8, 17)]) in cal.holidays(date(2026, 8, 1), date(2026, 9, 1))


@settings(max_examples=300, deadline=None)
@given(start=days, count=st.integers(min_value=1, max_value=120))
def test_adding_working_days_agrees_with_numpy(start, count):
    expected = np.busday_offset(np.datetime64(start, "D"), count, roll="backward", holidays=NP_DAYS_OFF)
    assert CAL.add_working_days(start, count) == expected.astype(date)


@settings(max_examples=300, deadline=None)
@given(start=days, span=st.integers(min_value=-10, max_value=400))
def test_counting_working_days_agrees_with_numpy(start, span):
    end = start + timedelta(days=span)
    expected = max(0, int(np.busday_count(np.datetime64(start, "D"), np.datetime64(end, "D"), holidays=NP_DAYS_OFF)))
    assert CAL.working_days_between(start, end) == expected


@settings(max_examples=200, deadline=None)
@given(start=days, count=st.integers(min_value=1, max_value=60))
def test_counting_back_what_was_added(start, count):
    due = CAL.add_working_days(start, count)
    assert CAL.is_working_day(due)
    assert CAL.working_days_between(start + timedelta(days=1), due + timedelta(days=1)) == count


def test_the_extra_days_are_days_off_even_unnamed():
    assert not CAL.is_working_day(date(2026, 4, 6)) and CAL.holiday_name(date(2026, 4, 6)) == "Hari jadi kota"
    assert not CAL.is_working_day(date(2027, 1, 4)) and CAL.holiday_name(date(2027, 1, 4))
    assert WorkingCalendar("Asia/Makassar").is_working_day(date(2026, 4, 6))


def test_deadlines_end_with_the_working_day_in_the_tenants_zone():
    wit = WorkingCalendar("Asia/Jayapura")
    sunday_night_utc = datetime(2026, 6, 7, 23, 30, tzinfo=timezone.utc)  # Monday 08:30 in Jayapura
    assert wit.local_date(sunday_night_utc) == date(2026, 6, 8)
    due = wit.working_days_after(sunday_night_utc, 3)
    assert due == datetime(2026, 6, 11, 14, 59, 59, tzinfo=timezone.utc)  # Thursday 23:59:59 WIT
    jakarta = WorkingCalendar("Asia/Jakarta")
    assert jakarta.local_date(sunday_night_utc) == date(2026, 6, 8)
    assert jakarta.working_days_after(sunday_night_utc, 3) == datetime(2026, 6, 11, 16, 59, 59, tzinfo=timezone.utc)
    # filed on Saturday: Monday is the first of the three
    saturday = datetime(2026, 6, 6, 3, 0, tzinfo=timezone.utc)
    assert jakarta.local_date(jakarta.working_days_after(saturday, 3)) == date(2026, 6, 10)
    # a pause begun and ended on one day touches no working day; Friday to Monday touches one
    friday = datetime(2026, 6, 12, 8, 0, tzinfo=timezone.utc)
    assert jakarta.working_days_in(friday, friday + timedelta(hours=5)) == 0
    assert jakarta.working_days_in(friday, friday + timedelta(days=3)) == 1


def test_a_count_out_of_range_is_refused():
    with pytest.raises(ValueError):
        CAL.add_working_days(date(2026, 1, 1), -1)


TOML = """
slug = "{slug}"
name = "Kota {slug}"
kind = "city"
timezone = "Asia/Makassar"

[[holidays]]
date = 2026-04-06
name = "Hari jadi kota"

[[holidays]]
date = {second}
name = "Libur daerah"
"""


@pytest.fixture
def run(app):
    from click.testing import CliRunner
    from flask.cli import ScriptInfo

    from cli import cli

    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(cli, list(args), obj=ScriptInfo(create_app=lambda: app), catch_exceptions=False)

    return invoke


def _tenant(app, slug):
    from core.extensions import db
    from core.tenancy.service import get_tenant

    with app.app_context():
        tenant = get_tenant(slug)
        if tenant is not None:
            db.session.expunge(tenant)
        return tenant


def test_a_tenants_own_days_off_come_from_its_toml_and_export_back(app, run, tmp_path, audit_entries):
    slug = unique("hol")
    path = tmp_path / f"{slug}.toml"
    path.write_text(TOML.format(slug=slug, second="2026-11-09"), encoding="utf-8")
    assert run("tenant", "apply", str(path)).exit_code == 0
    tenant = _tenant(app, slug)
    assert tenant.holidays == [{"date": "2026-04-06", "name": "Hari jadi kota"},
                               {"date": "2026-11-09", "name": "Libur daerah"}]
    cal = calendar_of(tenant)
    assert not cal.is_working_day(date(2026, 4, 6)) and not cal.is_working_day(date(2026, 11, 9))
    exported = run("tenant", "export", slug).output
    assert tomllib.loads(exported)["holidays"] == [{"date": date(2026, 4, 6), "name": "Hari jadi kota"},
                                                   {"date": date(2026, 11, 9), "name": "Libur daerah"}]
    again = tmp_path / "again.toml"
    again.write_text(exported.replace("2026-11-09", "2026-11-10"), encoding="utf-8")
    assert run("tenant", "apply", str(again)).exit_code == 0
    assert _tenant(app, slug).holidays[1]["date"] == "2026-11-10"
    (change,) = [e for e in audit_entries(_tenant(app, slug), "tenant.update")]
    assert change["summary"]["after"]["holidays"][1]["date"] == "2026-11-10"


@pytest.mark.parametrize("second, message", [
    ('"2026-02-30"', "holidays[1].date: '2026-02-30' is not a date"),
    ('"soon"', "holidays[1].date: 'soon' is not a date"),
    ("20261109", "holidays[1].date: 20261109 is not a date"),
    ("2026-11-09T10:00:00", "holidays[1].date: '2026-11-09T10:00:00' has a time"),
    ("2026-04-06", "holidays: date 2026-04-06 is listed twice"),
])
def test_a_holiday_that_is_not_a_date_is_one_clear_line_and_changes_nothing(app, run, tmp_path, second, message):
    slug = unique("hol")
    path = tmp_path / f"{slug}.toml"
    path.write_text(TOML.format(slug=slug, second=second), encoding="utf-8")
    result = run("tenant", "apply", str(path))
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {path}: ") and message in lines[0], result.output
    assert _tenant(app, slug) is None
