"""The pages over HTTP: portal registration, the patient's status page, the board, the desk's
buttons, the practitioner's encounter form with its audited history, and the figures."""
import re

import pytest

from core.kit import db, tenant_scope

from ..models import Encounter, Visit
from .fixtures import DESK_A, NIK_A, NIK_B, SETTINGS, booked


@pytest.fixture
def tenant(app, create_tenant, frozen_clock):
    with app.app_context():
        return create_tenant(modules={"clinic": SETTINGS}, locales=["id", "en"])


def url(tenant, path=""):
    return f"/t/{tenant.slug}/clinic/{path}"


def csrf(page: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    return found.group(1) if found else ""  # the tests run with CSRF off: a form may carry no token


def register(client, tenant, **fields):
    page = client.get(url(tenant, "register")).get_data(as_text=True)
    data = {"csrf_token": csrf(page), "place": "PKM-A/UMUM", "day": "2026-03-02", "nik": NIK_A, "name": "Andi", **fields}
    return client.post(url(tenant, "register"), data=data)


def test_the_portal_books_and_shows_the_patients_status(client, tenant):
    response = register(client, tenant, name="Andi")
    assert response.status_code == 302 and "/clinic/status?code=" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "A-001" in page and "Terdaftar" in page and "09.00" in page and "Pasien sebelum Anda" in page
    assert 'http-equiv="refresh"' in page


def test_the_portal_shows_the_sms_format_with_its_words(client, tenant):
    page = client.get(f"/t/{tenant.slug}/clinic/").get_data(as_text=True)
    assert "DAFTAR &lt;puskesmas&gt; &lt;poli&gt; &lt;tanggal DD-MM-YYYY&gt; &lt;NIK atau nomor BPJS&gt;" in page  # not unknown tags


@pytest.mark.parametrize("fields, message", [
    ({"nik": "12"}, "NIK"),
    ({"nik": ""}, "Isi NIK atau nomor kartu BPJS."),
    ({"day": "2026-03-04"}, "Poli tutup pada hari itu."),
    ({"day": "2026-03-01"}, "Tanggal itu sudah lewat."),
    ({"place": "PKM-A/MATA"}, "Bukan pilihan yang sah."),  # WTForms' own message, in the page's language
])
def test_bad_registrations_come_back_with_their_message(client, tenant, fields, message):
    response = register(client, tenant, **fields)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_an_unknown_code_is_a_404_with_the_form(client, tenant):
    response = client.get(url(tenant, "status?code=NOPE"))
    assert response.status_code == 404 and "Tidak ada pendaftaran dengan kode itu." in response.get_data(as_text=True)


def test_the_board_refreshes_itself_and_shows_calls(app, client, tenant, create_user, login):
    with app.app_context():
        booked(tenant)
        booked(tenant, nik=NIK_B)
        login(client, create_user(tenant, role="officer", agency="DLH", email=DESK_A), tenant)
    desk = client.get(url(tenant, "desk/PKM-A/UMUM")).get_data(as_text=True)
    assert client.post(url(tenant, "desk/PKM-A/UMUM/next"), data={"csrf_token": csrf(desk)}).status_code == 302
    board = client.get(url(tenant, "board/PKM-A")).get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="15">' in board
    assert '<span class="number">A-001</span>' in board and "A-002" in board
    assert client.get(url(tenant, "board/NOPE")).status_code == 404


def test_the_desk_calls_by_button_and_refuses_a_second_call(app, client, tenant, create_user, login, audit_entries):
    with app.app_context():
        first, _ = booked(tenant)
        login(client, create_user(tenant, role="officer", agency="DLH", email=DESK_A), tenant)
    token = csrf(client.get(url(tenant, "desk/PKM-A/UMUM")).get_data(as_text=True))
    client.post(url(tenant, f"desk/visit/{first.id}/call"), data={"csrf_token": token})
    again = client.post(url(tenant, f"desk/visit/{first.id}/call"), data={"csrf_token": token}, follow_redirects=True)
    assert "Nomor A-001 sudah dipanggil." in again.get_data(as_text=True)
    with app.app_context():
        assert [e["action"] for e in audit_entries(tenant, "clinic.queue.call")] == ["clinic.queue.call"]


def test_the_desk_needs_its_permission(app, client, tenant, create_user, login):
    assert client.get(url(tenant, "desk/")).status_code == 302  # to the login page
    with app.app_context():
        login(client, create_user(tenant, role="citizen"), tenant)
    assert client.get(url(tenant, "desk/PKM-A/UMUM")).status_code == 403


def test_only_the_clinics_practitioners_record_and_read_history(app, client, tenant, create_user, login,
                                                               audit_entries):
    with app.app_context():
        first, _ = booked(tenant)
        doctor = create_user(tenant, role="officer", agency="DLH", email="dokter@pkm-a.test")
        other = create_user(tenant, role="officer", agency="DLH", email="dokter@pkm-b.test")
    login(client, other, tenant)
    assert client.get(url(tenant, f"visit/{first.id}/encounter")).status_code == 403
    client.get(f"/t/{tenant.slug}/logout")
    login(client, doctor, tenant)
    form = client.get(url(tenant, f"visit/{first.id}/encounter")).get_data(as_text=True)
    bad = client.post(url(tenant, f"visit/{first.id}/encounter"),
                      data={"csrf_token": csrf(form), "complaint": "Demam", "icd10": "ZZZ"})
    assert bad.status_code == 400 and "Bukan kode ICD-10" in bad.get_data(as_text=True)
    good = client.post(url(tenant, f"visit/{first.id}/encounter"), follow_redirects=True, data={
        "csrf_token": csrf(form), "complaint": "Demam tiga hari", "icd10": "j06.9", "systolic": "120",
        "temperature": "38,5", "prescription": "Paracetamol"})
    page = good.get_data(as_text=True)
    assert "Demam tiga hari" in page and "J06.9" in page and "Paracetamol" in page
    with app.app_context(), tenant_scope(tenant):
        raw = db.session.execute(db.text("SELECT complaint, icd10 FROM clinic_encounters WHERE tenant_id = :t"),
                                 {"t": tenant.id}).one()
        assert "Demam" not in raw.complaint and "J06" not in raw.icd10
        assert db.session.query(Encounter).one().vitals == '{"systolic": 120.0, "temperature": 38.5}'
    with app.app_context():
        assert audit_entries(tenant, "clinic.record.read") and audit_entries(tenant, "clinic.encounter.record")


def test_the_figures_page_has_its_chart(app, client, tenant):
    with app.app_context():
        booked(tenant)
    page = client.get(url(tenant, "figures")).get_data(as_text=True)
    assert "<svg" in page and "Puskesmas Satu · Poli Umum" in page


def test_pages_speak_the_tenants_language(app, client, create_tenant, frozen_clock):
    with app.app_context():
        english = create_tenant(modules={"clinic": SETTINGS}, locales=["en"])
    page = client.get(url(english)).get_data(as_text=True)
    assert "Register for a visit" in page and "Check my number" in page
    assert "Daftar berobat" not in page


def test_the_practitioners_worklist_links_the_called_patients(app, client, tenant, create_user, login):
    with app.app_context():
        first, _ = booked(tenant)
        booked(tenant, nik=NIK_B)
        doctor = create_user(tenant, role="officer", agency="DLH", email="dokter@pkm-a.test")
        with tenant_scope(tenant):
            from .. import queue

            queue.call_next(tenant, None, "PKM-A", "UMUM")
            db.session.commit()
    login(client, doctor, tenant)
    page = client.get(url(tenant, "practice/")).get_data(as_text=True)
    assert f'href="{url(tenant, f"visit/{first.id}/encounter")}">A-001</a>' in page and "A-002" not in page


def test_the_desk_links_the_encounter_only_for_the_clinics_practitioners(app, client, tenant, create_user, login):
    with app.app_context():
        first, _ = booked(tenant)
        doctor = create_user(tenant, role="officer", agency="DLH", email="dokter@pkm-a.test")
        other = create_user(tenant, role="officer", agency="DLH", email=DESK_A)  # works the desk, no practitioner
        with tenant_scope(tenant):
            from .. import queue

            queue.call_next(tenant, None, "PKM-A", "UMUM")
            db.session.commit()
    link = f'href="{url(tenant, f"visit/{first.id}/encounter")}"'
    login(client, other, tenant)
    page = client.get(url(tenant, "desk/PKM-A/UMUM")).get_data(as_text=True)
    assert "A-001" in page and link not in page
    assert client.get(url(tenant, f"visit/{first.id}/encounter")).status_code == 403
    client.get(f"/t/{tenant.slug}/logout")
    login(client, doctor, tenant)
    page = client.get(url(tenant, "desk/PKM-A/UMUM")).get_data(as_text=True)
    assert link in page
    assert client.get(url(tenant, f"visit/{first.id}/encounter")).status_code == 200


def test_dates_follow_the_locale(app, client, create_tenant, frozen_clock):
    from flask_babel import force_locale, format_date

    with app.app_context():
        english = create_tenant(modules={"clinic": SETTINGS}, locales=["en"])
        first, _ = booked(english)
    page = client.get(url(english, f"status?code={first.booking_code}")).get_data(as_text=True)
    with app.test_request_context(), force_locale("en"):
        shown = format_date(first.day, "medium")
    assert shown in page and first.day.strftime("%d-%m-%Y") not in page


def test_the_queue_number_setting_is_translated(app):
    from flask_babel import force_locale

    from ..settings import SCHEMA

    with app.test_request_context(), force_locale("id"):
        assert str(SCHEMA["properties"]["number_pattern"]["description"]) == "Nomor antrean"
