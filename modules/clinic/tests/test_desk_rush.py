"""The desk in a morning rush (brief cl, issue 17 review): a double tap of *call next* on a slow
tablet called two patients at once. The button carries the calls the page showed; a press on a
queue that changed since calls nobody and says so."""
import re
from datetime import timedelta

import pytest

from core.kit import db, tenant_scope

from ..models import Visit
from .fixtures import DESK_A, MONDAY, NIK_B, NIK_C, SETTINGS, booked
from .test_pages import csrf, url


@pytest.fixture
def tenant(app, create_tenant, frozen_clock):
    with app.app_context():
        return create_tenant(modules={"clinic": SETTINGS}, locales=["id", "en"])


def test_a_double_tap_on_call_next_calls_one_patient(app, client, tenant, create_user, login, audit_entries):
    with app.app_context():
        for nik in ("7371014101900001", NIK_B, NIK_C):
            booked(tenant, nik=nik, jkn=True)
        login(client, create_user(tenant, role="officer", agency="DLH", email=DESK_A), tenant)
    page = client.get(url(tenant, "desk/PKM-A/UMUM")).get_data(as_text=True)
    seen = re.search(r'name="seen" value="(\d+)"', page).group(1)
    assert seen == "0"
    press = {"csrf_token": csrf(page), "seen": seen}
    client.post(url(tenant, "desk/PKM-A/UMUM/next"), data=press)
    second = client.post(url(tenant, "desk/PKM-A/UMUM/next"), data=press, follow_redirects=True)
    text = second.get_data(as_text=True)
    assert "jadi tidak ada yang dipanggil sekarang" in text
    with app.app_context(), tenant_scope(tenant):
        called = [v.number for v in db.session.query(Visit).filter(Visit.status == "called")]
    assert called == ["A-001"]
    with app.app_context():
        assert len(audit_entries(tenant, "clinic.queue.call")) == 1
    fresh = re.search(r'name="seen" value="(\d+)"', text).group(1)  # the page shown again: a press calls
    client.post(url(tenant, "desk/PKM-A/UMUM/next"), data={**press, "seen": fresh})
    with app.app_context(), tenant_scope(tenant):
        assert sorted(v.number for v in db.session.query(Visit).filter(Visit.status == "called")) == ["A-001", "A-002"]


def test_the_same_portal_form_sent_twice_without_a_phone_finds_its_booking(app, client, tenant):
    """On a slow phone the first answer (the booking code) was lost and the second said "this NIK
    already has a booking: ask at the desk"; the form's one-time value now finds it."""
    form = client.get(url(tenant, "register")).get_data(as_text=True)
    attempt = re.search(r'name="attempt"[^>]*value="([^"]+)"', form).group(1)
    data = {"csrf_token": csrf(form), "attempt": attempt, "place": "PKM-A/UMUM", "day": "2026-03-02",
            "nik": NIK_B, "name": "Andi"}
    first, second = client.post(url(tenant, "register"), data=data), client.post(url(tenant, "register"), data=data)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    other = client.get(url(tenant, "register")).get_data(as_text=True)  # another form: the code stays hidden
    third = client.post(url(tenant, "register"), data={**data, "attempt": re.search(
        r'name="attempt"[^>]*value="([^"]+)"', other).group(1)})
    assert third.status_code == 400 and "sudah punya pendaftaran" in third.get_data(as_text=True)
    with app.app_context(), tenant_scope(tenant):
        assert db.session.query(Visit).count() == 1


def test_the_desk_finds_a_booking_by_nik_and_checks_the_patient_in(app, client, tenant, create_user, login,
                                                                   audit_entries):
    """A patient who booked by SMS stands at the desk without their number: the desk types the NIK."""
    with app.app_context():
        visit, _ = booked(tenant, nik=NIK_B, channel="sms", phone="081234567891")
        later, _ = booked(tenant, nik=NIK_C, day=MONDAY + timedelta(days=1))
        login(client, create_user(tenant, role="officer", agency="DLH", email=DESK_A), tenant)
    desk = url(tenant, "desk/PKM-A/UMUM")
    token = csrf(client.get(desk).get_data(as_text=True))
    form = {"csrf_token": token, "place": "PKM-A/UMUM", "day": "2026-03-02", "nik": NIK_B, "name": "Siti"}
    page = client.post(desk, data=form, follow_redirects=True).get_data(as_text=True)
    assert (f"Sudah terdaftar: nomor A-001, kode booking {visit.booking_code}, perkiraan 09.00 WITA (2 Mar 2026). "
            "Kedatangan dicatat sekarang.") in page
    again = client.post(desk, data=form, follow_redirects=True).get_data(as_text=True)
    assert "Kedatangan dicatat" not in again and "; Menunggu." in again  # already in: said, not done twice
    tomorrow = client.post(desk, data={**form, "nik": NIK_C, "day": "2026-03-03"}, follow_redirects=True)
    assert "; Terdaftar." in tomorrow.get_data(as_text=True)  # another day: not checked in
    with app.app_context(), tenant_scope(tenant):
        statuses = {v.id: v.status for v in db.session.query(Visit)}
        assert statuses == {visit.id: "waiting", later.id: "booked"}
    with app.app_context():
        assert len(audit_entries(tenant, "clinic.queue.waiting")) == 1


