"""The read-only FHIR R4 endpoint: searchset Bundles in application/fhir+json, the SATUSEHAT
identifiers, every resource validated against the R4 models of ``fhir.resources`` (its R4B package:
8.x's top level is R5), OperationOutcome for every error, audited reads."""
import importlib

import pytest

from core.kit import db, tenant_scope

from .. import encounters, queue
from .fixtures import NIK_A, NIK_B, SETTINGS, booked

R4 = "fhir.resources.R4B"


def validate(resource: dict):
    module = importlib.import_module(f"{R4}.{resource['resourceType'].lower()}")
    return getattr(module, resource["resourceType"]).model_validate(resource)


class Doctor:
    email = "dokter@pkm-a.test"


@pytest.fixture
def tenant(app, create_tenant, frozen_clock):
    with app.app_context():
        tenant = create_tenant(modules={"clinic": SETTINGS})
        visit, _ = booked(tenant, bpjs="0001234567890", name="Andi Baso")
        with tenant_scope(tenant):
            queue.check_in(tenant, None, visit.id)
            queue.call_next(tenant, None, "PKM-A", "UMUM")
            queue.serve(tenant, None, visit.id)
            frozen_clock.advance(minutes=8)
            encounters.record(tenant, None, Doctor(), visit.id, encounters.Record(
                complaint="Demam", icd10="J06.9", diagnosis="ISPA", vitals={"systolic": 120, "temperature": "37.5"}))
            queue.finish(tenant, None, visit.id)
            db.session.commit()
    return tenant


@pytest.fixture
def headers(tenant, create_token):
    return {"Authorization": f"Bearer {create_token(tenant, 'fhir:read')}"}


def get(client, tenant, path, headers):
    response = client.get(f"/t/{tenant.slug}/fhir/{path}", headers=headers)
    assert response.content_type == "application/fhir+json"
    return response.status_code, response.get_json()


def test_patient_by_nik_and_the_patients_encounter(client, tenant, headers, audit_entries, app):
    status, bundle = get(client, tenant, f"Patient?identifier=https://fhir.kemkes.go.id/id/nik|{NIK_A}", headers)
    assert status == 200 and bundle["type"] == "searchset" and bundle["total"] == 1
    validate(bundle)
    patient = bundle["entry"][0]["resource"]
    assert {"system": "https://fhir.kemkes.go.id/id/nik", "value": NIK_A, "use": "official"} in patient["identifier"]
    status, bundle = get(client, tenant, f"Encounter?subject=Patient/{patient['id']}", headers)
    validate(bundle)
    encounter = bundle["entry"][0]["resource"]
    assert encounter["class"]["code"] == "AMB" and encounter["status"] == "finished"
    assert [h["status"] for h in encounter["statusHistory"]] == ["arrived", "in-progress", "finished"]
    assert encounter["identifier"][0]["system"] == "http://sys-ids.kemkes.go.id/encounter/PKM-A"
    with app.app_context():
        assert len(audit_entries(tenant, "clinic.fhir.read")) == 2


@pytest.mark.parametrize("path, count", [
    ("Organization", 2), ("Location", 3), ("Practitioner", 2), ("Condition", 1), ("Observation", 2),
    ("Encounter", 1), ("Patient?identifier=0001234567890", 1), ("Patient?identifier=http://x|1", 0),
])
def test_every_resource_type_validates_against_r4(client, tenant, headers, path, count):
    status, bundle = get(client, tenant, path, headers)
    assert status == 200 and bundle["total"] == count
    validate(bundle)
    for entry in bundle["entry"]:
        validate(entry["resource"])


def test_observations_are_loinc_vital_signs_and_conditions_icd10(client, tenant, headers):
    observations = get(client, tenant, "Observation", headers)[1]["entry"]
    codes = {e["resource"]["code"]["coding"][0]["code"] for e in observations}
    assert codes == {"8480-6", "8310-5"}
    condition = get(client, tenant, "Condition", headers)[1]["entry"][0]["resource"]
    assert condition["code"]["coding"][0] == {"system": "http://hl7.org/fhir/sid/icd-10", "code": "J06.9",
                                               "display": "ISPA"}


