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

from core.kit import NotFound, PamongError, ValidationError, audit, db, local_date, local_number, tenant_scope, utcnow

from .labels import gettext as _
from .labels import lazy_gettext as _l
from .models import Encounter, EncounterRevision, Visit
from .problems import raise_all
from .settings import Practitioner, clinic_of

ICD10 = re.compile(r"^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$")
VITALS = {  # name: (LOINC code, display, UCUM unit, lowest, highest)
    "systolic": ("8480-6", "Systolic blood pressure", "mm[Hg]", 50, 300),
    "diastolic": ("8462-4", "Diastolic blood pressure", "mm[Hg]", 20, 200),
    "heart_rate": ("8867-4", "Heart rate", "/min", 20, 250),
    "temperature": ("8310-5", "Body temperature", "Cel", 30, 45),
    "weight": ("29463-7", "Body weight", "kg", 0.3, 400),
}
VITAL_LABELS = {  # name: (label in the reader's language, unit as shown)
    "systolic": (_l("Systolic blood pressure"), "mmHg"),
    "diastolic": (_l("Diastolic blood pressure"), "mmHg"),
    "heart_rate": (_l("Pulse"), _l("/min")),
    "temperature": (_l("Temperature"), "°C"),
    "weight": (_l("Weight"), "kg"),
}
FIELDS = ("complaint", "icd10", "diagnosis", "prescription", "vitals")  # what an amendment may change


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
    reason: str = ""  # why an encounter already recorded is amended (required then)


def practitioner_of(tenant, clinic_code: str, user) -> Practitioner:
    """The user's practitioner entry at the clinic, else ``NotPractitioner``."""
    clinic = clinic_of(tenant, clinic_code)
    email = (getattr(user, "email", "") or "").strip().lower()
    found = next((p for p in (clinic.practitioners if clinic else ()) if email and p.email == email), None)
    if found is None:
        raise NotPractitioner(_("Only practitioners of this clinic may open its records."), where="user")
    return found


def checked(record: Record) -> tuple[dict, list[ValidationError]]:
    """``(vitals, problems)``: the vital signs that are numbers within bounds, and every problem of
    the record (the ICD-10 code's form, the complaint, each vital sign), each naming its field.
    Normalises ``record.icd10`` (upper case)."""
    problems: list[ValidationError] = []
    code = (record.icd10 or "").strip().upper()
    if not ICD10.match(code):
        problems.append(ValidationError(_("Not an ICD-10 code (e.g. J06.9)."), where="icd10", code="bad_icd10"))
    record.icd10 = code
    if not (record.complaint or "").strip():
        problems.append(ValidationError(_("Record the complaint."), where="complaint", code="required"))
    vitals = {}
    for name, value in (record.vitals or {}).items():
        if value in (None, ""):
            continue
        low, high = VITALS[name][3], VITALS[name][4]
        try:
            number = float(str(value).replace(",", "."))
        except ValueError:
            problems.append(ValidationError(_("Give a number."), where=name, code="not_number"))
            continue
        if not low <= number <= high:
            problems.append(ValidationError(_("Must be between %(min)s and %(max)s.", min=local_number(low),
                                              max=local_number(high)), where=name, code="out_of_range"))
            continue
        vitals[name] = number
    return vitals, problems


def check(record: Record) -> dict:
    """The vital signs as numbers within bounds; ``ValidationError`` naming the field (``Problems``
    for more than one)."""
    vitals, problems = checked(record)
    raise_all(problems)
    return vitals


def _values(rec: Record, vitals: dict) -> dict:
    return {"complaint": (rec.complaint or "").strip()[:2000], "icd10": rec.icd10,
            "diagnosis": (rec.diagnosis or "").strip()[:200], "prescription": (rec.prescription or "").strip()[:2000],
            "vitals": json.dumps(vitals)}


