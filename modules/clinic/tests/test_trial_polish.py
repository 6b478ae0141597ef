"""Minor defects a trial left after issue 17 (brief c17p): a second ``BATAL`` and a second BPJS
check-in say what happened and when; a repeated FHIR search parameter means AND; the desk's
cancelled (and absent after a skip) rows say so instead of "Called at: -". The CLI's wording of an
unknown tenant is kept by ``test_cli_satusehat.py`` / ``test_practitioner_ihs.py``; the backfill of
``c1a1c0de0004`` tenant by tenant by ``test_migration.py``."""
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from core.kit import ValidationError, db, tenant_scope

from .. import fhir, queue
from ..models import Visit
from ..registration import cancel
from .fixtures import BPJS_A, DESK_A, NIK_A, NIK_B, NIK_C, SETTINGS, booked
from .test_pages import csrf, url
from .test_sms import replies, send

BPJS = "/api/v1/clinic/bpjs/PKM-A/antrean"


@pytest.fixture
def tenant(app, create_tenant, frozen_clock, monkeypatch):
    with app.app_context():
        tenant = create_tenant(modules={"clinic": SETTINGS}, locales=["id", "en"])
    monkeypatch.setenv("PAMONG_SMS_SECRET_" + re.sub(r"[^A-Z0-9]", "_", tenant.slug.upper()), "sms-secret")
    return tenant


# 1. BATAL twice: the second says the booking was already cancelled, and when

@pytest.mark.parametrize("locales, said", [
    (["id", "en"], "Antrean A-001 (02-03-2026) sudah dibatalkan pada 02-03-2026 pukul 09.05 WITA."),
    (["en", "id"], "Queue A-001 (02-03-2026) was already cancelled on 02-03-2026 at 09:05 WITA."),
])
def test_a_second_batal_says_the_booking_was_already_cancelled_and_when(app, client, create_tenant, frozen_clock,
                                                                       outbox, monkeypatch, locales, said):
    with app.app_context():
        tenant = create_tenant(modules={"clinic": SETTINGS}, locales=locales)
    monkeypatch.setenv("PAMONG_SMS_SECRET_" + re.sub(r"[^A-Z0-9]", "_", tenant.slug.upper()), "sms-secret")
    send(client, tenant, frozen_clock, f"DAFTAR PKM-A UMUM 02-03-2026 {NIK_A}")
    with app.app_context(), tenant_scope(tenant):
        code = db.session.query(Visit).one().booking_code
    frozen_clock.advance(minutes=5)
    send(client, tenant, frozen_clock, f"BATAL {code}")
    frozen_clock.advance(minutes=20)
    send(client, tenant, frozen_clock, f"batal {code.lower()}")
    second = replies(app, tenant, outbox)[-1]
    assert second == said
    assert code not in second  # a refusal carries no booking code (it would stay in the outbox)
    with app.app_context(), tenant_scope(tenant):
        visit = db.session.query(Visit).one()
        assert visit.status == "cancelled" and visit.cancelled_at.strftime("%H:%M") == "01:05"  # the first BATAL's


def test_the_status_page_says_the_same_of_a_cancelled_booking(app, client, tenant, frozen_clock):
    with app.app_context():
        visit, _ = booked(tenant, nik=NIK_A)
    confirm = client.get(url(tenant, f"status/cancel?code={visit.booking_code}")).get_data(as_text=True)
    client.post(url(tenant, "status/cancel"), data={"csrf_token": csrf(confirm), "code": visit.booking_code})
    again = client.post(url(tenant, "status/cancel"), data={"csrf_token": csrf(confirm), "code": visit.booking_code},
                        follow_redirects=True).get_data(as_text=True)
    assert "Antrean A-001 (02-03-2026) sudah dibatalkan pada 02-03-2026 pukul 09.00 WITA." in again


# 2. a second BPJS check-in: a business refusal (metadata 201) saying when the first was