def test_one_resource_is_read_by_id(client, tenant, headers):
    status, org = get(client, tenant, "Organization/PKM-A", headers)
    assert status == 200 and org["name"] == "Puskesmas Satu"
    validate(org)


@pytest.mark.parametrize("path, status, code", [
    ("Patient?name=andi", 400, "invalid"),
    ("Patient?identifier=123", 400, "invalid"),
    ("Medication", 404, "not-found"),
    ("Organization/NOPE", 404, "not-found"),
])
def test_errors_are_operation_outcomes(client, tenant, headers, path, status, code):
    got, body = get(client, tenant, path, headers)
    assert got == status and body["resourceType"] == "OperationOutcome" and body["issue"][0]["code"] == code
    validate(body)


def test_the_scope_is_required(client, tenant, create_token):
    got, body = get(client, tenant, "Patient", {"Authorization": f"Bearer {create_token(tenant, 'clinic:bpjs')}"})
    assert got == 403 and body["resourceType"] == "OperationOutcome"
    got, body = get(client, tenant, "Patient", {})
    assert got == 401 and body["issue"][0]["code"] == "login"


def test_a_finished_visit_goes_to_the_satusehat_outbox_and_the_console_sink(app, tenant, caplog):
    import json
    import logging

    from ..models import SatusehatMessage
    from ..satusehat import send_pending

    with app.app_context():
        with tenant_scope(tenant):
            [row] = db.session.query(SatusehatMessage).all()
            bundle = json.loads(row.body)
        validate(bundle)
        assert bundle["type"] == "transaction"
        assert [e["resource"]["resourceType"] for e in bundle["entry"]] == \
            ["Encounter", "Condition", "Observation", "Observation"]
        with caplog.at_level(logging.INFO, logger="pamong.clinic.satusehat"):
            assert send_pending(tenant) == (1, 0)
        assert "Encounter/e" in caplog.text and "Demam" not in caplog.text  # no health data in the log
        assert send_pending(tenant) == (0, 0)


def test_count_pages_with_self_and_next_links(app, client, tenant, headers):
    """Issue 17 (trial): ``_count`` was ignored. Three Locations (PKM-A's two polis, PKM-B's one)."""
    from urllib.parse import parse_qs, urlsplit

    status, first = get(client, tenant, "Location?_count=2", headers)
    assert status == 200 and first["total"] == 3 and len(first["entry"]) == 2
    validate(first)
    links = {link["relation"]: link["url"] for link in first["link"]}
    assert parse_qs(urlsplit(links["self"]).query) == {"_count": ["2"], "_offset": ["0"]}
    assert "previous" not in links and links["next"].endswith("/fhir/Location?_count=2&_offset=2")
    status, second = get(client, tenant, links["next"].split("/fhir/", 1)[1], headers)
    assert len(second["entry"]) == 1 and second["total"] == 3
    relations = {link["relation"] for link in second["link"]}
    assert "next" not in relations and "previous" in relations
    seen = [e["resource"]["id"] for e in first["entry"] + second["entry"]]
    assert len(set(seen)) == 3
    _, patients = get(client, tenant, f"Patient?identifier={NIK_A}&_count=0", headers)
    assert patients["total"] == 1 and patients["entry"] == []  # _count=0: the total only
    for bad in ("_count=-1", "_count=abc", "_count=201", "_offset=x"):
        status, outcome = get(client, tenant, f"Location?{bad}", headers)
        assert status == 400 and outcome["resourceType"] == "OperationOutcome"


def test_metadata_is_a_capability_statement(client, tenant):
    status, statement = get(client, tenant, "metadata", {})  # FHIR clients read it before any token
    assert status == 200 and statement["resourceType"] == "CapabilityStatement"
    validate(statement)
    assert statement["fhirVersion"] == "4.0.1" and statement["kind"] == "instance"
    served = {r["type"]: r for r in statement["rest"][0]["resource"]}
    assert set(served) == {"Patient", "Encounter", "Condition", "Observation", "Organization", "Location", "Practitioner"}
    assert {"name": "identifier", "type": "token"} in served["Patient"]["searchParam"]
    assert {"code": "search-type"} in served["Encounter"]["interaction"]


