"""One day has 1,440 minutes (trial t16): the page, the file import and the approval share one
rule (``activities.over_the_day``); a log sent twice is stored once; an id beyond the database's
INTEGER is refused, never a 500."""
from __future__ import annotations

from datetime import date

import pytest

from core.kit import Actor, ValidationError, db, tenant_scope, utcnow

from .. import activities
from ..inputs import import_activities
from ..models import Activity
from ..services import employee_of
from .helpers import MODULE, NIPS
from .test_activities import office  # noqa: F401  (the fixture)


def _pending(employee_id: int, minutes: int, day, text: str) -> Activity:
    """A log stored as before the rule (the trial's data): pending, whatever the day's total."""
    activity = Activity(employee_id=employee_id, day=day, minutes=minutes, points=0, description=text,
                        approved=False, logged_at=utcnow())
    db.session.add(activity)
    db.session.flush()
    return activity


def test_the_page_refuses_a_day_over_1440_minutes(app, office, login):  # noqa: F811
    tenant, users = office
    base = f"/t/{tenant.slug}/{MODULE}"
    andi = app.test_client()
    andi.set_cookie("pamong_locale", "en")
    login(andi, users["andi"], tenant)
    for minutes, text in (("1300", "Menyusun laporan"), ("10", "Rapat"), ("10", "Apel")):
        sent = andi.post(f"{base}/activities", data={"day": "2026-03-02", "minutes": minutes, "description": text})
        assert sent.status_code == 302, sent.get_data(as_text=True)[:300]
    over = andi.post(f"{base}/activities", data={"shown": "2026-03", "day": "2026-03-02", "minutes": "1000",
                                                 "description": "Survei"})
    html = over.get_data(as_text=True)
    assert over.status_code == 400
    said = "The activities of 2026-03-02 would total 2320 minutes: at most 1440 a day."
    assert f'id="minutes-err">Minutes: {said}' in html
    fits = andi.post(f"{base}/activities", data={"day": "2026-03-02", "minutes": "120", "description": "Survei"})
    assert fits.status_code == 302                                    # 1440 exactly is a day
    with app.app_context(), tenant_scope(tenant):
        andi_id = employee_of(tenant, users["andi"]).id
        assert activities.totals(tenant, andi_id, date(2026, 3, 2), date(2026, 3, 2))["pending"]["minutes"] == 1440


def test_approval_keeps_a_day_within_1440_minutes(app, office, audit_entries):  # noqa: F811
    tenant, users = office
    boss = Actor.system("boss")
    with app.app_context(), tenant_scope(tenant):
        andi = employee_of(tenant, users["andi"])
        day = date(2026, 3, 2)
        stored = [_pending(andi.id, m, day, t) for m, t in ((240, "a"), (1300, "b"), (10, "c"), (10, "d"), (1000, "e"))]
        db.session.commit()
        activities.decide(tenant, boss, users["boss"], [stored[0].id], approve=True)
        db.session.commit()
        with pytest.raises(ValidationError) as refused:      # 240 approved + 1300 + 10 + 10 + 1000
            activities.decide(tenant, boss, users["boss"], [a.id for a in stored[1:]], approve=True)
        assert refused.value.code == "day_over" and "at most 1440 a day" in refused.value.message
        db.session.rollback()
        assert {a.status for a in stored[1:]} == {"pending"}  # all or none
        with pytest.raises(ValidationError):                 # 240 approved + 1300 alone is over too
            activities.decide(tenant, boss, users["boss"], [stored[1].id], approve=True)
        db.session.rollback()
        activities.decide(tenant, boss, users["boss"], [stored[2].id, stored[3].id], approve=True)
        activities.decide(tenant, boss, users["boss"], [stored[4].id], approve=True)  # 260 + 1000: fits
        db.session.commit()
        assert activities.totals(tenant, andi.id, day, day)["approved"]["minutes"] == 1260
        assert len(audit_entries(tenant, "remuneration.activity.approve")) == 4


def test_the_file_counts_the_pages_pending_logs(app, office):  # noqa: F811
    tenant, users = office
    with app.app_context(), tenant_scope(tenant):
        andi = employee_of(tenant, users["andi"])
        activities.log_activity(tenant, "andi", andi, "2026-03-02", 1000, 0, "Menyusun laporan")
        db.session.commit()
        with pytest.raises(ValidationError) as refused:
            import_activities(tenant, "test", f"nip,day,minutes\n{NIPS[0]},2026-03-02,441\n".encode())
        assert refused.value.where == "line 2: minutes" and "1441 minutes" in refused.value.message
        db.session.rollback()
        import_activities(tenant, "test", f"nip,day,minutes\n{NIPS[0]},2026-03-02,440\n".encode())
        db.session.commit()
        with pytest.raises(ValidationError) as refused:      # the page refuses what the file made full
            activities.log_activity(tenant, "andi", andi, "2026-03-02", 1, 0, "Rapat")
        assert refused.value.code == "day_over" and refused.value.where == "minutes"


def test_a_log_sent_twice_is_stored_once(app, office, login):  # noqa: F811
    tenant, users = office
    base = f"/t/{tenant.slug}/{MODULE}"
    andi = app.test_client()
    andi.set_cookie("pamong_locale", "en")
    login(andi, users["andi"], tenant)
    form = {"shown": "2026-03", "day": "2026-03-02", "minutes": "60", "points": "2", "description": "Rapat RKA"}
    assert andi.post(f"{base}/activities", data=form).status_code == 302
    again = andi.post(f"{base}/activities", data=form)
    assert again.status_code == 400
    assert "This activity is logged already for 2026-03-02." in again.get_data(as_text=True)
    other = andi.post(f"{base}/activities", data={**form, "description": "Rapat RKA lanjutan"})
    assert other.status_code == 302                                   # another activity of the same day
    with app.app_context(), tenant_scope(tenant):
        andi_id = employee_of(tenant, users["andi"]).id
        rows = db.session.execute(db.select(Activity).where(Activity.employee_id == andi_id)).scalars().all()
        assert sorted(a.description for a in rows) == ["Rapat RKA", "Rapat RKA lanjutan"]
        activities.decide(tenant, Actor.system("boss"), users["boss"], [rows[0].id], approve=False, reason="Ulang")
        db.session.commit()
    assert andi.post(f"{base}/activities", data=form).status_code == 302   # a rejected one may be logged again


@pytest.mark.parametrize("field", ["activity", "reject"])
def test_an_id_beyond_the_database_is_refused(app, office, login, field):  # noqa: F811
    tenant, users = office
    boss = app.test_client()
    login(boss, users["boss"], tenant)
    for value in ("99999999999999999999999", "2147483648", "-1", "0"):
        sent = boss.post(f"/t/{tenant.slug}/{MODULE}/activities/decide", data={field: value, "reason": "x"})
        assert sent.status_code == 400, (value, sent.status_code)
