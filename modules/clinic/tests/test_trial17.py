"""What a new-user trial found (issue 17, last session), each fixed and held here: amendments keep
the earlier encounter, one patient per BPJS card, nothing checked in or recorded before its day, the
desk's feedback, vital signs labelled, the practitioner's patient context, settings that would
orphan bookings, the portal's phone and name, BPJS token refusals in the tenant's language."""
import copy
import json
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy.exc import IntegrityError

from core.kit import PamongError, ValidationError, db, tenant_scope

from .. import encounters, queue
from ..encounters import Record
from ..models import Encounter, EncounterRevision, Patient, Visit
from .fixtures import BPJS_A, DESK_A, MONDAY, NIK_A, NIK_B, SETTINGS, booked
from .test_pages import csrf, register, url

DOCTOR = "dokter@pkm-a.test"


@pytest.fixture
def tenant(app, create_tenant, frozen_clock):
    with app.app_context():
        return create_tenant(modules={"clinic": SETTINGS}, locales=["id", "en"])


def _doctor(tenant, create_user):
    return create_user(tenant, role="officer", agency="DLH", email=DOCTOR)


# 1. an encounter saved again is an amendment: a reason, and the earlier values kept

def test_an_amendment_needs_a_reason_and_keeps_the_earlier_version(app, tenant, create_user, audit_entries):
    with app.app_context():
        visit, _ = booked(tenant)
        doctor = _doctor(tenant, create_user)
        with tenant_scope(tenant):
            doctor = SimpleNamespace(email=DOCTOR)
            encounters.record(tenant, None, doctor, visit.id, Record("Demam", "J06.9", vitals={"systolic": "120"}))
            db.session.commit()
            with pytest.raises(ValidationError) as caught:
                encounters.record(tenant, None, doctor, visit.id, Record("Demam dan batuk", "J20.9"))
            assert caught.value.code == "amendment_reason_required"
            db.session.rollback()
            assert db.session.query(Encounter).one().complaint == "Demam"
            encounters.record(tenant, None, doctor, visit.id,
                              Record("Demam dan batuk", "J20.9", reason="Salah ketik diagnosis"))
            db.session.commit()
            row = db.session.query(Encounter).one()
            [earlier] = db.session.query(EncounterRevision).all()
            assert (row.complaint, row.icd10) == ("Demam dan batuk", "J20.9")
            assert (earlier.revision, earlier.complaint, earlier.icd10, earlier.reason) == \
                (1, "Demam", "J06.9", "Salah ketik diagnosis")
            assert json.loads(earlier.vitals) == {"systolic": 120.0} and earlier.amended_by == "DR-A"
            raw = db.session.execute(db.text("SELECT complaint FROM clinic_encounter_revisions")).scalar()
            assert "Demam" not in raw  # encrypted at rest like the encounter
            # the same values again change nothing: no revision, no reason asked
            encounters.record(tenant, None, doctor, visit.id, Record("Demam dan batuk", "J20.9"))
            assert db.session.query(EncounterRevision).count() == 1
        [entry] = audit_entries(tenant, "clinic.encounter.amend")
    summary = json.dumps(entry)
    assert '"revision": 1' in summary and "complaint" in summary and "Demam" not in summary  # names, not contents


def test_the_encounter_page_shows_the_record_and_asks_for_the_reason(app, client, tenant, create_user, login):
    with app.app_context():
        visit, _ = booked(tenant, name="Siti")
        login(client, _doctor(tenant, create_user), tenant)
    page = url(tenant, f"visit/{visit.id}/encounter")
    form = client.get(page).get_data(as_text=True)
    assert "Siti" in form and "PKM-A-000001" in form and "36 tahun" in form  # NIK_A: born 01-01-1990
    client.post(page, data={"csrf_token": csrf(form), "complaint": "Demam", "icd10": "J06.9", "systolic": "120",
                            "temperature": "38,5"})
    again = client.get(page).get_data(as_text=True)
    assert "Demam</textarea>" in again and "Alasan perubahan" in again  # filled in, the reason asked
    assert "Tekanan darah sistolik: 120 mmHg" in again and "Suhu tubuh: 38,5 °C" in again  # 8: labelled
    assert "systolic:" not in again
    refused = client.post(page, data={"csrf_token": csrf(again), "complaint": "Batuk", "icd10": "J20.9"})
    assert refused.status_code == 400 and "isi alasan perubahannya" in refused.get_data(as_text=True)
    done = client.post(page, follow_redirects=True, data={"csrf_token": csrf(again), "complaint": "Batuk",
                                                          "icd10": "J20.9", "reason": "Keluhan tertukar"})
    shown = done.get_data(as_text=True)
    assert "versi sebelumnya tetap disimpan" in shown and "diubah 1×" in shown


