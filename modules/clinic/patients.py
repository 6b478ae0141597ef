"""The patients of registration: found by NIK or BPJS card number (keyed hashes, one card per
patient), added under the lock of their numbers, their phone checked, the keyed hash a booking keeps
of the phone (or portal form) that made it, and the medical record number per clinic. Split out of
``registration.py``, which imports these names (and still offers them under its own name)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import or_, select

from core.kit import ValidationError, db, identity_lookup, issue_number, keyed_hash, normalise_phone, tenant_scope, write_lock

from .labels import gettext as _
from .models import MedicalRecord, Patient

if TYPE_CHECKING:
    from .registration import Request


def find_patient(tenant, nik: str = "", bpjs: str = "") -> Patient | None:
    """The tenant's patient with that NIK, else that BPJS number (IdentityError if malformed): one
    query over both keyed hashes."""
    keys = [(column, identity_lookup(kind, value)) for kind, value, column in
            (("nik", nik, Patient.nik_hash), ("bpjs", bpjs, Patient.bpjs_hash)) if value]
    if not keys:
        return None
    with tenant_scope(tenant):
        found = list(db.session.execute(select(Patient).where(or_(*(column == key for column, key in keys)))
                                        .order_by(Patient.id)).scalars())
    for column, key in keys:  # the NIK's patient first
        for patient in found:
            if getattr(patient, column.key) == key:
                return patient
    return None


def _bpjs_taken(req: Request) -> ValidationError:
    return ValidationError(_("This BPJS card number is already registered to another patient."),
                           where="bpjs", code="bpjs_taken")


def _identify(tenant, req: Request) -> Patient | None:
    """The patient the numbers name (None: a new one); ``bpjs_taken`` when the card belongs to
    another patient than the NIK's, ``bpjs_mismatch`` when the patient has another card. Reads only."""
    patient = find_patient(tenant, req.nik, req.bpjs)
    if patient is not None and req.bpjs:
        card, key = identity_lookup("bpjs", req.bpjs), identity_lookup("nik", req.nik) if req.nik else ""
        holder = patient if patient.bpjs_hash == card else find_patient(tenant, bpjs=req.bpjs)
        if holder is not None and holder.id != patient.id:
            raise _bpjs_taken(req)  # the NIK's patient, the card another's
        if patient.bpjs_hash == card and req.nik and patient.nik and patient.nik_hash != key:
            raise _bpjs_taken(req)  # found by the card, but the NIK is someone else's
        if patient.bpjs and patient.bpjs_hash != card:
            raise ValidationError(_("This patient is registered with another BPJS card number; ask at the desk."),
                                  where="bpjs", code="bpjs_mismatch")
    return patient


def _patient(tenant, req: Request) -> tuple[Patient, bool]:
    """The patient (found, or added and flushed) and whether they are new, under the lock of the
    numbers (well formed: ``_checked``). A BPJS card number that belongs to another patient than the
    NIK's is refused (``bpjs_taken``): one card, one patient."""
    key = identity_lookup("nik", req.nik) if req.nik else identity_lookup("bpjs", req.bpjs)
    card = identity_lookup("bpjs", req.bpjs) if req.bpjs else ""
    if req.nik and req.bpjs:
        write_lock(db.session, key=f"clinic.patient:{card[:16]}", ident=tenant.id)  # the card's, then the NIK's
    write_lock(db.session, key=f"clinic.patient:{key[:16]}", ident=tenant.id)
    patient = _identify(tenant, req)
    if patient is None:
        patient = Patient(nik=req.nik or None, bpjs=req.bpjs or None, name=req.name[:120], phone=req.phone[:30])
        db.session.add(patient)
        db.session.flush()
        return patient, True
    if req.bpjs and not patient.bpjs:
        patient.bpjs = req.bpjs
    if req.nik and not patient.nik:
        patient.nik = req.nik
    if req.name and not patient.name:
        patient.name = req.name[:120]
    if req.phone and (not patient.phone or req.channel == "desk"):  # only the desk changes a phone on record
        patient.phone = req.phone[:30]
    return patient, False


def _checked_phone(req: Request) -> None:
    """The phone as E.164 (``phonenumbers``, as ``core.sms.phone``), else ``invalid_phone`` on it."""
    if not (req.phone or "").strip():
        req.phone = ""
        return
    try:
        req.phone = normalise_phone(req.phone, where="phone")
    except ValidationError:
        if req.channel == "sms":  # the gateway's sender, as it came: nobody typed it
            req.phone = req.phone.strip()[:30]
            return
        raise ValidationError(_("Not a mobile phone number (e.g. 0812 3456 7890)."), where="phone",
                              code="invalid_phone") from None


def contact_key(phone: str, attempt: str = "") -> str:
    """The keyed hash a booking keeps of the phone that made it, else of the portal form it was sent
    from (``attempt``: the form's one-time value, so that the same form sent twice on a slow phone
    is shown its booking, not refused as someone else's); "" for neither."""
    if phone:
        return keyed_hash(f"phone:{phone}")
    return keyed_hash(f"attempt:{attempt}") if attempt else ""


def record_number(tenant, patient: Patient, clinic: str, new: bool = False) -> str:
    """The patient's medical record number at ``clinic`` (``PKM-KASSI-000042``), made on first visit
    (``new``: the patient was just added, so has none yet: nothing to look up)."""
    row = None if new else db.session.execute(select(MedicalRecord).where(
        MedicalRecord.patient_id == patient.id, MedicalRecord.clinic == clinic)).scalar()
    if row is None:
        _, number = issue_number(tenant, ("clinic", "rm", clinic), "{clinic}-{serial:06}", "none",
                                 placeholders=("clinic",), clinic=clinic)
        row = MedicalRecord(patient_id=patient.id, clinic=clinic, number=number)
        db.session.add(row)
    return row.number
