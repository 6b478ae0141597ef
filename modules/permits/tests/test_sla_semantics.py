"""The SLA clock as this module uses it (OSS-RBA: 41 stop while waiting on the applicant, 42 restart,
43 stop and reset, 44 restart from zero), driven through the module's own services with random
sequences of asks and answers at random times, against an independent working-day computation:

- submitted at t: due at the end of the N-th working day after t's local date;
- asked at a (41) and answered at b (42): the due date moves on by the working days from a's local
  date up to, not including, b's local date;
- asked with a reset (43) and answered at b (44): due at the end of the N-th working day after b.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings, strategies as st

from core.kit import calendar_of, tenant_scope

from .. import services
from .conftest import SKU
from .test_services import APPLICANT

ZONE = ZoneInfo("Asia/Makassar")
START = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)


def working(cal, day: date) -> bool:
    return cal.is_working_day(day)   # the tenant's days off (weekends, national holidays): the only thing shared


def nth_after(cal, day: date, n: int) -> date:
    while n > 0:
        day += timedelta(days=1)
        n -= working(cal, day)
    return day


def touched(cal, first: date, last: date) -> int:
    return sum(working(cal, first + timedelta(days=i)) for i in range((last - first).days))


def end_of(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), ZONE).astimezone(timezone.utc)


def local(at: datetime) -> date:
    return at.astimezone(ZONE).date()


STEPS = st.lists(st.tuples(st.integers(0, 24 * 9), st.booleans(), st.integers(0, 24 * 12)), max_size=4)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=st.integers(0, 24 * 20), steps=STEPS)
def test_due_dates_follow_the_oss_clock(app_ctx, tenant, people, actor, frozen_clock, first, steps):
    citizen, officer = actor(people["citizen"]), actor(people["intake"])
    cal = calendar_of(tenant)
    now = START + timedelta(hours=first)
    frozen_clock.set(now)
    application = services.save_draft(tenant, citizen, "SKU", APPLICANT, {"usaha": "Warung"})
    services.submit(tenant, citizen, application.id)
    due = nth_after(cal, local(now), SKU["sla_days"])
    with tenant_scope(tenant):
        assert application.due_at.astimezone(timezone.utc) == end_of(due)
    for wait_before, reset, wait_answer in steps:
        now += timedelta(hours=wait_before)
        frozen_clock.set(now)
        asked = now
        services.ask_applicant(tenant, officer, application.id, 0, "Lengkapi", reset=reset)
        now += timedelta(hours=wait_answer)
        frozen_clock.set(now)
        services.resubmit(tenant, citizen, application.id)
        if reset:
            due = nth_after(cal, local(now), SKU["sla_days"])
        else:
            due = nth_after(cal, due, touched(cal, local(asked), local(now)))
        with tenant_scope(tenant):
            assert application.due_at.astimezone(timezone.utc) == end_of(due), (asked, now, reset)
