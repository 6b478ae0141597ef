"""Encounters: what the practitioner records at a visit (complaint, vital signs, ICD-10 diagnosis,
prescription), encrypted at rest (``EncryptedText``), and the patient's history at that clinic.

Only practitioners of the clinic (their account's e-mail listed among the clinic's practitioners in
the settings) record or read; every read of a record is audited (``clinic.record.read``). Vital signs
are LOINC-coded when shown as FHIR Observations (``fhir.py``). ICD-10 codes are checked for their
form (WHO ICD-10: a letter, two digits, an optional dot and up to four more), not against the list.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from sqlalchemy import select

from core.kit import NotFound, PamongError, ValidationError, audit, db, tenant_scope, utcnow

from .labels import gettext as _
from .models import Encounter, Visit
from .settings import Practitioner, clinic_of

ICD10 = re.compile(r"^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$")
VITALS = {  # name: (LOINC code, display, UCUM unit, lowest, highest)
    "systolic": ("8480-6", "Systolic blood pressure", "mm[Hg]", 50, 300),
    "diastolic": ("8462-4", "Diastolic blood pressure", "mm[Hg]", 20, 200),
    "heart_rate": ("8867-4", "Heart rate", "/min", 20, 250),
    "temperature": ("8310-5", "Body temperature", "Cel", 30, 45),
    "weight": ("29463-7", "Body weight", "kg", 0.3, 400),
}


class NotPractitioner(PamongError):
    """The user is not a practitioner of the visit's clinic (HTTP 403)."""

    code = "not_practitioner"


@dataclass
class Record:
    complaint: str
    icd10: str
    diagnosis: str = ""
    prescription: str = ""
    vitals: dict = field(default_factory=dict)


def practitioner_of(tenant, clinic_code: str, user) -> Practitioner:
    """The user's practitioner entry at the clinic, else ``NotPractitioner``."""
    clinic = clinic_of(tenant, clinic_code)
    email = (getattr(user, "email", "") or "").strip().lower()
    found = next((p for p in (clinic.practitioners if clinic else ()) if email and p.email == email), None)
    if found is None:
        raise NotPractitioner(_("Only practitioners of this clinic may open its records."), where="user")
    return found


def check(record: Record) -> dict:
    """The vital signs as numbers within bounds; ``ValidationError`` naming the field."""
    code = (record.icd10 or "").strip().upper()
    if not ICD10.match(code):
        raise ValidationError(_("Not an ICD-10 code (e.g. J06.9)."), where="icd10", code="bad_icd10")
    record.icd10 = code
    if not record.complaint.strip():
        raise ValidationError(_("Record the complaint."), where="complaint", code="required")
    vitals = {}
    for name, value in (record.vitals or {}).items():
        if value in (None, ""):
            continue
        low, high = VITALS[name][3], VITALS[name][4]
        try:
            number = float(str(value).replace(",", "."))
        except ValueError:
            raise ValidationError(_("Give a number."), where=name, code="not_number") from None
        if not low <= number <= high:
            raise ValidationError(_("Out of range (%(low)s to %(high)s).", low=low, high=high), where=name,
                                  code="out_of_range")
        vitals[name] = number
    return vitals


def record(tenant, actor, user, visit_id: int, rec: Record) -> Encounter:
    """Record (or correct) the encounter of a visit; audited without its contents. The caller commits."""
    with tenant_scope(tenant):
        visit = db.session.get(Visit, visit_id)
        if visit is None:
            raise NotFound(_("No such visit."), where="visit")
        who = practitioner_of(tenant, visit.clinic, user)
        vitals = check(rec)
        row = db.session.execute(select(Encounter).where(Encounter.visit_id == visit.id)).scalar()
        if row is None:
            row = Encounter(visit_id=visit.id, patient_id=visit.patient_id, clinic=visit.clinic)
            db.session.add(row)
        row.practitioner, row.complaint, row.icd10 = who.code, rec.complaint.strip()[:2000], rec.icd10
        row.diagnosis, row.prescription = rec.diagnosis.strip()[:200], rec.prescription.strip()[:2000]
        row.vitals, row.recorded_at = json.dumps(vitals), utcnow()
        visit.practitioner = who.code
        db.session.flush()
        if visit.status == "done":  # a correction after the visit ended: SATUSEHAT gets it again
            from .satusehat import enqueue

            enqueue(tenant, visit)
        audit(tenant, actor, "clinic.encounter.record", "visit", visit.id, after={"encounter": row.id})
        return row


def history(tenant, actor, user, patient_id: int, clinic_code: str) -> list[Encounter]:
    """The patient's encounters at the clinic, newest first, for one of its practitioners; the read
    is audited (``clinic.record.read``, the patient's id, how many)."""
    with tenant_scope(tenant):
        practitioner_of(tenant, clinic_code, user)
        rows = list(db.session.execute(select(Encounter).where(
            Encounter.patient_id == patient_id, Encounter.clinic == clinic_code,
        ).order_by(Encounter.recorded_at.desc())).scalars())
        audit(tenant, actor, "clinic.record.read", "patient", patient_id,
              after={"clinic": clinic_code, "encounters": len(rows)})
        return rows


def vitals_of(row: Encounter) -> dict:
    try:
        data = json.loads(row.vitals or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