# 2. one BPJS card number, one patient in a tenant

def test_a_bpjs_card_of_another_patient_is_refused(app, tenant):
    with app.app_context():
        booked(tenant, nik=NIK_A, bpjs=BPJS_A)
        booked(tenant, nik=NIK_B, poli="GIGI")  # NIK_B without a card
        for fields in ({"nik": NIK_B, "bpjs": BPJS_A}, {"nik": "7371012212700002", "bpjs": BPJS_A}):
            with pytest.raises(ValidationError) as caught:
                booked(tenant, **fields)
            assert (caught.value.code, caught.value.where) == ("bpjs_taken", "bpjs")
            db.session.rollback()
        with tenant_scope(tenant):
            assert db.session.query(Patient).count() == 2


def test_the_database_holds_one_patient_per_card(app, tenant):
    with app.app_context(), tenant_scope(tenant):
        db.session.add_all([Patient(nik=NIK_A), Patient(nik=NIK_B)])  # no card twice: allowed
        db.session.flush()
        db.session.add(Patient(nik="7371012212700002", bpjs=BPJS_A))
        db.session.flush()
        db.session.add(Patient(bpjs=BPJS_A))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_the_portal_and_the_bpjs_service_name_the_refusal(app, client, tenant, create_token):
    with app.app_context():
        booked(tenant, nik=NIK_A, bpjs=BPJS_A)
    page = register(client, tenant, nik=NIK_B, bpjs=BPJS_A)
    assert page.status_code == 400 and "Nomor kartu BPJS ini sudah terdaftar atas pasien lain." in page.get_data(as_text=True)
    answer = client.post(f"/t/{tenant.slug}/api/v1/clinic/bpjs/PKM-A/antrean", headers={
        "x-token": create_token(tenant, "clinic:bpjs")}, json={"nomorkartu": BPJS_A, "nik": NIK_B, "kodepoli": "001",
                                                               "tanggalperiksa": "2026-03-03"})
    assert answer.status_code == 400
    assert answer.get_json()["metadata"] == {"code": 400, "message": "nomorkartu: Nomor kartu BPJS ini sudah terdaftar atas pasien lain."}


# 3. nothing before its day (the tenant's local date, the core clock)

def test_no_check_in_nor_encounter_before_the_day(app, client, tenant, create_user, create_token, login):
    tomorrow = MONDAY + timedelta(days=1)
    with app.app_context():
        visit, _ = booked(tenant, day=tomorrow)
        doctor = _doctor(tenant, create_user)
        doctor = SimpleNamespace(email=DOCTOR)
        with tenant_scope(tenant):
            with pytest.raises(ValidationError) as caught:
                queue.check_in(tenant, None, visit.id)
            assert caught.value.code == "day_future"
            db.session.rollback()
            with pytest.raises(ValidationError) as caught:
                encounters.record(tenant, None, doctor, visit.id, Record("Demam", "J06.9"))
            assert caught.value.code == "day_future"
            db.session.rollback()
    answer = client.post(f"/t/{tenant.slug}/api/v1/clinic/bpjs/PKM-A/antrean/checkin",
                         headers={"x-token": create_token(tenant, "clinic:bpjs")}, json={"kodebooking": visit.booking_code})
    assert answer.status_code == 400 and answer.get_json()["metadata"]["message"] == \
        "Pendaftaran ini untuk 03-03-2026: lapor kedatangan pada hari itu."
    with app.app_context(), tenant_scope(tenant):
        assert db.session.get(Visit, visit.id).status == "booked"


# 9. the desk says what it did; a refusal is an error

def test_the_desk_confirms_and_shows_refusals_as_errors(app, client, tenant, create_user, login):
    with app.app_context():
        login(client, create_user(tenant, role="officer", agency="DLH", email=DESK_A), tenant)
    desk = url(tenant, "desk/PKM-A/UMUM")
    token = csrf(client.get(desk).get_data(as_text=True))
    page = client.post(desk, follow_redirects=True, data={"csrf_token": token, "place": "PKM-A/UMUM",
                                                          "day": "2026-03-02", "nik": NIK_A, "name": "Andi"})
    text = page.get_data(as_text=True)
    with app.app_context(), tenant_scope(tenant):
        visit = db.session.query(Visit).one()
        code, visit_id = visit.booking_code, visit.id
    assert f"Terdaftar: nomor A-001, kode booking {code}, perkiraan 09.00 WITA (2 Mar 2026)." in text
    assert 'class="flash success"' in text
    called = client.post(url(tenant, f"desk/visit/{visit_id}/call"), data={"csrf_token": token},
                         follow_redirects=True).get_data(as_text=True)
    assert '<p class="flash success" role="status">Memanggil A-001.</p>' in called
    again = client.post(url(tenant, f"desk/visit/{visit_id}/call"), data={"csrf_token": token},
                        follow_redirects=True).get_data(as_text=True)
    assert '<p class="flash error" role="status">Nomor A-001 sudah dipanggil.</p>' in again
    empty = client.post(url(tenant, "desk/PKM-A/UMUM/next"), data={"csrf_token": token},
                        follow_redirects=True).get_data(as_text=True)
    assert 'class="flash error"' in empty


