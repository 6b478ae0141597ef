"""What the new-user trial found (brief cl, issue 17): the booking and encounter forms stopped at the
first problem. Every problem is now shown at once, summed up at the top with a link to its field,
and nothing is written; the SMS and the service answer the same way."""
import re

import pytest

from core.kit import ValidationError, db, tenant_scope

from ..models import Encounter, Patient, Visit
from ..problems import Problems
from ..registration import Request, book
from .fixtures import BPJS_A, DESK_A, MONDAY, NIK_A, NIK_B, SETTINGS, booked
from .test_pages import csrf, url

DOCTOR = "dokter@pkm-a.test"


@pytest.fixture
def tenant(app, create_tenant, frozen_clock):
    with app.app_context():
        return create_tenant(modules={"clinic": SETTINGS}, locales=["id", "en"])


def summary(page: str) -> str:
    found = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    assert found, "no error summary at the top"
    return found.group(0)


def nothing_written(app, tenant):
    with app.app_context(), tenant_scope(tenant):
        assert db.session.query(Visit).count() == 0 and db.session.query(Patient).count() == 0


def test_the_service_refuses_everything_wrong_at_once(app, tenant):
    with app.app_context(), tenant_scope(tenant):
        with pytest.raises(Problems) as refused:
            book(tenant, None, Request(clinic="PKM-A", poli="UMUM", day=MONDAY.replace(day=1), nik="12",
                                       bpjs="99", phone="12", channel="portal"))
        db.session.rollback()
    codes = [(p.where, p.code) for p in refused.value.problems]
    assert codes == [("day", "day_past"), ("phone", "invalid_phone"), ("nik", "length"), ("bpjs", "length")]
    assert (refused.value.where, refused.value.code) == ("day", "day_past")  # one-error callers: the first
    nothing_written(app, tenant)


def test_a_card_of_another_patient_and_a_full_day_together(app, tenant):
    with app.app_context():
        booked(tenant, nik=NIK_A, bpjs=BPJS_A)  # the card is A's
        for nik in ("7371014101900002", "7371014101900003"):  # the session's non-JKN quota is 2
            booked(tenant, nik=nik, jkn=False)
    with app.app_context(), tenant_scope(tenant):
        with pytest.raises(ValidationError) as refused:
            book(tenant, None, Request(clinic="PKM-A", poli="UMUM", day=MONDAY, nik=NIK_B, bpjs=BPJS_A, jkn=False))
        db.session.rollback()
        assert db.session.query(Patient).count() == 3
    assert [p.code for p in refused.value.problems] == ["bpjs_taken", "quota_full"]


def test_the_portal_shows_every_problem_at_the_top_and_saves_nothing(app, client, tenant):
    form = client.get(url(tenant, "register")).get_data(as_text=True)
    # the form's own error (no name) and the service's (a past day, a short NIK, not a phone) together
    response = client.post(url(tenant, "register"), data={
        "csrf_token": csrf(form), "place": "PKM-A/UMUM", "day": "2026-03-01", "nik": "737101", "name": "",
        "phone": "12"})
    assert response.status_code == 400
    top = summary(response.get_data(as_text=True))
    for field, words in (("name", "Isi nama pasien"), ("day", "Tanggal itu sudah lewat"),
                         ("nik", "NIK harus"), ("phone", "Bukan nomor ponsel")):
        assert re.search(rf'<a href="#{field}">[^<]*{words}', top), (field, top)
    nothing_written(app, tenant)


def test_the_portal_sums_up_service_problems_when_the_form_itself_is_right(app, client, tenant):
    form = client.get(url(tenant, "register")).get_data(as_text=True)
    response = client.post(url(tenant, "register"), data={
        "csrf_token": csrf(form), "place": "PKM-A/UMUM", "day": "2026-03-04", "nik": NIK_A, "bpjs": "123",
        "name": "Andi", "phone": "0812"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    top = summary(page)
    assert 'href="#day"' in top and "Poli tutup pada hari itu" in top
    assert 'href="#bpjs"' in top and 'href="#phone"' in top
    assert page.count("Poli tutup pada hari itu") == 2  # at the top and beside its field
    nothing_written(app, tenant)


def test_the_desk_form_shows_every_problem_at_once(app, client, tenant, create_user, login):
    with app.app_context():
        login(client, create_user(tenant, role="officer", agency="DLH", email=DESK_A), tenant)
    desk = url(tenant, "desk/PKM-A/UMUM")
    token = csrf(client.get(desk).get_data(as_text=True))
    response = client.post(desk, data={"csrf_token": token, "place": "PKM-A/UMUM", "day": "2026-03-01",
                                       "nik": "", "name": "", "phone": "abc"})
    assert response.status_code == 400
    top = summary(response.get_data(as_text=True))
    for field in ("name", "day", "nik", "phone"):
        assert f'href="#{field}"' in top, field
    assert "Isi NIK atau nomor kartu BPJS" in top
    nothing_written(app, tenant)


def test_the_encounter_form_shows_every_problem_at_once(app, client, tenant, create_user, login):
    with app.app_context():
        visit, _ = booked(tenant, name="Siti")
        login(client, create_user(tenant, role="officer", agency="DLH", email=DOCTOR), tenant)
    page = url(tenant, f"visit/{visit.id}/encounter")
    token = csrf(client.get(page).get_data(as_text=True))
    # WTForms' own (no complaint, a pulse that is no number) and the service's (ICD-10, temperature)
    response = client.post(page, data={"csrf_token": token, "complaint": "", "heart_rate": "delapan",
                                       "icd10": "J6", "temperature": "52", "weight": "abc"})
    assert response.status_code == 400
    top = summary(response.get_data(as_text=True))
    for field in ("complaint", "heart_rate", "icd10", "temperature", "weight"):
        assert f'href="#{field}"' in top, field
    assert "Bukan kode ICD-10" in top and "Harus antara 30 dan 45." in top
    assert top.count("Isi keluhan pasien") == 1  # the same message once, not again from the service
    with app.app_context(), tenant_scope(tenant):
        assert db.session.query(Encounter).count() == 0


def test_an_amendment_without_reason_and_a_bad_code_are_said_together(app, client, tenant, create_user, login):
    with app.app_context():
        visit, _ = booked(tenant, name="Siti")
        login(client, create_user(tenant, role="officer", agency="DLH", email=DOCTOR), tenant)
    page = url(tenant, f"visit/{visit.id}/encounter")
    data = {"csrf_token": csrf(client.get(page).get_data(as_text=True)), "complaint": "Demam", "icd10": "J06.9"}
    assert client.post(page, data=data).status_code == 302
    response = client.post(page, data={**data, "icd10": "X", "systolic": "400"})
    top = summary(response.get_data(as_text=True))
    assert 'href="#icd10"' in top and 'href="#reason"' in top and 'href="#systolic"' in top
    with app.app_context(), tenant_scope(tenant):
        assert db.session.query(Encounter).one().icd10 == "J06.9"


def test_an_sms_with_several_problems_names_them_all(app, client, tenant, frozen_clock, outbox, monkeypatch):
    from .test_sms import replies, send

    monkeypatch.setenv("PAMONG_SMS_SECRET_" + re.sub(r"[^A-Z0-9]", "_", tenant.slug.upper()), "sms-secret")
    send(client, tenant, frozen_clock, "DAFTAR PKM-A UMUM 01-03-2026 12345")
    [reply] = replies(app, tenant, outbox)
    assert reply.startswith("Pendaftaran gagal: Tanggal itu sudah lewat. NIK atau nomor BPJS tidak sah: NIK harus")
    nothing_written(app, tenant)
