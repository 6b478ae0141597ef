"""Registration and settings after the t17 trial: a form or an SMS anyone can send never changes a
stored patient's identity (the desk and BPJS's service add what is missing, audited, masked); a
phone must be a mobile one; settings may not close a day that has bookings still to serve."""
import copy
import json

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo

from cli import cli
from core.audit.models import AuditEntry
from core.kit import PamongError, ValidationError, db, tenant_scope

from ..models import Patient, Visit
from ..registration import Request, book, cancel, refusals
from .fixtures import BPJS_A, MONDAY, NIK_A, NIK_B, SETTINGS, booked, snapshot
from .test_pages import register

CARD = "0002223334445"
MOBILE, OTHER_MOBILE = "+6281234567890", "+6285298765432"


@pytest.fixture
def tenant(app, create_tenant, frozen_clock):
    with app.app_context():
        return create_tenant(modules={"clinic": SETTINGS}, locales=["id", "en"])


def _patients(app, tenant) -> list:
    with app.app_context(), tenant_scope(tenant):
        return [snapshot(p) for p in db.session.query(Patient).order_by(Patient.id)]


def _updates(app, tenant) -> list[dict]:
    with app.app_context(), tenant_scope(tenant):
        return [e.summary for e in db.session.query(AuditEntry).where(AuditEntry.action == "clinic.patient.update")
                .order_by(AuditEntry.id)]


# 3. identity: an anonymous channel books for the patient as stored, and changes nothing

def test_the_anonymous_portal_form_does_not_give_a_card_holder_its_nik_name_or_phone(app, client, tenant):
    with app.app_context():
        booked(tenant, nik="", bpjs=CARD, channel="bpjs")  # Mobile JKN: the card only
    response = register(client, tenant, place="PKM-A/GIGI", bpjs=CARD, nik=NIK_B, name="Orang Lain",
                        phone="0812-3456-7890")
    assert response.status_code == 302  # booked, for the card's patient
    [patient] = _patients(app, tenant)
    assert (patient.nik, patient.bpjs, patient.name, patient.phone) == (None, CARD, "", "")
    with app.app_context(), tenant_scope(tenant):
        assert {v.patient_id for v in db.session.query(Visit)} == {patient.id}
    assert _updates(app, tenant) == []


@pytest.mark.parametrize("channel", ["portal", "sms"])
@pytest.mark.parametrize("stored, given", [
    ({"nik": NIK_A}, {"nik": NIK_A, "bpjs": CARD}),  # found by the NIK, a card named
    ({"bpjs": CARD}, {"nik": NIK_B, "bpjs": CARD}),  # found by the card, a NIK named
    ({"nik": NIK_A}, {"nik": NIK_A, "name": "Orang Lain", "phone": "0852-9876-5432"}),  # no name or phone yet
    ({"nik": NIK_A, "name": "Andi", "phone": "0812-3456-7890"}, {"nik": NIK_A, "name": "Budi",
                                                                 "phone": "0852-9876-5432"}),
])
def test_no_anonymous_channel_changes_a_stored_identity(app, tenant, channel, stored, given):
    with app.app_context():
        booked(tenant, **{"nik": "", **stored}, channel="desk")
        before = _patients(app, tenant)
        with tenant_scope(tenant):
            visit, created = book(tenant, None, Request("PKM-A", "GIGI", MONDAY, channel=channel, **given))
            db.session.commit()
            assert created and visit.patient_id == before[0].id
    assert _patients(app, tenant) == before and _updates(app, tenant) == []


def test_the_desk_adds_what_is_missing_and_changes_the_phone_audited_and_masked(app, tenant):
    with app.app_context():
        booked(tenant, nik="", bpjs=CARD, channel="bpjs")
        with tenant_scope(tenant):
            book(tenant, None, Request("PKM-A", "GIGI", MONDAY, nik=NIK_B, bpjs=CARD, name="Budi",
                                       phone="0812 3456 7890", channel="desk"))
            db.session.commit()
            book(tenant, None, Request("PKM-B", "UMUM", MONDAY, nik=NIK_B, phone="0852-9876-5432", channel="desk"))
            db.session.commit()
    [patient] = _patients(app, tenant)
    assert (patient.nik, patient.bpjs, patient.name, patient.phone) == (NIK_B, CARD, "Budi", OTHER_MOBILE)
    first, second = _updates(app, tenant)
    assert set(first["after"]) == {"nik", "name", "phone"} and set(second["after"]) == {"phone"}
    assert first["after"]["nik"] == "7371**********03" and first["before"]["nik"] == ""
    said = json.dumps([first, second])
    for clear in (NIK_B, CARD, MOBILE, OTHER_MOBILE, "Budi"):
        assert clear not in said, said


def test_bpjs_adds_a_missing_nik_audited_and_the_same_phone_at_the_desk_is_no_change(app, tenant):
    with app.app_context():
        booked(tenant, nik="", bpjs=CARD, channel="bpjs")
        booked(tenant, poli="GIGI", nik=NIK_A, bpjs=CARD, channel="bpjs")
        booked(tenant, clinic="PKM-B", nik=NIK_A, channel="desk")  # nothing new: no entry
    [patient] = _patients(app, tenant)
    assert patient.nik == NIK_A and [set(u["after"]) for u in _updates(app, tenant)] == [{"nik"}]


