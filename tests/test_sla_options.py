"""core.sla's compatible options for a module moving its own deadlines onto kept clocks: ``start``
taking over a deadline already set (``due_at``), and ``restart`` at a service level changed since the
start (``unit``/``amount``), in the pure ``Clock`` and in the kept one, on SQLite and PostgreSQL."""
from datetime import datetime, timedelta, timezone

import pytest

from core.extensions import db
from core.kit import WorkingCalendar, sla
from core.tenancy.models import Tenant

T = datetime(2026, 5, 4, 1, 0, tzinfo=timezone.utc)  # Monday 4 May 2026, 09:00 WITA
CAL = WorkingCalendar("Asia/Makassar")
REF = ("permit", 9)


def test_a_clock_takes_over_a_deadline_and_moves_it_on_after_a_wait():
    kept = datetime(2026, 5, 20, 15, 59, 59, tzinfo=timezone.utc)  # not what 3 working days would give
    clock = sla.Clock(sla.WORKING_DAYS, 3).start(CAL, T, due_at=kept)
    assert clock.due_at == kept and clock.state == sla.RUNNING
    clock = clock.pause(CAL, T + timedelta(days=1)).resume(CAL, T + timedelta(days=3))  # Tue..Thu: 2 days
    assert clock.due_at == datetime(2026, 5, 22, 15, 59, 59, tzinfo=timezone.utc)
    assert sla.Clock(sla.WORKING_DAYS, 3).start(CAL, T, due_at=kept.replace(tzinfo=None)).due_at == kept


def test_a_restart_at_another_level_counts_that_level_from_then_on():
    clock = sla.Clock(sla.WORKING_DAYS, 3).start(CAL, T).restart(CAL, T + timedelta(hours=1), unit=sla.HOURS,
                                                                  amount=24)
    assert (clock.unit, clock.amount) == (sla.HOURS, 24) and clock.due_at == T + timedelta(hours=25)
    assert clock.segments[0].due_at == datetime(2026, 5, 7, 15, 59, 59, tzinfo=timezone.utc)  # the old one, kept
    same = sla.Clock(sla.DAYS, 5).start(CAL, T).restart(CAL, T + timedelta(days=1))
    assert (same.unit, same.amount, same.due_at) == (sla.DAYS, 5, T + timedelta(days=6))
    with pytest.raises(sla.ClockError) as refused:
        sla.Clock(sla.DAYS, 5).start(CAL, T).restart(CAL, T, unit="weeks")
    assert refused.value.code == "sla_bad_unit"
    with pytest.raises(sla.ClockError) as refused:
        sla.Clock(sla.DAYS, 5).start(CAL, T).restart(CAL, T, amount=-1)
    assert refused.value.code == "sla_bad_amount"


def test_the_kept_clock_takes_both_options(app_ctx, create_tenant):
    tenant = db.session.get(Tenant, create_tenant(timezone="Asia/Makassar").id)
    kept = datetime(2026, 5, 20, 15, 59, 59, tzinfo=timezone.utc)
    assert sla.start(tenant, REF, "processing", sla.WORKING_DAYS, 3, at=T, due_at=kept).due_at == kept
    db.session.commit()
    assert sla.clock_of(tenant, REF, "processing").due_at == kept
    clock = sla.restart(tenant, REF, "processing", at=T + timedelta(days=1), unit=sla.DAYS, amount=10)
    db.session.commit()
    again = sla.clock_of(tenant, REF, "processing")
    assert (again.unit, again.amount) == (sla.DAYS, 10) == (clock.unit, clock.amount)
    assert again.due_at == T + timedelta(days=11) and again.segments[0].due_at == kept
    with pytest.raises(sla.ClockError):
        sla.restart(tenant, REF, "processing", at=T + timedelta(days=2), amount=10**9)
    db.session.rollback()
    assert len(sla.clock_of(tenant, REF, "processing").segments) == 2  # the refused restart wrote nothing