def test_a_second_bpjs_checkin_says_it_was_already_checked_in_and_when(app, client, tenant, create_token,
                                                                      frozen_clock):
    headers = {"x-token": create_token(tenant, "clinic:bpjs")}
    taken = client.post(f"/t/{tenant.slug}{BPJS}", headers=headers, json={
        "nomorkartu": BPJS_A, "nik": NIK_A, "kodepoli": "001", "tanggalperiksa": "2026-03-02"}).get_json()
    code = taken["response"]["kodebooking"]
    first = client.post(f"/t/{tenant.slug}{BPJS}/checkin", headers=headers, json={"kodebooking": code})
    assert first.status_code == 200 and first.get_json()["metadata"]["code"] == 200
    frozen_clock.advance(minutes=12)
    said = {}
    for lang in ("id", "en"):
        again = client.post(f"/t/{tenant.slug}{BPJS}/checkin", headers={**headers, "Accept-Language": lang},
                            json={"kodebooking": code})
        body = again.get_json()
        assert again.status_code == 200 and body["response"] is None and body["metadata"]["code"] == 201, body
        said[lang] = body["metadata"]["message"]
    assert said == {"id": "Kedatangan nomor A-001 sudah dicatat pukul 09.00 WITA.",
                    "en": "Number A-001 was already checked in at 09:00 WITA."}
    with app.app_context(), tenant_scope(tenant):
        visit = db.session.query(Visit).one()
        assert visit.status == "waiting" and visit.arrived_at.strftime("%H:%M") == "01:00"  # unchanged


def test_a_checkin_after_the_call_still_says_when_and_a_cancelled_one_is_not_checked_in(app, tenant):
    with app.app_context():
        visit, _ = booked(tenant, nik=NIK_A)
        other, _ = booked(tenant, nik=NIK_B)
        with tenant_scope(tenant):
            queue.check_in(tenant, None, visit.id)
            queue.call_next(tenant, None, "PKM-A", "UMUM")
            db.session.commit()
        with tenant_scope(tenant), pytest.raises(ValidationError) as called:
            queue.check_in(tenant, None, visit.id)
        db.session.rollback()
        assert called.value.code == "already_checked_in"
        with tenant_scope(tenant):
            queue.check_in(tenant, None, other.id)
            cancel(tenant, None, queue.locked_visit(tenant, other.id), "test")
            db.session.commit()
        with tenant_scope(tenant), pytest.raises(ValidationError) as cancelled:
            queue.check_in(tenant, None, other.id)
        db.session.rollback()
        assert cancelled.value.code == "bad_step"  # cancelled: not "already checked in"


# 3. FHIR search: a repeated parameter means AND

@pytest.fixture
def fhir_tenant(app, tenant):
    with app.app_context():
        first, _ = booked(tenant, nik=NIK_A, bpjs=BPJS_A, name="Andi")
        second, _ = booked(tenant, nik=NIK_B, name="Budi")
        with tenant_scope(tenant):
            patients = {v.patient_id for v in db.session.query(Visit)}
    assert len(patients) == 2
    return tenant, first, second


def _search(client, tenant, token, query):
    response = client.get(f"/t/{tenant.slug}/fhir/{query}", headers={"Authorization": f"Bearer {token}"})
    assert response.content_type == "application/fhir+json"
    return response.status_code, response.get_json()


