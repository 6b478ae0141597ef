"""A patient registered by SMS in FHIR (new-user trial, item 4): the SMS may carry the name after the
NIK (``DAFTAR PKM-A UMUM 02-03-2026 7371014101900001 Budi Santoso``), which is kept; without it the
Patient says its name is unknown (R4's data-absent-reason extension on the HumanName) and carries
what is known: the NIK identifier and the phone the SMS came from. Validated against FHIR R4."""
from core.kit import db, tenant_scope

from ..models import Patient
from .fixtures import NIK_A, NIK_B
from .test_fhir import validate
from .test_sms import E164, send, tenant  # noqa: F401  (the fixture)

NIK = "https://fhir.kemkes.go.id/id/nik"
ABSENT = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"


def _patient(client, tenant, nik, create_token):
    token = create_token(tenant, "fhir:read")
    response = client.get(f"/t/{tenant.slug}/fhir/Patient?identifier={NIK}|{nik}",
                          headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    bundle = response.get_json()
    validate(bundle)
    [entry] = bundle["entry"]
    validate(entry["resource"])
    return entry["resource"]


def test_an_sms_without_a_name_gives_a_patient_whose_name_is_unknown(app, client, tenant, frozen_clock,
                                                                     create_token):
    assert send(client, tenant, frozen_clock, f"DAFTAR PKM-A UMUM 02-03-2026 {NIK_A}")["status"] == "handled"
    patient = _patient(client, tenant, NIK_A, create_token)
    assert patient["name"] == [{"extension": [{"url": ABSENT, "valueCode": "unknown"}]}]
    assert {"use": "official", "system": NIK, "value": NIK_A} in patient["identifier"]
    assert patient["telecom"] == [{"system": "phone", "value": E164, "use": "mobile"}]
    assert patient["gender"] == "female" and patient["birthDate"] == "1990-01-01"  # as the NIK says


def test_an_sms_may_carry_the_name_after_the_number(app, client, tenant, frozen_clock, create_token):
    grouped = " ".join(NIK_B[i:i + 4] for i in range(0, 16, 4))  # typed in groups, then the name
    assert send(client, tenant, frozen_clock, f"DAFTAR PKM-A UMUM 02-03-2026 {grouped} Budi  Santoso")["status"] == "handled"
    with app.app_context(), tenant_scope(tenant):
        assert db.session.query(Patient).one().name == "Budi Santoso"
    patient = _patient(client, tenant, NIK_B, create_token)
    assert patient["name"] == [{"use": "official", "text": "Budi Santoso"}]
    assert patient["telecom"] == [{"system": "phone", "value": E164, "use": "mobile"}]