def _review(tenant, user, visit_id: int, rec: Record):
    """``(visit, practitioner, encounter or None, values, changed, problems)`` of a record or an
    amendment, read only: every problem at once (a later day, the record's own, a missing reason)."""
    visit = db.session.get(Visit, visit_id)
    if visit is None:
        raise NotFound(_("No such visit."), where="visit")
    who = practitioner_of(tenant, visit.clinic, user)
    problems: list[ValidationError] = []
    if visit.day > local_date(tenant, utcnow()):
        problems.append(ValidationError(_("This visit is on a later day: record the encounter on that day."),
                                        where="visit", code="day_future"))
    vitals, found = checked(rec)
    problems += found
    values = _values(rec, vitals)
    row = db.session.execute(select(Encounter).where(Encounter.visit_id == visit.id)).scalar()
    changed = list(FIELDS) if row is None else [name for name in FIELDS if (getattr(row, name) or "") != values[name]]
    if row is not None and changed and not (rec.reason or "").strip():
        problems.append(ValidationError(_("This encounter is already recorded: give the reason for the amendment."),
                                        where="reason", code="amendment_reason_required"))
    return visit, who, row, values, changed, problems


def refusals(tenant, user, visit_id: int, rec: Record) -> list[ValidationError]:
    """Everything ``record`` would refuse, read only: for a form that came back with its own errors."""
    with tenant_scope(tenant):
        return _review(tenant, user, visit_id, rec)[-1]


def record(tenant, actor, user, visit_id: int, rec: Record, now=None) -> Encounter:
    """Record the encounter of a visit, or amend it: an amendment needs a reason (``ValidationError``
    code ``amendment_reason_required``) and keeps the earlier values as an ``EncounterRevision``
    (encrypted); the audit entry names the revision (before) and the fields changed (after), never
    the clinical contents. A visit of a later day than the tenant's today is refused (``day_future``).
    Every problem found is refused at once (``Problems`` for more than one). Saving the same values
    again changes nothing. The caller commits."""
    now = now or utcnow()
    with tenant_scope(tenant):
        visit, who, row, values, changed, problems = _review(tenant, user, visit_id, rec)
        raise_all(problems)
        before = None
        if row is None:
            row = Encounter(visit_id=visit.id, patient_id=visit.patient_id, clinic=visit.clinic)
            db.session.add(row)
        else:
            if not changed:
                return row
            earlier = db.session.execute(select(EncounterRevision.revision).where(
                EncounterRevision.encounter_id == row.id).order_by(EncounterRevision.revision.desc()).limit(1)).scalar()
            revision = EncounterRevision(
                encounter_id=row.id, revision=(earlier or 0) + 1, practitioner=row.practitioner,
                recorded_at=row.recorded_at, amended_by=who.code, amended_at=now, reason=(rec.reason or "").strip()[:500],
                **{name: getattr(row, name) for name in FIELDS})
            db.session.add(revision)
            db.session.flush()
            before = {"revision": revision.revision, "revision_id": revision.id, "practitioner": row.practitioner,
                      "changed": changed}
        row.practitioner = who.code
        for name, value in values.items():
            setattr(row, name, value)
        row.recorded_at = now
        visit.practitioner = who.code
        db.session.flush()
        if visit.status == "done":  # a correction after the visit ended: SATUSEHAT gets it again
            from .satusehat import enqueue

            enqueue(tenant, visit)
        if before is None:
            audit(tenant, actor, "clinic.encounter.record", "visit", visit.id, after={"encounter": row.id})
        else:
            audit(tenant, actor, "clinic.encounter.amend", "visit", visit.id, before=before,
                  after={"encounter": row.id, "practitioner": who.code, "changed": before["changed"]})
        return row


def revisions(encounter_ids) -> dict[int, list[EncounterRevision]]:
    """The earlier versions of these encounters, oldest first (inside the tenant's scope)."""
    found: dict[int, list[EncounterRevision]] = {}
    ids = list(encounter_ids)
    if not ids:
        return found
    for rev in db.session.execute(select(EncounterRevision).where(EncounterRevision.encounter_id.in_(ids))
                                  .order_by(EncounterRevision.revision)).scalars():
        found.setdefault(rev.encounter_id, []).append(rev)
    return found


def vital_rows(vitals: dict) -> list[tuple[str, str, str]]:
    """``[(label, value, unit), ...]`` in the order of ``VITALS``, labels in the reader's language."""
    rows = []
    for name in VITALS:
        if name in vitals:
            value = vitals[name]
            text = local_number(value) if isinstance(value, (int, float)) else str(value)  # "37,2" (id)
            label, unit = VITAL_LABELS[name]
            rows.append((str(label), text, str(unit)))
    return rows


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