def test_a_repeated_identifier_means_and(client, fhir_tenant, create_token):
    tenant, first, second = fhir_tenant
    token = create_token(tenant, "fhir:read")
    nik = lambda number: f"identifier={fhir.NIK}|{number}"  # noqa: E731
    card = f"identifier={fhir.BPJS}|{BPJS_A}"
    for query, names in [
        (f"Patient?{nik(NIK_A)}", ["Andi"]),
        (f"Patient?{nik(NIK_A)}&{card}", ["Andi"]),  # the same person's NIK and card: both hold
        (f"Patient?{nik(NIK_A)}&{nik(NIK_B)}", []),  # was Andi: the second value was dropped
        (f"Patient?{nik(NIK_B)}&{card}", []),
        (f"Patient?{nik(NIK_B)}&{nik(NIK_B)}", ["Budi"]),
    ]:
        status, bundle = _search(client, tenant, token, query)
        assert status == 200 and [e["resource"]["name"][0]["text"] for e in bundle["entry"]] == names, query
        assert bundle["total"] == len(names)
    status, bundle = _search(client, tenant, token, f"Patient?{nik(NIK_B)}&{nik(NIK_B)}&_count=1")
    self_link = next(link["url"] for link in bundle["link"] if link["relation"] == "self")
    assert parse_qs(urlsplit(self_link).query)["identifier"] == [f"{fhir.NIK}|{NIK_B}"] * 2  # kept as asked


def test_every_repeatable_parameter_means_and(client, fhir_tenant, create_token):
    tenant, first, second = fhir_tenant
    token = create_token(tenant, "fhir:read")
    _, bundle = _search(client, tenant, token, "Encounter")
    subject = {e["resource"]["id"]: e["resource"]["subject"]["reference"] for e in bundle["entry"]}
    mine = f"e{first.id}"
    for query, total in [
        (f"Encounter?subject={subject[mine]}", 1),
        (f"Encounter?subject={subject[mine]}&patient={subject[mine]}", 1),
        (f"Encounter?subject={subject[mine]}&patient={subject[f'e{second.id}']}", 0),  # was 1: patient ignored
        (f"Encounter?_id={mine}&_id=e{second.id}", 0),
        (f"Condition?encounter=Encounter/{mine}&encounter=Encounter/e{second.id}", 0),
        ("Organization?_id=PKM-A&_id=PKM-B", 0),
        ("Organization?_id=PKM-A&_id=PKM-A", 1),
    ]:
        status, bundle = _search(client, tenant, token, query)
        assert status == 200 and bundle["total"] == total, (query, bundle)


@pytest.mark.parametrize("query, name", [("Location?_count=1&_count=2", "_count"),
                                         ("Patient?_offset=0&_offset=1", "_offset")])
def test_paging_repeated_is_refused_with_an_operation_outcome(client, fhir_tenant, create_token, query, name):
    tenant = fhir_tenant[0]
    status, outcome = _search(client, tenant, create_token(tenant, "fhir:read"), query)
    assert status == 400 and outcome["resourceType"] == "OperationOutcome"
    issue = outcome["issue"][0]
    assert issue["details"]["coding"][0]["code"] == "repeated_parameter" and f"'{name}'" in issue["diagnostics"]


# 5. the desk: a cancelled row says when it was cancelled; an absent one after a skip says so

def test_the_desk_says_when_a_row_was_cancelled_not_called_at_dash(app, client, tenant, create_user, login,
                                                                  frozen_clock):
    with app.app_context():
        gone, _ = booked(tenant, nik=NIK_A)
        skipped, _ = booked(tenant, nik=NIK_C)
        frozen_clock.advance(minutes=7)
        with tenant_scope(tenant):
            cancel(tenant, None, queue.locked_visit(tenant, gone.id), "portal")
            called = queue.call_next(tenant, None, "PKM-A", "UMUM")
            assert called.id == skipped.id
            queue.skip(tenant, None, skipped.id)
            queue.absent(tenant, None, skipped.id)
            db.session.commit()
        login(client, create_user(tenant, role="officer", agency="DLH", email=DESK_A), tenant)
    page = client.get(url(tenant, "desk/PKM-A/UMUM")).get_data(as_text=True)
    rows = {m.group(1): m.group(2) for m in re.finditer(
        r'<tr class="s-(\w+)">.*?<td class="estimate">(.*?)</td>', page, re.S)}
    assert re.sub(r"<[^>]+>", "", rows["cancelled"]) == "Dibatalkan pukul: 09.07 WITA"
    assert rows["absent"] == "Dilewati, tidak dipanggil lagi"
    assert "Dipanggil pukul: -" not in page
