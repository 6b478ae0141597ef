"""Each target of a complaint is a clock the core keeps (``clocks.py`` over ``core.kit.sla``): started,
paused while the complaint waits on the citizen (OSS 41), resumed (42), restarted from zero (44) on a
forwarding or a reopening, finished when met; every segment kept, so the office's own time can be
reported apart from the wait; the complaint's columns are always its clocks' deadlines."""
import random
from datetime import datetime, timedelta, timezone

import pytest

from core.kit import db, sla, tenant_scope
from modules.complaints import clocks, deadlines, duplicates, filer_info, services, workflow
from modules.complaints.models import aware

from .conftest import SETTINGS

FILED = datetime(2026, 5, 4, 1, 0, tzinfo=timezone.utc)  # Monday 09:00 WITA
JALAN = {"code": "LUBANG", "name_id": "Jalan berlubang", "name_en": "Pothole", "agency": "DLH",
         "in_working_days": ["response", "followup", "resolution"], "resolution_days": 20}


@pytest.fixture
def setting(make_tenant, create_user, user_of):
    tenant = make_tenant(settings={**SETTINGS, "categories": SETTINGS["categories"] + [JALAN]})
    officer = user_of(create_user(tenant, "officer", agency="DLH"))
    officer.coordinator = user_of(create_user(tenant, "admin"))  # acts wherever the complaint went
    return tenant, officer


def _file(tenant, now=FILED):
    complaint, key = services.file_complaint(tenant, None, services.Filing(
        category="LUBANG", description="Lubang besar di jalan", phone="081234567890"), "portal", now=now)
    return complaint, key


def _kept(tenant, complaint):
    return sla.clocks_of(tenant, clocks.ref(complaint))


def _consistent(tenant, complaint):
    """Every pending target's clock runs (or is paused while the complaint waits) and the column is its
    deadline; every other clock has finished."""
    kept = _kept(tenant, complaint)
    pending = deadlines.pending(complaint)
    for target, clock in kept.items():
        if target in pending:
            assert clock.state == (sla.PAUSED if complaint.paused_at else sla.RUNNING), (target, clock.state)
            assert aware(getattr(complaint, clocks.COLUMNS[target])) == clock.due_at, target
        else:
            assert clock.state == sla.DONE, (target, clock.state, complaint.status)
    assert set(pending) <= set(kept)


def test_a_complaints_life_is_kept_segment_by_segment(app_ctx, setting):
    tenant, officer = setting
    with tenant_scope(tenant):
        complaint, key = _file(tenant)
        kept = _kept(tenant, complaint)
        assert set(kept) == {"response", "resolution"}
        assert kept["response"].due_at == aware(complaint.response_due_at)
        assert kept["resolution"].due_at == aware(complaint.resolution_due_at)
        workflow.transition(tenant, officer, complaint, "verified", now=FILED + timedelta(hours=2))
        _consistent(tenant, complaint)
        assert _kept(tenant, complaint)["response"].state == sla.DONE
        # Tuesday 5 May: the officer asks; the filer answers on Monday 11 May (5, 6, 7 and 8 May touched)
        deadlines.wait_on_citizen(tenant, officer, complaint, "Di RT berapa?", now=FILED + timedelta(days=1))
        _consistent(tenant, complaint)
        before = aware(complaint.followup_due_at)
        filer_info.add_info(tenant, None, complaint, "RT 03", access_key=key, now=FILED + timedelta(days=7))
        _consistent(tenant, complaint)
        assert aware(complaint.followup_due_at) > before and complaint.paused_at is None
        kept = _kept(tenant, complaint)
        assert [s.phase for s in kept["followup"].segments] == ["running", "paused", "running"]
        assert [s.ended_by for s in kept["followup"].segments] == ["pause", "resume", None]
        now = FILED + timedelta(days=8)
        report = clocks.office_time(tenant, complaint, now)
        assert report["resolution"]["waiting"] == 4 and report["resolution"]["office"] >= 1
        for status in ("assigned", "in_progress", "resolved"):
            workflow.transition(tenant, officer, complaint, status, note="ok", now=now)
            _consistent(tenant, complaint)
        assert {c.state for c in _kept(tenant, complaint).values()} == {sla.DONE}
        workflow.reopen(tenant, None, complaint, "Masih berlubang", access_key=key, now=now + timedelta(days=1))
        _consistent(tenant, complaint)
        resolution = _kept(tenant, complaint)["resolution"]
        assert resolution.state == sla.RUNNING and resolution.segments[-1].started_at == now + timedelta(days=1)
        assert resolution.segments[-2].ended_by == "finish"
        db.session.commit()


