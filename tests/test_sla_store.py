"""core.sla's kept clocks (``sla_segments``), on SQLite and PostgreSQL: every transition keeps its
segment, a refused one changes no row and writes no audit entry, ``audited`` writes the trail with
the OSS-RBA code, and a tenant never sees another tenant's clock."""
from datetime import datetime, timedelta, timezone

import pytest

from core.extensions import db
from core.kit import calendar_of, sla, tenant_scope
from core.sla.models import SlaSegment
from core.tenancy.models import Tenant

T = datetime(2026, 5, 4, 1, 0, tzinfo=timezone.utc)  # Monday 4 May 2026, 09:00 WITA
REF = ("permit", 17)


@pytest.fixture
def tenant(app_ctx, create_tenant):
    return db.session.get(Tenant, create_tenant().id)


def rows(tenant, ref=REF):
    with tenant_scope(tenant):
        return db.session.execute(db.select(SlaSegment).where(
            SlaSegment.object_kind == ref[0], SlaSegment.object_id == str(ref[1])).order_by(SlaSegment.clock,
                                                                                           SlaSegment.seq)).scalars().all()


def shape(tenant):
    return [(r.clock, r.seq, r.phase, r.ended_by) for r in rows(tenant)]


def test_a_clock_keeps_every_segment_and_its_deadline(tenant, audit_entries):
    hook = sla.audited("officer@example.test", "permits.clock")
    clock = sla.start(tenant, REF, "processing", sla.WORKING_DAYS, 3, at=T, on_change=hook)
    assert clock.due_at == datetime(2026, 5, 7, 15, 59, 59, tzinfo=timezone.utc)  # Thursday 23:59:59 WITA
    sla.pause(tenant, REF, "processing", at=T + timedelta(days=1), on_change=hook)  # Tuesday
    clock = sla.resume(tenant, REF, "processing", at=T + timedelta(days=3), on_change=hook)  # Thursday: 2 days
    db.session.commit()
    assert clock.due_at == datetime(2026, 5, 11, 15, 59, 59, tzinfo=timezone.utc)  # Thu + 2 working days: Mon
    kept = sla.clock_of(tenant, REF, "processing")
    assert kept == clock  # what the database holds is the clock, segment by segment
    assert shape(tenant) == [("processing", 0, "running", "pause"), ("processing", 1, "paused", "resume"),
                             ("processing", 2, "running", None)]
    assert kept.spent(calendar_of(tenant), sla.PAUSED) == 2
    assert kept.report(calendar_of(tenant), T + timedelta(days=4)) == {
        "state": "running", "due_at": clock.due_at, "office": 2, "waiting": 2, "stopped": 0}  # Mon-Tue, Thu-Fri
    trail = audit_entries(tenant)
    assert [e["action"] for e in trail[-3:]] == ["permits.clock.start", "permits.clock.pause", "permits.clock.resume"]
    assert trail[-2]["summary"]["oss_code"] == 41 and trail[-1]["summary"]["oss_code"] == 42
    assert trail[-1]["object_type"] == "permit" and trail[-1]["object_id"] == "17"
    assert trail[-1]["summary"]["after"]["due"] == clock.due_at.isoformat()


def test_reset_restart_finish_and_restart_again(tenant):
    sla.start(tenant, REF, "processing", sla.HOURS, 8, at=T)
    clock = sla.reset(tenant, REF, "processing", at=T + timedelta(hours=2))
    assert clock.state == sla.STOPPED and clock.due_at is None
    clock = sla.restart(tenant, REF, "processing", at=T + timedelta(hours=30))
    assert clock.due_at == T + timedelta(hours=38)
    clock = sla.finish(tenant, REF, "processing", at=T + timedelta(hours=31))
    assert clock.state == sla.DONE
    clock = sla.restart(tenant, REF, "processing", at=T + timedelta(hours=40))  # reopened
    db.session.commit()
    assert sla.clock_of(tenant, REF, "processing") == clock
    assert clock.spent(calendar_of(tenant), sla.STOPPED) == timedelta(hours=28)
    assert clock.spent(calendar_of(tenant), sla.RUNNING, T + timedelta(hours=41)) == timedelta(hours=4)


