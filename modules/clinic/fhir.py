"""The clinic's data as HL7 FHIR R4 resources, as SATUSEHAT (Kemenkes) profiles them: Patient (NIK
identifier system ``https://fhir.kemkes.go.id/id/nik``), Organization, Location, Practitioner,
Encounter (class AMB, statusHistory arrived -> in-progress -> finished, identifier per organization),
Condition (ICD-10) and Observation (LOINC vital signs, UCUM units). Plain dicts (JSON); the tests
validate them against the R4 models of ``fhir.resources``.

Ids: ``Patient/p<id>``, ``Encounter/e<visit id>``, ``Organization/<clinic>``, ``Location/<clinic>.<poli>``,
``Practitioner/<clinic>.<code>``, ``Condition/c<encounter id>``, ``Observation/o<encounter id>.<vital>``.
"""
from __future__ import annotations

from datetime import datetime, time, timezone
from zoneinfo import ZoneInfo

from .encounters import VITALS, vitals_of
from .models import ABSENT, CALLED, CANCELLED, DONE, SERVING

NIK = "https://fhir.kemkes.go.id/id/nik"
BPJS = "https://fhir.kemkes.go.id/id/bpjs"
IHS = "https://fhir.kemkes.go.id/id/ihs-number"
DATA_ABSENT = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
ICD10 = "http://hl7.org/fhir/sid/icd-10"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
ACT = "http://terminology.hl7.org/CodeSystem/v3-ActCode"


def instant(when: datetime | None) -> str | None:
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc).isoformat(timespec="seconds")


def _org_id(clinic) -> str:
    return clinic.satusehat_org_id or clinic.code


def patient(row) -> dict:
    ids = []
    if row.nik:
        ids.append({"use": "official", "system": NIK, "value": row.nik})
    if row.bpjs:
        ids.append({"use": "secondary", "system": BPJS, "value": row.bpjs})
    out = {"resourceType": "Patient", "id": f"p{row.id}", "active": True, "identifier": ids}
    # a patient registered without a name (by SMS, before anyone asked it at the desk): the name is
    # said to be unknown (FHIR R4's data-absent-reason extension on the HumanName), not left out, so a
    # reader (SATUSEHAT's profile wants a name) sees it is missing rather than forgotten
    out["name"] = [{"use": "official", "text": row.name} if row.name else
                   {"extension": [{"url": DATA_ABSENT, "valueCode": "unknown"}]}]
    if getattr(row, "phone", ""):
        out["telecom"] = [{"system": "phone", "value": row.phone, "use": "mobile"}]
    out.update(_from_nik(row))
    return out


GENDER = {"M": "male", "F": "female"}


def _from_nik(row) -> dict:
    """``gender`` and ``birthDate`` where the record knows them, else as the NIK says them (digits
    7-12 are the birth date ``DDMMYY``, a woman's day plus 40: ``core.identity.parse_nik``); nothing
    from a NIK that does not parse, nor without one (a BPJS card number says neither)."""
    from core.kit import IdentityError, parse_nik, utcnow

    gender, born = getattr(row, "gender", None), getattr(row, "birth_date", None)
    if (gender is None or born is None) and row.nik:
        try:
            nik = parse_nik(row.nik, today=utcnow().date())
        except IdentityError:
            nik = None
        if nik is not None:
            gender = gender or GENDER[nik.sex]
            born = born or nik.birth_date
    return {**({"gender": gender} if gender else {}), **({"birthDate": born.isoformat()} if born else {})}


def organization(clinic) -> dict:
    return {"resourceType": "Organization", "id": clinic.code, "active": True,
            "identifier": [{"use": "official", "system": f"http://sys-ids.kemkes.go.id/organization/{_org_id(clinic)}",
                            "value": clinic.code}],
            "type": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/organization-type",
                                  "code": "prov", "display": "Healthcare Provider"}]}],
            "name": clinic.name, **({"address": [{"text": clinic.address}]} if clinic.address else {})}


def location(clinic, poli) -> dict:
    return {"resourceType": "Location", "id": f"{clinic.code}.{poli.code}", "status": "active",
            "identifier": [{"system": f"http://sys-ids.kemkes.go.id/location/{_org_id(clinic)}", "value": poli.code}],
            "name": f"{poli.name} {clinic.name}", "mode": "instance",
            "physicalType": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/location-physical-type",
                                         "code": "ro", "display": "Room"}]},
            "managingOrganization": {"reference": f"Organization/{clinic.code}"}}


def practitioner(clinic, person) -> dict:
    out = {"resourceType": "Practitioner", "id": f"{clinic.code}.{person.code}", "active": True,
           "name": [{"use": "official", "text": person.name}]}
    if person.ihs_number:
        out["identifier"] = [{"use": "official", "system": IHS, "value": person.ihs_number}]
    return out


ENCOUNTER_STATUS = {"booked": "planned", "waiting": "arrived", "skipped": "arrived", CALLED: "arrived",
                    SERVING: "in-progress", DONE: "finished", ABSENT: "cancelled", CANCELLED: "cancelled"}


NEVER_SEEN = frozenset(("booked", "waiting", "skipped", CALLED))


def planned_start(visit, clinic, zone: str) -> str:
    """When a visit not yet arrived is planned: the start of its session on its day, in the tenant's
    zone ``zone`` with its offset (``2026-03-02T08:00:00+08:00``, a FHIR R4 dateTime); the local
    day's start when the session is not (any longer) in the settings."""
    poli = clinic.poli(visit.poli)
    session = next((s for s in poli.sessions if s.index == visit.session), None) if poli else None
    at = datetime.combine(visit.day, session.start if session else time(0), tzinfo=ZoneInfo(zone))
    return at.isoformat(timespec="seconds")