# 10. settings that would orphan bookings; the portal's phone and name; BPJS refusals translated

def test_removing_a_clinic_with_bookings_still_to_serve_is_refused(app, tenant, frozen_clock):
    from core.tenancy import service
    from core.kit import Tenant

    with app.app_context():
        booked(tenant, clinic="PKM-B")
        row = db.session.get(Tenant, tenant.id)
        for settings in ({**SETTINGS, "clinics": []}, {**SETTINGS, "clinics": [SETTINGS["clinics"][0]]}):
            with pytest.raises(PamongError) as caught:
                service.enable_module(row, "clinic", "test", app.extensions["pamong"], settings=settings)
            assert "PKM-B" in str(caught.value) and "modules.clinic.settings.clinics" in str(caught.value)
            db.session.rollback()
            row = db.session.get(Tenant, tenant.id)
        without_gigi = copy.deepcopy(SETTINGS)
        without_gigi["clinics"][0]["polis"] = without_gigi["clinics"][0]["polis"][:1]
        service.enable_module(row, "clinic", "test", app.extensions["pamong"], settings=without_gigi)  # GIGI: no bookings
        db.session.commit()
        frozen_clock.advance(days=1)  # Monday's bookings are past: the clinic may go
        row = db.session.get(Tenant, tenant.id)
        service.enable_module(row, "clinic", "test", app.extensions["pamong"],
                              settings={**SETTINGS, "clinics": [SETTINGS["clinics"][0]]})
        db.session.rollback()


@pytest.mark.parametrize("fields, message", [
    ({"phone": "abc"}, "Bukan nomor ponsel (contoh 0812 3456 7890)."),
    ({"phone": "0812"}, "Bukan nomor ponsel (contoh 0812 3456 7890)."),
    ({"name": ""}, "Isi nama pasien."),
    ({"name": "   "}, "Isi nama pasien."),
])
def test_the_portal_checks_phone_and_name(app, client, tenant, fields, message):
    response = register(client, tenant, **fields)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    with app.app_context(), tenant_scope(tenant):
        assert db.session.query(Visit).count() == 0


def test_the_portal_keeps_the_phone_as_e164(app, client, tenant):
    assert register(client, tenant, phone="0812-3456-7890").status_code == 302
    with app.app_context(), tenant_scope(tenant):
        assert db.session.query(Patient).one().phone == "+6281234567890"


def test_bpjs_token_refusals_speak_the_tenants_language(client, tenant, create_token):
    base = f"/t/{tenant.slug}/api/v1/clinic/bpjs/PKM-A/antrean/status/001/2026-03-02"
    assert client.get(base).get_json()["metadata"] == {
        "code": 401, "message": "Diperlukan token API yang sah dari tenant ini (x-token)."}
    assert client.get(base, headers={"x-token": create_token(tenant, "fhir:read")}).get_json()["metadata"] == {
        "code": 403, "message": "Token ini tidak memiliki cakupan clinic:bpjs."}


def test_the_portal_does_not_hand_out_anothers_booking_code(app, client, tenant):
    """As the SMS: knowing a NIK must not give the booking code of a booking made by someone else."""
    assert register(client, tenant, phone="081234567891").status_code == 302
    with app.app_context(), tenant_scope(tenant):
        code = db.session.query(Visit).one().booking_code
    for phone in ("", "081298765432"):
        other = register(client, tenant, phone=phone)
        page = other.get_data(as_text=True)
        assert other.status_code == 400 and code not in page and "sudah punya pendaftaran" in page
    same = register(client, tenant, phone="0812-3456-7891")  # the phone that booked, written otherwise
    assert same.status_code == 302 and code in same.headers["Location"]


def test_the_worklist_names_the_patients(app, client, tenant, create_user, login):
    with app.app_context():
        booked(tenant, name="Siti Aminah")
        with tenant_scope(tenant):
            queue.call_next(tenant, None, "PKM-A", "UMUM")
            db.session.commit()
        login(client, _doctor(tenant, create_user), tenant)
    assert "Siti Aminah" in client.get(url(tenant, "practice/")).get_data(as_text=True)