@pytest.mark.parametrize("steps, transition, code", [
    ([], "pause", "sla_not_started"),
    ([], "resume", "sla_not_started"),
    ([], "finish", "sla_not_started"),
    (["pause"], "pause", "sla_already_paused"),
    ([], "resume_running", "sla_not_paused"),
    ([], "start_again", "sla_already_started"),
    (["reset"], "resume", "sla_stopped"),
    (["finish"], "pause", "sla_finished"),
])
def test_a_refused_transition_changes_no_row_and_audits_nothing(tenant, audit_entries, steps, transition, code):
    hook = sla.audited("system")
    if code != "sla_not_started":
        sla.start(tenant, REF, "processing", sla.WORKING_DAYS, 5, at=T, on_change=hook)
    for i, step in enumerate(steps):
        getattr(sla, step)(tenant, REF, "processing", at=T + timedelta(hours=i + 1), on_change=hook)
    db.session.commit()
    before, trail = shape(tenant), audit_entries(tenant)
    name = {"resume_running": "resume", "start_again": "start"}.get(transition, transition)
    args = (sla.WORKING_DAYS, 5) if name == "start" else ()
    with pytest.raises(sla.ClockError) as caught:
        getattr(sla, name)(tenant, REF, "processing", *args, at=T + timedelta(days=1), on_change=hook)
    assert caught.value.code == code
    db.session.commit()
    assert shape(tenant) == before and audit_entries(tenant) == trail


def test_a_bad_reference_or_unit_is_refused_before_anything_is_written(tenant):
    for ref in [("", 1), ("permit", ""), ("x" * 41, 1), "permit", ("permit", "1" * 65)]:
        with pytest.raises(sla.ClockError) as caught:
            sla.start(tenant, ref, "processing", sla.HOURS, 1, at=T)
        assert caught.value.code == "sla_bad_ref"
    with pytest.raises(sla.ClockError) as caught:
        sla.start(tenant, REF, "processing", "fortnights", 1, at=T)
    assert caught.value.code == "sla_bad_unit"
    assert shape(tenant) == []


def test_clocks_of_an_object_and_tenant_isolation(tenant, create_tenant):
    sla.start(tenant, REF, "processing", sla.WORKING_DAYS, 5, at=T)
    sla.start(tenant, REF, "payment", sla.HOURS, 24, at=T)
    db.session.commit()
    assert set(sla.clocks_of(tenant, REF)) == {"processing", "payment"}
    other = db.session.get(Tenant, create_tenant().id)
    assert sla.clock_of(other, REF, "processing") is None and sla.clocks_of(other, REF) == {}
    with pytest.raises(sla.ClockError) as caught:
        sla.pause(other, REF, "processing", at=T + timedelta(hours=1))
    assert caught.value.code == "sla_not_started"
    assert sla.clock_of(tenant, REF, "processing").state == sla.RUNNING


@pytest.mark.parametrize("transition, code", [("start", "sla_already_started"), ("pause", "sla_already_paused")])
def test_concurrent_transitions_of_one_clock_let_exactly_one_through(app, create_tenant, transition, code):
    """Eight threads start (or pause) the same clock at once: one wins, seven get the error, and the
    rows hold one segment for it (the first start has no row to lock: the per-clock lock covers it)."""
    import threading

    tenant_id = create_tenant().id
    ref = ("permit", f"race-{transition}")
    if transition == "pause":
        with app.app_context():
            sla.start(db.session.get(Tenant, tenant_id), ref, "processing", sla.HOURS, 24, at=T)
            db.session.commit()
    barrier, outcomes = threading.Barrier(8), []

    def attempt():
        with app.app_context():
            tenant = db.session.get(Tenant, tenant_id)
            db.session.commit()
            barrier.wait()
            try:
                if transition == "start":
                    sla.start(tenant, ref, "processing", sla.HOURS, 24, at=T)
                else:
                    sla.pause(tenant, ref, "processing", at=T + timedelta(hours=1))
                db.session.commit()
                outcomes.append("ok")
            except sla.ClockError as exc:
                db.session.rollback()
                outcomes.append(exc.code)

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == sorted(["ok"] + [code] * 7)
    with app.app_context():
        kept = sla.clock_of(db.session.get(Tenant, tenant_id), ref, "processing")
        assert len(kept.segments) == (1 if transition == "start" else 2)