def test_a_forwarding_restarts_the_follow_up_and_a_withdrawal_finishes_everything(app_ctx, setting):
    tenant, officer = setting
    with tenant_scope(tenant):
        complaint, key = _file(tenant)
        workflow.transition(tenant, officer, complaint, "verified", now=FILED + timedelta(hours=1))
        first = aware(complaint.followup_due_at)
        workflow.reroute(tenant, officer, complaint, "PU", "Bukan jalan kota", now=FILED + timedelta(days=2))
        _consistent(tenant, complaint)
        followup = _kept(tenant, complaint)["followup"]
        assert followup.segments[0].ended_by == "restart" and followup.due_at > first
        workflow.withdraw(tenant, None, complaint, "Sudah diperbaiki warga", access_key=key,
                          now=FILED + timedelta(days=3))
        _consistent(tenant, complaint)
        assert {c.state for c in _kept(tenant, complaint).values()} == {sla.DONE}


def test_a_step_dated_before_the_clocks_last_change_keeps_the_history_in_order(app_ctx, setting):
    tenant, officer = setting
    with tenant_scope(tenant):
        complaint, _ = _file(tenant)
        workflow.transition(tenant, officer, complaint, "verified", now=FILED - timedelta(hours=3))
        _consistent(tenant, complaint)
        response = _kept(tenant, complaint)["response"]
        assert response.segments[-1].ended_at == FILED


@pytest.mark.parametrize("seed", range(4))
def test_random_lives_keep_columns_and_clocks_together(app_ctx, setting, seed):
    """Random steps (asking, answering, every status, forwarding, reopening, merging) at random
    times: after each, the columns are the clocks' deadlines and only pending targets run."""
    tenant, officer = setting
    rng = random.Random(seed)
    with tenant_scope(tenant):
        other, _ = _file(tenant)
        complaint, key = _file(tenant)
        now, done = FILED, []
        for _step in range(14):
            now += timedelta(hours=rng.randint(1, 80))
            choice = rng.choice(["ask", "answer", "move", "move", "reroute", "reopen", "withdraw", "merge"])
            try:
                if choice == "ask":
                    deadlines.wait_on_citizen(tenant, _officer_of(tenant, complaint, officer), complaint, "Foto?",
                                              now=now)
                elif choice == "answer":
                    filer_info.add_info(tenant, None, complaint, "Ini fotonya", access_key=key, now=now)
                elif choice == "move" and workflow.allowed_next(complaint):
                    to = rng.choice(workflow.allowed_next(complaint))
                    workflow.transition(tenant, _officer_of(tenant, complaint, officer), complaint, to, note="x",
                                        now=now,
                                        outcome="unable" if to == "closed" and complaint.is_open else "")
                elif choice == "reroute":
                    agency = "PU" if rng.random() < 0.5 else "DLH"
                    workflow.reroute(tenant, _officer_of(tenant, complaint, officer), complaint, agency, "x", now=now)
                elif choice == "reopen":
                    workflow.reopen(tenant, None, complaint, "Belum", access_key=key, now=now)
                elif choice == "withdraw" and rng.random() < 0.2:
                    workflow.withdraw(tenant, None, complaint, "", access_key=key, now=now)
                elif choice == "merge" and rng.random() < 0.2:
                    duplicates.mark_duplicate(tenant, _officer_of(tenant, complaint, officer), complaint, other.number,
                                              now=now)
            except services.Forbidden:
                continue
            except Exception as exc:  # a step the complaint's state refuses: nothing of it is kept
                assert getattr(exc, "code", None), exc
                db.session.rollback()
                complaint = services.get_by_number(tenant, complaint.number)
            else:
                done.append(choice)
            _consistent(tenant, complaint)
            db.session.commit()
        assert len(done) >= 5, done


def _officer_of(tenant, complaint, officer):
    """The coordinator acts on a complaint forwarded away from the officer's agency."""
    return officer if complaint.agency_id in services.agencies_of(tenant, officer) else officer.coordinator
