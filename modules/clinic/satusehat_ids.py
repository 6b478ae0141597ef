"""SATUSEHAT's own ids in the references of a bundle sent to it (its integration guide): a bundle is
queued with the module's local references (``Patient/p6``, ``Organization/PKM-A``,
``Location/PKM-A.UMUM``, ``Practitioner/PKM-A.DR-A``, as the read-only FHIR endpoint serves them);
before the ``http`` sink sends it they become SATUSEHAT's:

- the patient's IHS number, found by NIK (``GET {base}/Patient?identifier=https://fhir.kemkes.go.id/id/nik|{nik}``,
  the first entry's ``id``) and kept on the patient (``clinic_patients.ihs_number``), so it is asked once;
- the practitioner's IHS number from the clinic's settings (``practitioners[].ihs_number``), else found
  by the NIK set for them (``pamong clinic practitioner-nik``; ``GET {base}/Practitioner?identifier=...|{nik}``)
  and kept on their row (``clinic_practitioners.ihs_number``), so it is asked once;
- the Organization id (``satusehat_org_id``) and each poli's Location id (``satusehat_location_id``)
  from the clinic's settings, checked for their form where they are written.

A bundle whose patient has no IHS number (no NIK, or SATUSEHAT does not know it yet) is not sent:
``Held`` says why, the bundle stays pending without an attempt counted, and is tried again at the
next send. A reference the settings give no id for stays local.
"""
from __future__ import annotations

import json
import urllib.parse
import urllib.request

from sqlalchemy import select

from core.kit import db

from . import satusehat_auth
from .fhir import NIK
from .models import Patient
from .practitioners import record_of
from .settings import clinic_of


class Held(Exception):
    """The bundle cannot go yet (its patient has no IHS number): kept pending, not counted."""


def _search(base: str, token: str, kind: str, nik: str) -> str:
    """The id of the first ``kind`` (``Patient``, ``Practitioner``) SATUSEHAT finds for ``nik``
    (``GET {base}/{kind}?identifier=https://fhir.kemkes.go.id/id/nik|{nik}``), "" for none.
    ``OSError`` when SATUSEHAT cannot be asked."""
    query = urllib.parse.urlencode({"identifier": f"{NIK}|{nik}"})
    request = urllib.request.Request(f"{base.rstrip('/')}/{kind}?{query}", headers={
        "Accept": "application/fhir+json", "Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=satusehat_auth.TIMEOUT) as answer:  # noqa: S310 - the configured base URL
            found = json.loads(answer.read() or b"{}")
    except ValueError:  # an HTTPError goes up as the POST's does (a 401 drops the token)
        raise OSError(f"SATUSEHAT answered a {kind} search with no JSON") from None
    entries = found.get("entry") or [] if isinstance(found, dict) else []
    return str(((entries[0] or {}).get("resource") or {}).get("id") or "")[:40] if entries else ""


def patient_ihs(base: str, token: str, patient: Patient) -> str | None:
    """The patient's IHS number: kept, else asked of SATUSEHAT by NIK and kept; None when the patient
    has no NIK or SATUSEHAT finds none. ``OSError`` when SATUSEHAT cannot be asked."""
    if patient.ihs_number:
        return patient.ihs_number
    if not patient.nik:
        return None
    patient.ihs_number = _search(base, token, "Patient", patient.nik) or None
    return patient.ihs_number


def practitioner_ihs(base: str, token: str, clinic, person) -> str | None:
    """The practitioner's IHS number: the settings' ``ihs_number``; else the one kept on their row
    (``practitioners``), else asked of SATUSEHAT by the NIK set there and kept, so it is asked once;
    None without either or when SATUSEHAT finds none. ``OSError`` when SATUSEHAT cannot be asked."""
    if person.ihs_number:
        return person.ihs_number
    row = record_of(clinic.code, person.code)
    if row is None or not row.nik:
        return None
    if not row.ihs_number:
        row.ihs_number = _search(base, token, "Practitioner", row.nik) or None
    return row.ihs_number


def _local_refs(bundle: dict) -> tuple[int | None, str | None]:
    """(patient id, clinic code) the bundle's Encounter names."""
    for entry in bundle.get("entry", []):
        resource = entry.get("resource", {})
        if resource.get("resourceType") == "Encounter":
            subject = resource.get("subject", {}).get("reference", "")
            clinic = resource.get("serviceProvider", {}).get("reference", "").partition("/")[2]
            return (int(subject[len("Patient/p"):]) if subject.startswith("Patient/p") else None), clinic
    return None, None


def _references(node) -> set[str]:
    """Every ``reference`` the bundle holds."""
    if isinstance(node, dict):
        return set().union(*(({v} if k == "reference" and isinstance(v, str) else _references(v))
                             for k, v in node.items()))
    if isinstance(node, list):
        return set().union(*(_references(v) for v in node))
    return set()


def _rewrite(node, refs: dict[str, str]):
    if isinstance(node, dict):
        return {k: (refs.get(v, v) if k == "reference" and isinstance(v, str) else _rewrite(v, refs))
                for k, v in node.items()}
    if isinstance(node, list):
        return [_rewrite(v, refs) for v in node]
    return node


def with_satusehat_ids(tenant, base: str, token: str, body: str) -> str:
    """The bundle ``body`` with SATUSEHAT's ids in its references (see the module's docstring);
    ``Held`` when its patient has no IHS number. Inside the tenant's scope; the IHS number found is
    kept on the patient (the caller commits)."""
    bundle = json.loads(body)
    patient_id, clinic_code = _local_refs(bundle)
    patient = db.session.execute(select(Patient).where(Patient.id == patient_id)).scalar() if patient_id else None
    ihs = patient_ihs(base, token, patient) if patient is not None else None
    if not ihs:
        raise Held("the patient has no SATUSEHAT IHS number yet (no NIK, or none found for it): held, tried again later")
    refs = {f"Patient/p{patient_id}": f"Patient/{ihs}"}
    clinic = clinic_of(tenant, clinic_code) if clinic_code else None
    if clinic is not None:
        if clinic.satusehat_org_id:
            refs[f"Organization/{clinic.code}"] = f"Organization/{clinic.satusehat_org_id}"
        refs.update({f"Location/{clinic.code}.{p.code}": f"Location/{p.satusehat_location_id}"
                     for p in clinic.polis if p.satusehat_location_id})
        named = _references(bundle)
        for person in clinic.practitioners:  # only those the bundle names: a search each at most, once
            local = f"Practitioner/{clinic.code}.{person.code}"
            ihs = practitioner_ihs(base, token, clinic, person) if local in named else None
            if ihs:
                refs[local] = f"Practitioner/{ihs}"
    return json.dumps(_rewrite(bundle, refs), ensure_ascii=False)