def test_bookings_never_called_on_a_past_day_are_no_shows(app, tenant, frozen_clock):
    """The figures said 0 % no-show while half of the SMS bookings never came: only visits marked
    absent by hand counted."""
    from .. import figures, queue

    with app.app_context():
        came, _ = booked(tenant, nik=NIK_B, jkn=True)
        booked(tenant, nik=NIK_C, jkn=True)  # never comes, never marked
        with tenant_scope(tenant):
            queue.call_next(tenant, None, "PKM-A", "UMUM")
            queue.serve(tenant, None, came.id)
            queue.finish(tenant, None, came.id)
            db.session.commit()
        [today] = figures.table(tenant, MONDAY, MONDAY)
        assert (today["no_show"], today["no_show_share"]) == (0, 0.0)  # the day is not over
        frozen_clock.advance(days=1)
        [monday] = figures.table(tenant, MONDAY, MONDAY)
    assert (monday["visits"], monday["done"], monday["absent"], monday["no_show"]) == (2, 1, 0, 1)
    assert monday["no_show_share"] == 0.5


def test_the_practitioner_saves_and_finishes_the_visit_in_one_press(app, client, tenant, create_user, login,
                                                                    audit_entries):
    """Nobody at the desk knows when the doctor is done: visits stayed "called", no service time was
    observed for the estimates and nothing went to SATUSEHAT (it takes finished visits)."""
    from .. import queue
    from ..models import Encounter
    from ..models import SatusehatMessage as Outbox

    with app.app_context():
        visit, _ = booked(tenant, nik=NIK_B, jkn=True)
        waiting, _ = booked(tenant, nik=NIK_C, jkn=True)
        with tenant_scope(tenant):
            queue.call_next(tenant, None, "PKM-A", "UMUM")
            db.session.commit()
        login(client, create_user(tenant, role="officer", agency="DLH", email="dokter@pkm-a.test"), tenant)
    page = url(tenant, f"visit/{visit.id}/encounter")
    form = client.get(page).get_data(as_text=True)
    assert 'name="finish" value="1"' in form
    data = {"csrf_token": csrf(form), "complaint": "Demam", "icd10": "J06.9", "finish": "1"}
    bad = client.post(page, data={**data, "icd10": "X"})
    assert bad.status_code == 400
    done = client.post(page, data=data, follow_redirects=True).get_data(as_text=True)
    assert "A-001 selesai" in done and "Pasien saya hari ini" in done
    with app.app_context(), tenant_scope(tenant):
        row = db.session.get(Visit, visit.id)
        assert (row.status, row.served_at is not None, row.finished_at is not None) == ("done", True, True)
        assert db.session.query(Encounter).count() == 1 and db.session.query(Outbox).count() == 1
    with app.app_context():
        assert [e["action"] for e in audit_entries(tenant) if e["action"].startswith("clinic.queue.")][-2:] == [
            "clinic.queue.serving", "clinic.queue.done"]
    other = client.get(url(tenant, f"visit/{waiting.id}/encounter")).get_data(as_text=True)
    assert 'name="finish"' not in other  # not called: nothing to finish


def test_a_walk_in_registered_at_the_desk_today_is_checked_in(app, client, tenant, create_user, login):
    """The desk's list tells who is here (waiting) from who booked from afar (booked)."""
    with app.app_context():
        login(client, create_user(tenant, role="officer", agency="DLH", email=DESK_A), tenant)
    desk = url(tenant, "desk/PKM-A/UMUM")
    form = {"csrf_token": csrf(client.get(desk).get_data(as_text=True)), "place": "PKM-A/UMUM",
            "day": "2026-03-02", "nik": NIK_B, "name": "Siti"}
    today = client.post(desk, data=form, follow_redirects=True).get_data(as_text=True)
    assert "Terdaftar: nomor A-001" in today and "Kedatangan dicatat sekarang." in today
    later = client.post(desk, data={**form, "nik": NIK_C, "day": "2026-03-03"}, follow_redirects=True)
    assert "Kedatangan dicatat" not in later.get_data(as_text=True)
    with app.app_context(), tenant_scope(tenant):
        assert sorted((v.day.day, v.status, v.arrived_at is not None) for v in db.session.query(Visit)) == [
            (2, "waiting", True), (3, "booked", False)]


def test_a_walk_in_on_a_full_day_is_registered_and_the_desk_is_told(app, client, tenant, create_user, login):
    with app.app_context():
        for nik in ("7371014101900002", "7371014101900003"):  # the session's non-JKN quota is 2
            booked(tenant, nik=nik, jkn=False)
        login(client, create_user(tenant, role="officer", agency="DLH", email=DESK_A), tenant)
    desk = url(tenant, "desk/PKM-A/UMUM")
    form = {"csrf_token": csrf(client.get(desk).get_data(as_text=True)), "place": "PKM-A/UMUM",
            "day": "2026-03-02", "nik": NIK_B, "name": "Siti"}
    page = client.post(desk, data=form, follow_redirects=True).get_data(as_text=True)
    assert "Terdaftar: nomor A-003" in page and "Kuota hari ini sudah penuh" in page
