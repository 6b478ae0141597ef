"""Activity logs decided by the supervisor in the app: an employee's log counts toward the month's
performance only once their own supervisor approves it; a rejection needs a reason; a supervisor
sees and decides only their subordinates' logs (never their own); a closed month takes no log and
no decision; every log and decision is audited. Then the same over HTTP, in English."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from core.kit import Actor, NotFound, ValidationError, db, tenant_scope
from core.testing import sql_statements

from .. import activities
from ..models import Result
from ..runs import MonthClosed
from ..services import close_month, employee_of, import_employees, run_month
from .helpers import MODULE, NIPS, SETTINGS

APRIL = datetime(2026, 4, 6, 2, 0, tzinfo=timezone.utc)  # March has ended: its target is whole (6,000 minutes)


def people_csv(andi: str, sitti: str, boss: str, other_boss: str) -> bytes:
    rows = ["nip,name,agency,position_class,email,supervisor_email",
            f"{NIPS[0]},Andi Baso,DLH,JF-AHLI,{andi},{boss}",
            f"{NIPS[1]},Sitti Rahmawati,DLH,PELAKSANA,{sitti},{other_boss}",
            f"{NIPS[2]},Muhammad Arfah,DLH,JF-AHLI,{boss},"]  # the supervisor is an employee too
    return ("\n".join(rows) + "\n").encode()


@pytest.fixture
def office(app, create_tenant, create_user, frozen_clock):
    frozen_clock.set(APRIL)
    tenant = create_tenant(modules={MODULE: SETTINGS}, locales=["id", "en"])
    users = {name: create_user(tenant, role="officer", agency="DLH") for name in ("andi", "sitti", "boss", "other")}
    with app.app_context(), tenant_scope(tenant):
        import_employees(tenant, "test", people_csv(users["andi"], users["sitti"], users["boss"], users["other"]))
        db.session.commit()
    return tenant, users


def _performance(tenant, employee_id: int) -> int:
    run = run_month(tenant, "test", 2026, 3)
    with tenant_scope(tenant):
        return db.session.execute(db.select(Result.performance_bp).where(Result.run_id == run.id,
                                                                          Result.employee_id == employee_id)).scalar_one()


def test_only_the_supervisors_approval_makes_a_log_count(app, office, audit_entries):
    tenant, users = office
    with app.app_context(), tenant_scope(tenant):
        andi = employee_of(tenant, users["andi"])
        first = activities.log_activity(tenant, "andi", andi, "2026-03-02", "1200", "", "Menyusun laporan")
        second = activities.log_activity(tenant, "andi", andi, date(2026, 3, 3), 1200, 0, "Rapat koordinasi")
        third = activities.log_activity(tenant, "andi", andi, "2026-03-04", 600, 0, "Survei lapangan")
        db.session.commit()
        assert {a.status for a in (first, second, third)} == {"pending"}
        assert _performance(tenant, andi.id) == 0                                       # pending counts nothing
        boss = Actor.system("boss")
        activities.decide(tenant, boss, users["boss"], [first.id, second.id], approve=True)
        activities.decide(tenant, boss, users["boss"], [third.id], approve=False, reason="Tidak ada bukti")
        db.session.commit()
        assert (first.status, third.status, third.reason) == ("approved", "rejected", "Tidak ada bukti")
        assert first.decided_by == users["boss"].lower()
        assert _performance(tenant, andi.id) == 2400 * 10_000 // 6000                   # 1,200 + 1,200 of 6,000
        totals = activities.totals(tenant, andi.id, date(2026, 3, 1), date(2026, 3, 31))
        assert totals["approved"] == {"count": 2, "minutes": 2400, "points": 0}
        assert totals["rejected"]["count"] == 1 and totals["pending"]["count"] == 0
    logged = audit_entries(tenant, "remuneration.activity.log")
    assert len(logged) == 3 and len(audit_entries(tenant, "remuneration.activity.approve")) == 2
    rejected = audit_entries(tenant, "remuneration.activity.reject")
    assert len(rejected) == 1 and "Tidak ada bukti" in str(rejected[0]["summary"])


def test_a_supervisor_decides_only_their_own_subordinates(app, office):
    tenant, users = office
    with app.app_context(), tenant_scope(tenant):
        andi, sitti = employee_of(tenant, users["andi"]), employee_of(tenant, users["sitti"])
        boss_self = employee_of(tenant, users["boss"])
        mine = activities.log_activity(tenant, "andi", andi, "2026-03-02", 300, 0, "Laporan")
        theirs = activities.log_activity(tenant, "sitti", sitti, "2026-03-02", 300, 0, "Arsip")
        own = activities.log_activity(tenant, "boss", boss_self, "2026-03-02", 300, 0, "Disposisi")
        db.session.commit()
        seen = activities.for_supervisor(tenant, users["boss"].upper())                  # e-mail case does not matter
        assert [(a.id, e.name) for a, e in seen] == [(mine.id, "Andi Baso")]
        assert activities.for_supervisor(tenant, users["other"]) and activities.for_supervisor(tenant, "") == []
        for ids in ([theirs.id], [mine.id, theirs.id], [own.id]):
            with pytest.raises(ValidationError) as refused:
                activities.decide(tenant, "boss", users["boss"], ids, approve=True)
            assert refused.value.code == "activity_not_yours", ids
        for ids in ([999_999], [mine.id, 999_999]):  # no such log: not found (re-trial: "only the supervisor")
            with pytest.raises(NotFound):
                activities.decide(tenant, "boss", users["boss"], ids, approve=True)
        db.session.rollback()
        assert (mine.status, theirs.status) == ("pending", "pending")                  # all or none
        activities.decide(tenant, "boss", users["boss"], [mine.id], approve=True)
        with pytest.raises(ValidationError) as twice:
            activities.decide(tenant, "boss", users["boss"], [mine.id], approve=False, reason="Salah")
        assert twice.value.code == "activity_decided"
        assert activities.supervises(tenant, users["boss"]) and not activities.supervises(tenant, users["andi"])


def test_roles_of_says_employee_and_supervisor_in_one_statement(app, office):
    """What the navigation asks on every signed-in page: both answers, from one statement."""
    tenant, users = office
    with app.app_context(), tenant_scope(tenant):
        with sql_statements(ignore=("SELECT set_config",)) as seen:  # the scope's RLS setting aside
            boss = activities.roles_of(tenant, " " + users["boss"].upper())  # case and spaces do not matter
        assert boss == (True, True) and seen.count == 1, list(seen)
        assert activities.roles_of(tenant, users["andi"]) == (True, False)  # an employee, nobody's supervisor
        assert activities.roles_of(tenant, "stranger@example.test") == (False, False)
        assert activities.roles_of(tenant, "") == (False, False)


def test_bad_logs_and_decisions_are_refused_and_a_closed_month_is_immutable(app, office, audit_entries):
    tenant, users = office
    with app.app_context(), tenant_scope(tenant):
        andi = employee_of(tenant, users["andi"])
        for day, minutes, points, text, field in (("2026-04-07", 60, 0, "Besok", "day"),      # the future
                                                  ("kemarin", 60, 0, "x", "day"),
                                                  ("2026-03-02", 1441, 0, "x", "minutes"),
                                                  ("2026-03-02", "-5", 0, "x", "minutes"),
                                                  ("2026-03-02", 0, 0, "x", "minutes"),       # nothing done
                                                  ("2026-03-02", 60, "1,5", "x", "points"),
                                                  ("2026-03-02", 60, 0, "  ", "description")):
            with pytest.raises(ValidationError) as refused:
                activities.log_activity(tenant, "andi", andi, day, minutes, points, text)
            assert refused.value.where == field, (day, minutes, points, text)
        pending = activities.log_activity(tenant, "andi", andi, "2026-03-31", 60, 0, "Lembur")
        db.session.commit()
        with pytest.raises(ValidationError) as no_reason:
            activities.decide(tenant, "boss", users["boss"], [pending.id], approve=False, reason=" ")
        assert no_reason.value.where == "reason"
        run_month(tenant, "test", 2026, 3)
        close_month(tenant, "test", 2026, 3)
        db.session.commit()
        with pytest.raises(MonthClosed):
            activities.log_activity(tenant, "andi", andi, "2026-03-30", 60, 0, "Terlambat dicatat")
        with pytest.raises(MonthClosed):
            activities.decide(tenant, "boss", users["boss"], [pending.id], approve=True)
        db.session.rollback()
    assert len(audit_entries(tenant, "remuneration.activity.log")) == 1


def test_the_pages_in_english_log_approve_and_reject(app, office, login):
    tenant, users = office
    base = f"/t/{tenant.slug}/{MODULE}"
    andi = app.test_client()
    andi.set_cookie("pamong_locale", "en")                                          # the language switch's choice
    login(andi, users["andi"], tenant)
    nav = andi.get(f"/t/{tenant.slug}/").get_data(as_text=True).split("</nav>")[0]
    assert "My activities" in nav and "Activities to approve" not in nav
    for day, minutes, text in (("2026-03-02", "300", "Menyusun laporan"), ("2026-03-03", "240", "Rapat <b>RKA</b>")):
        sent = andi.post(f"{base}/activities", data={"day": day, "minutes": minutes, "description": text},
                         follow_redirects=True).get_data(as_text=True)
        assert "it counts once your supervisor approves it" in sent
    page = andi.get(f"{base}/activities?month=2026-03").get_data(as_text=True)
    assert "awaiting the supervisor" in page and "Rapat &lt;b&gt;RKA&lt;/b&gt;" in page and "<b>RKA" not in page
    bad = andi.post(f"{base}/activities", data={"day": "2026-03-02", "minutes": "0", "description": "x"},
                    follow_redirects=True).get_data(as_text=True)
    assert "Give the minutes or the points of the work." in bad
    assert andi.get(f"{base}/activities/review").get_data(as_text=True).count("Nobody in the personnel records") == 1

    boss = app.test_client()
    boss.set_cookie("pamong_locale", "en")
    login(boss, users["boss"], tenant)
    other = app.test_client()
    login(other, users["other"], tenant)
    assert "Menyusun laporan" not in other.get(f"{base}/activities/review").get_data(as_text=True)
    review = boss.get(f"{base}/activities/review").get_data(as_text=True)
    assert "Activities to approve" in review and "Andi Baso" in review and "Sitti" not in review
    ids = [int(x.split('"')[0]) for x in review.split('name="activity" value="')[1:]]
    assert len(ids) == 2
    ticks = [x.split(">")[0] for x in review.split('name="activity"')[1:]]
    assert not any("checked" in t for t in ticks)                    # nothing ticked by default (the trial)
    refused = other.post(f"{base}/activities/decide", data={"activity": ids}, follow_redirects=True)
    assert refused.status_code == 200
    rejected = boss.post(f"{base}/activities/decide", data={"reject": ids[1], "reason": "Bukan tugas pokok"},
                         follow_redirects=True).get_data(as_text=True)
    assert "The activity was rejected." in rejected
    approved = boss.post(f"{base}/activities/decide", data={"activity": [ids[0]]},
                         follow_redirects=True).get_data(as_text=True)
    assert "1 activity approved." in approved and "No activity here." in approved
    csv_text = boss.get(f"{base}/activities/review.csv?status=all").get_data(as_text=True)
    assert csv_text.splitlines()[0] == "employee,agency,day,minutes,points,description,status,reason,decided_at"
    assert "approved" in csv_text and "Bukan tugas pokok" in csv_text and "Sitti" not in csv_text
    mine = andi.get(f"{base}/activities?month=2026-03").get_data(as_text=True)
    assert "rejected: Bukan tugas pokok" in mine and "Approved: 1 activity, 300 minutes, 0 points" in mine
    assert boss.post(f"{base}/activities/decide", data={"activity": "x"}).status_code == 400


def test_a_refused_log_names_its_field_keeps_what_was_typed_and_stays_on_the_month(app, office, login):
    # trial finding 15: minutes "-30" said only "A whole number from 0 to 1440." and lost the typed
    # values; a future day jumped the page to that day's month
    tenant, users = office
    base = f"/t/{tenant.slug}/{MODULE}"
    andi = app.test_client()
    andi.set_cookie("pamong_locale", "en")
    login(andi, users["andi"], tenant)
    bad = andi.post(f"{base}/activities", data={"shown": "2026-03", "day": "2026-03-02", "minutes": "-30",
                                                "points": "4", "description": "Rapat RKA"})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 400
    assert 'id="minutes-err">Minutes: A whole number from 0 to 1440.' in html and 'href="#minutes"' in html
    assert 'value="-30"' in html and 'value="4"' in html and ">Rapat RKA</textarea>" in html
    assert 'value="2026-03-02"' in html
    future = andi.post(f"{base}/activities", data={"shown": "2026-03", "day": "2030-01-05", "minutes": "60",
                                                   "description": "Nanti"})
    html = future.get_data(as_text=True)
    assert future.status_code == 400 and 'id="day-err">Day: That day has not come yet.' in html
    assert 'type="month" value="2026-03"' in html and "2030-01" not in html.replace('value="2030-01-05"', "")