def test_every_fhir_read_is_audited_with_the_patients_read(client, tenant, headers, audit_entries, app):
    """Issue 17 (review): the audit named only the type and the parameter names, so whose record was
    read could not be told. One entry per request, with the ids of the patients in the answer."""
    with app.app_context():
        second, _ = booked(tenant, nik="7371110505850003", name="Budi")
    _, bundle = get(client, tenant, f"Patient?identifier={NIK_A}", headers)
    first = int(bundle["entry"][0]["resource"]["id"][1:])
    assert first != second.patient_id
    _, everyone = get(client, tenant, "Encounter", headers)  # newest first: the second patient's visit
    assert [e["resource"]["subject"]["reference"] for e in everyone["entry"]] == [
        f"Patient/p{second.patient_id}", f"Patient/p{first}"]
    get(client, tenant, "Encounter?_count=1", headers)  # a page: only the patients it holds
    status, one = get(client, tenant, f"Encounter/e{second.id}", headers)
    assert status == 200
    condition = get(client, tenant, "Condition", headers)[1]["entry"][0]["resource"]
    get(client, tenant, f"Condition/{condition['id']}", headers)
    get(client, tenant, f"Patient?identifier={NIK_A}&_count=0", headers)  # the total only: nobody's data
    get(client, tenant, "Encounter/e999999", headers)  # not found: nothing read
    get(client, tenant, "Organization", headers)  # no patient data: not audited
    entries = audit_entries(tenant, "clinic.fhir.read")
    seen = [(e["object_type"], e["object_id"], e["summary"]["after"]["resource"], e["summary"]["after"]["patients"],
             e["summary"]["after"]["count"]) for e in entries]
    assert seen == [
        ("patient", str(first), "Patient", [first], 1),
        ("fhir", "Encounter", "Encounter", [second.patient_id, first], 2),
        ("patient", str(second.patient_id), "Encounter", [second.patient_id], 1),
        ("patient", str(second.patient_id), "Encounter", [second.patient_id], 1),
        ("patient", str(first), "Condition", [first], 1),
        ("patient", str(first), "Condition", [first], 1),
        ("fhir", "Patient", "Patient", [], 0),
    ]
    assert entries[0]["summary"]["after"]["parameters"] == ["identifier"]
    assert entries[3]["summary"]["after"]["parameters"] == ["_id"]


def test_a_condition_or_observation_is_read_by_its_id_however_old(client, tenant, headers, monkeypatch):
    """A read by id looks up that one record: it no longer filtered the newest MATCH_LIMIT records
    (an older record was a 404, and every read loaded the whole list)."""
    from modules.clinic import fhir_api

    condition = get(client, tenant, "Condition", headers)[1]["entry"][0]["resource"]
    observation = get(client, tenant, "Observation", headers)[1]["entry"][0]["resource"]
    monkeypatch.setattr(fhir_api, "MATCH_LIMIT", 0)  # searches now find nothing; reads still do
    assert get(client, tenant, "Condition", headers)[1].get("total") == 0
    for resource in (condition, observation):
        status, read = get(client, tenant, f"{resource['resourceType']}/{resource['id']}", headers)
        assert status == 200 and read == resource
    for missing in ("Condition/c999999", "Observation/o999999.weight", "Condition/x1", f"Observation/{condition['id']}"):
        assert get(client, tenant, missing, headers)[0] == 404, missing


def test_a_booking_left_at_the_end_of_its_day_is_cancelled_not_planned(client, tenant, headers, frozen_clock, app):
    with app.app_context():
        left, _ = booked(tenant, nik=NIK_B)  # booked from afar, never came
    path = f"Encounter?subject=Patient/p{left.patient_id}"
    status, bundle = get(client, tenant, path, headers)
    assert status == 200 and bundle["entry"][0]["resource"]["status"] == "planned"  # its day is today
    frozen_clock.advance(days=1)
    _, bundle = get(client, tenant, path, headers)
    validate(bundle)
    assert bundle["entry"][0]["resource"]["status"] == "cancelled"
    _, done = get(client, tenant, "Encounter?_count=50", headers)  # the one served stays finished
    assert sorted(e["resource"]["status"] for e in done["entry"]) == ["cancelled", "finished"]
