"""The patients of registration: found by NIK or BPJS card number (keyed hashes, one card per
patient), added under the lock of their numbers, their phone checked, the keyed hash a booking keeps
of the phone (or portal form) that made it, and the medical record number per clinic. Split out of
``registration.py``, which imports these names (and still offers them under its own name)."""
from __future__ import annotations

from typing import TYPE_CHECKING

import phonenumbers
from sqlalchemy import or_, select

from core.kit import (
    ValidationError, audit, db, identity_lookup, issue_number, keyed_hash, mask_identity, normalise_phone, tenant_scope,
    write_lock,
)

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


# who may add to an existing patient's identity: the desk (staff who see the patient's card) and
# BPJS's service (its numbers come from BPJS's membership); a form or an SMS anyone can send may not
ADDS_NUMBERS = ("desk", "bpjs")


def _patient(tenant, actor, req: Request) -> tuple[Patient, bool]:
    """The patient (found, or added and flushed) and whether they are new, under the lock of the
    numbers (well formed: ``_checked``). A BPJS card number that belongs to another patient than the
    NIK's is refused (``bpjs_taken``): one card, one patient. An existing patient's identity is
    changed only by whom may (``_updated``), and audited (masked)."""
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
    _updated(tenant, actor, patient, req)
    return patient, False


def _updated(tenant, actor, patient: Patient, req: Request) -> None:
    """What the request adds to a found patient: at the desk a missing card or NIK, a missing name and
    the phone; from BPJS's service a missing card or NIK. A portal form or an SMS changes nothing
    stored (whoever knows a card number could otherwise give its patient their NIK, name or phone):
    it books for the patient as stored. Each change audited ``clinic.patient.update``, every value
    masked (``mask_identity``: no clear NIK, card, phone or name in the audit log)."""
    changed: dict[str, tuple[str, str]] = {}

    def change(field: str, value: str) -> None:
        changed[field] = (getattr(patient, field) or "", value)
        setattr(patient, field, value)

    if req.channel in ADDS_NUMBERS:
        if req.bpjs and not patient.bpjs:
            change("bpjs", req.bpjs)
        if req.nik and not patient.nik:
            change("nik", req.nik)
    if req.channel == "desk":
        if req.name and not patient.name:
            change("name", req.name[:120])
        if req.phone and req.phone[:30] != (patient.phone or ""):
            change("phone", req.phone[:30])
    if changed:
        audit(tenant, actor, "clinic.patient.update", "patient", patient.id,
              before={f: mask_identity(old) for f, (old, _new) in changed.items()},
              after={f: mask_identity(new) for f, (_old, new) in changed.items()})


def _checked_phone(req: Request) -> None:
    """The phone as E.164 (``phonenumbers``, as ``core.sms.phone``) of a mobile (``is_mobile``), else
    ``invalid_phone`` on it."""
    if not (req.phone or "").strip():
        req.phone = ""
        return
    try:
        req.phone = normalise_phone(req.phone, where="phone")
        if not is_mobile(req.phone):  # a landline (021 555 1234) gets no SMS
            raise ValidationError("not a mobile number", where="phone", code="invalid_phone")
    except ValidationError:
        if req.channel == "sms":  # the gateway's sender, as it came: nobody typed it
            req.phone = req.phone.strip()[:30]
            return
        raise ValidationError(_("Not a mobile phone number (e.g. 0812 3456 7890)."), where="phone",
                              code="invalid_phone") from None


def is_mobile(e164: str) -> bool:
    """Whether a valid number (E.164) is a mobile one, as ``phonenumbers`` types it (Indonesia's
    numbering plan: 08xx mobile, 021 ... a landline; a type it cannot tell apart counts as mobile)."""
    kind = phonenumbers.number_type(phonenumbers.parse(e164))
    return kind in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)


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