def encounter(visit, clinic, record=None, today=None, zone: str | None = None) -> dict:
    """``record`` the visit's Encounter row (diagnosis and practitioner), if any; ``today`` the
    tenant's local date: a visit of an earlier day never served (left booked, waiting, skipped or
    called when the day ended) is ``cancelled`` ("ended before it has begun", FHIR R4
    EncounterStatus), not ``planned`` or ``arrived`` for ever. ``zone`` the tenant's time zone: a
    visit not yet arrived has ``period.start`` at its planned time (``planned_start``), not the
    moment it was booked; without a zone, its visit day's start in UTC."""
    history, arrived = [], visit.arrived_at or visit.called_at
    for status, start, end in (("arrived", arrived, visit.served_at), ("in-progress", visit.served_at, visit.finished_at),
                               ("finished", visit.finished_at, visit.finished_at)):
        if start is not None:
            period = {"start": instant(start)}
            if end is not None:
                period["end"] = instant(end)
            history.append({"status": status, "period": period})
    if arrived is not None:
        start = instant(arrived)
    else:  # planned (or never seen): the visit's day and session, not the booking's moment
        start = planned_start(visit, clinic, zone or "UTC")
    status = ENCOUNTER_STATUS.get(visit.status, "unknown")
    if today is not None and visit.day < today and visit.status in NEVER_SEEN:
        status = "cancelled"
    out = {"resourceType": "Encounter", "id": f"e{visit.id}", "status": status,
           "class": {"system": ACT, "code": "AMB", "display": "ambulatory"},
           "identifier": [{"system": f"http://sys-ids.kemkes.go.id/encounter/{_org_id(clinic)}",
                           "value": f"{visit.day.isoformat()}/{visit.poli}/{visit.number}"}],
           "subject": {"reference": f"Patient/p{visit.patient_id}"},
           "period": {"start": start, **({"end": instant(visit.finished_at)} if visit.finished_at else {})},
           "location": [{"location": {"reference": f"Location/{clinic.code}.{visit.poli}"}}],
           "serviceProvider": {"reference": f"Organization/{clinic.code}"}}
    if history:
        out["statusHistory"] = history
    if visit.practitioner:
        out["participant"] = [{"type": [{"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "code": "ATND",
            "display": "attender"}]}], "individual": {"reference": f"Practitioner/{clinic.code}.{visit.practitioner}"}}]
    if record is not None and record.icd10:
        out["diagnosis"] = [{"condition": {"reference": f"Condition/c{record.id}"}, "rank": 1}]
    return out


def condition(record, visit) -> dict:
    return {"resourceType": "Condition", "id": f"c{record.id}",
            "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                                           "code": "active"}]},
            "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-category",
                                      "code": "encounter-diagnosis", "display": "Encounter Diagnosis"}]}],
            "code": {"coding": [{"system": ICD10, "code": record.icd10, **({"display": record.diagnosis}
                                                                          if record.diagnosis else {})}]},
            "subject": {"reference": f"Patient/p{record.patient_id}"},
            "encounter": {"reference": f"Encounter/e{visit.id}"},
            "recordedDate": instant(record.recorded_at)}


def observations(record, visit) -> list[dict]:
    out = []
    for name, value in vitals_of(record).items():
        if name not in VITALS:
            continue
        loinc, display, unit = VITALS[name][:3]
        out.append({
            "resourceType": "Observation", "id": f"o{record.id}.{name.replace('_', '-')}", "status": "final",
            "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category",
                                      "code": "vital-signs", "display": "Vital Signs"}]}],
            "code": {"coding": [{"system": LOINC, "code": loinc, "display": display}]},
            "subject": {"reference": f"Patient/p{record.patient_id}"},
            "encounter": {"reference": f"Encounter/e{visit.id}"},
            "effectiveDateTime": instant(record.recorded_at),
            "valueQuantity": {"value": value, "unit": unit, "system": UCUM, "code": unit}})
    return out


def bundle(resources: list[dict], base: str) -> dict:
    """A ``searchset`` Bundle of ``resources`` with their full URLs under ``base``."""
    return {"resourceType": "Bundle", "type": "searchset", "total": len(resources),
            "entry": [{"fullUrl": f"{base}/{r['resourceType']}/{r['id']}", "resource": r,
                       "search": {"mode": "match"}} for r in resources]}


SEARCH_TYPES = {"identifier": "token", "_id": "token", "subject": "reference", "patient": "reference",
                "encounter": "reference"}


def capability_statement(base: str, params: dict) -> dict:
    """The server's CapabilityStatement (R4): read and search-type on each served type, with its
    search parameters (``_count`` / ``_offset`` paging on every search), JSON only, a bearer token with the scope ``fhir:read``."""
    return {
        "resourceType": "CapabilityStatement", "status": "active", "date": "2026-12-01", "kind": "instance",
        "software": {"name": "Pamong clinic module"},
        "implementation": {"description": "Pamong clinic FHIR R4 endpoint (read-only)", "url": base},
        "fhirVersion": "4.0.1", "format": ["json"],
        "rest": [{
            "mode": "server",
            "security": {"description": "An API token of the tenant with the scope fhir:read, as Authorization: Bearer."},
            "resource": [{
                "type": rtype,
                "interaction": [{"code": "read"}, {"code": "search-type"}],
                "searchParam": [{"name": name, "type": SEARCH_TYPES.get(name, "token")} for name in sorted(names)],
            } for rtype, names in params.items()],
        }],
    }
