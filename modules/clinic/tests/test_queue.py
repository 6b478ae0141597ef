"""The desk's steps on a poli's queue: calls in number order, no double call, recall, skip, absent,
serve and finish with their task times, and estimates recomputed at each call from observed times."""
from datetime import timedelta

import pytest

from core.kit import ValidationError, db, tenant_scope

from .. import queue
from ..models import Visit
from .fixtures import MONDAY, SETTINGS, booked

NIKS = [f"73710141019000{i:02d}" for i in range(1, 8)]


@pytest.fixture
def tenant(app_ctx, create_tenant, frozen_clock):
    tenant = create_tenant(modules={"clinic": {**SETTINGS, "clinics": [
        {**SETTINGS["clinics"][0], "polis": [{**SETTINGS["clinics"][0]["polis"][0], "sessions": [
            {"days": [1], "start": "08:00", "end": "12:00", "quota_jkn": 50, "quota_non_jkn": 50}]}]}]}})
    for nik in NIKS[:5]:
        booked(tenant, nik=nik)
    return tenant


def step(tenant, fn, *args, **kw):
    with tenant_scope(tenant):
        visit = fn(tenant, None, *args, **kw)
        db.session.commit()
        return visit.id, visit.number, visit.status


def visits(tenant):
    with tenant_scope(tenant):
        return {v.number: v for v in db.session.query(Visit).order_by(Visit.serial)}


def test_calls_go_in_number_order_and_record_task_times(tenant, frozen_clock, audit_entries):
    first = step(tenant, queue.call_next, "PKM-A", "UMUM")
    assert first[1:] == ("A-001", "called")
    step(tenant, queue.serve, first[0])
    frozen_clock.advance(minutes=6)
    step(tenant, queue.finish, first[0])
    second = step(tenant, queue.call_next, "PKM-A", "UMUM")
    assert second[1] == "A-002"
    with tenant_scope(tenant):
        done = visits(tenant)["A-001"]
        assert done.called_at and done.served_at and done.finished_at and done.status == "done"
    actions = [e["action"] for e in audit_entries(tenant) if e["action"].startswith("clinic.queue")]
    assert actions == ["clinic.queue.call", "clinic.queue.serving", "clinic.queue.done", "clinic.queue.call"]


def test_a_number_is_never_called_twice(tenant):
    first = step(tenant, queue.call_next, "PKM-A", "UMUM")
    with pytest.raises(ValidationError) as caught:
        step(tenant, queue.call, first[0])
    db.session.rollback()
    assert caught.value.code == "already_called"
    again = step(tenant, queue.recall, first[0])
    assert again[2] == "called"
    with tenant_scope(tenant):
        assert visits(tenant)["A-001"].call_count == 2
    assert step(tenant, queue.call_next, "PKM-A", "UMUM")[1] == "A-002"


def test_skipped_numbers_wait_for_a_call_by_hand_then_may_be_absent(tenant):
    first = step(tenant, queue.call_next, "PKM-A", "UMUM")
    step(tenant, queue.skip, first[0])
    assert step(tenant, queue.call_next, "PKM-A", "UMUM")[1] == "A-002"
    assert step(tenant, queue.call, first[0])[2] == "called"
    assert step(tenant, queue.absent, first[0])[2] == "absent"
    with pytest.raises(ValidationError) as caught:
        step(tenant, queue.finish, first[0])
    assert caught.value.code == "not_serving"


def test_an_empty_queue_says_so(tenant):
    for _ in NIKS[:5]:
        step(tenant, queue.call_next, "PKM-A", "UMUM")
    with pytest.raises(ValidationError) as caught:
        step(tenant, queue.call_next, "PKM-A", "UMUM")
    assert caught.value.code == "empty_queue"


def test_estimates_follow_the_service_times_observed_that_day(tenant, frozen_clock):
    # 09:00 WITA: the session opened at 08:00, so the first waiting patient is expected now
    before = visits(tenant)
    assert before["A-003"].estimated_at - before["A-002"].estimated_at == timedelta(minutes=10)
    for minutes in (4, 4):
        vid = step(tenant, queue.call_next, "PKM-A", "UMUM")[0]
        step(tenant, queue.serve, vid)
        frozen_clock.advance(minutes=minutes)
        step(tenant, queue.finish, vid)
    step(tenant, queue.call_next, "PKM-A", "UMUM")  # recomputed at the call: 4 minutes each now
    after = visits(tenant)
    assert after["A-005"].estimated_at - after["A-004"].estimated_at == timedelta(minutes=4)
    assert after["A-004"].estimated_at.replace(tzinfo=None) == frozen_clock.now.replace(tzinfo=None)


def test_those_checked_in_are_called_before_bookings_not_yet_arrived(tenant):
    numbers = {n: v.id for n, v in visits(tenant).items()}  # A-001..A-005 booked from afar
    step(tenant, queue.check_in, numbers["A-004"])
    step(tenant, queue.check_in, numbers["A-003"])
    assert step(tenant, queue.call_next, "PKM-A", "UMUM")[1] == "A-003"  # here, lowest of those here
    step(tenant, queue.check_in, numbers["A-002"])  # arrives late: their lower number comes first again
    assert step(tenant, queue.call_next, "PKM-A", "UMUM")[1] == "A-002"
    assert step(tenant, queue.call_next, "PKM-A", "UMUM")[1] == "A-004"
    # nobody here is waiting any more: the lowest number booked is called (a desk that skips check-in)
    assert step(tenant, queue.call_next, "PKM-A", "UMUM")[1] == "A-001"