def test_a_card_of_another_patient_is_still_refused_on_every_channel(app, tenant):
    with app.app_context():
        booked(tenant, nik=NIK_A, bpjs=CARD, channel="desk")
        booked(tenant, nik=NIK_B, channel="desk")
        for channel in ("portal", "sms", "desk", "bpjs"):
            with tenant_scope(tenant), pytest.raises(ValidationError) as caught:
                book(tenant, None, Request("PKM-A", "GIGI", MONDAY, nik=NIK_B, bpjs=CARD, channel=channel))
            assert caught.value.code == "bpjs_taken"
            db.session.rollback()


# 6. a phone must be a mobile one (SMS goes to it)

@pytest.mark.parametrize("phone", ["021 5551234", "(0411) 852 123", "+62 21 5551234", "021-5551234"])
def test_a_landline_is_not_taken_as_a_mobile_phone(app, client, tenant, phone):
    response = register(client, tenant, phone=phone)
    assert response.status_code == 400 and "Bukan nomor ponsel (contoh 0812 3456 7890)." in response.get_data(
        as_text=True)
    with app.app_context():
        problems = refusals(tenant, Request("PKM-A", "UMUM", MONDAY, nik=NIK_A, phone=phone, channel="desk"))
        assert [p.code for p in problems] == ["invalid_phone"]
    assert _patients(app, tenant) == []


@pytest.mark.parametrize("phone, stored", [("0812-3456-7890", MOBILE), ("+62 852 9876 5432", OTHER_MOBILE),
                                           ("6281234567890", MOBILE)])
def test_a_mobile_phone_is_taken_as_e164(app, client, tenant, phone, stored):
    assert register(client, tenant, phone=phone).status_code == 302
    assert _patients(app, tenant)[0].phone == stored


# 4. settings may not close a day that has bookings still to serve

def _closing(settings_change, app, tenant):
    from core.kit import Tenant
    from core.tenancy import service

    settings = copy.deepcopy(SETTINGS)
    settings_change(settings)
    with app.app_context():
        row = db.session.get(Tenant, tenant.id)
        try:
            service.enable_module(row, "clinic", "test", app.extensions["pamong"], settings=settings)
            db.session.commit()
        except PamongError as exc:
            db.session.rollback()
            return str(exc)
    return None


def _close_monday(settings):
    settings["clinics"][0]["closed_days"].append("2026-03-02")


def _no_monday_sessions(settings):
    settings["clinics"][0]["polis"][0]["sessions"][0]["days"] = [2, 3, 4, 5, 6]


def test_closing_a_day_with_bookings_is_refused_naming_the_day_and_count(app, tenant):
    with app.app_context():
        booked(tenant)
        booked(tenant, nik=NIK_B, poli="GIGI")
        booked(tenant, clinic="PKM-B", nik=NIK_B)  # another clinic's: not counted
    said = _closing(_close_monday, app, tenant)
    assert said == ("modules.clinic.settings.clinics[0].closed_days: clinic 'PKM-A' has 2 booking(s) still to be "
                    "served on 2026-03-02; cancel them before closing that day")
    said = _closing(_no_monday_sessions, app, tenant)
    assert said == ("modules.clinic.settings.clinics[0].polis[0].sessions: poli 'UMUM' of clinic 'PKM-A' has 1 "
                    "booking(s) still to be served on 2026-03-02 (Monday), when these sessions give it none; "
                    "cancel them first")
    with app.app_context(), tenant_scope(tenant):
        assert all(v.status == "booked" for v in db.session.query(Visit))  # nothing changed


def test_a_day_is_closed_once_its_bookings_are_cancelled_or_past(app, tenant, frozen_clock):
    with app.app_context():
        visit, _ = booked(tenant)
        booked(tenant, nik=NIK_B, day=MONDAY.replace(day=3))  # Tuesday: not closed, not counted
        with tenant_scope(tenant):
            cancel(tenant, None, db.session.get(Visit, visit.id), "sakit")
            db.session.commit()
    assert _closing(_close_monday, app, tenant) is None
    with app.app_context():
        booked(tenant, nik=NIK_A, day=MONDAY.replace(day=5))  # Thursday
    frozen_clock.advance(days=4)  # Friday: Thursday's booking is past
    assert _closing(lambda s: s["clinics"][0]["closed_days"].append("2026-03-05"), app, tenant) is None


def test_the_cli_refuses_closing_a_booked_day_in_one_line(app, tenant):
    with app.app_context():
        booked(tenant)
    clinics = copy.deepcopy(SETTINGS["clinics"])
    clinics[0]["closed_days"].append("2026-03-02")
    result = CliRunner().invoke(cli, ["tenant", "set", tenant.slug, "clinic", f"clinics={json.dumps(clinics)}"],
                                obj=ScriptInfo(create_app=lambda: app))
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.exit_code == 2 and len(lines) == 1, result.stderr
    assert "2026-03-02" in lines[0] and "1 booking(s)" in lines[0]
