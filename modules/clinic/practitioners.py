"""A practitioner's NIK, kept apart from the settings (personal data: encrypted at rest, with its
keyed hash), so that their SATUSEHAT IHS number can be asked by NIK as a patient's is
(``satusehat_ids.practitioner_ihs``); set with ``pamong clinic practitioner-nik`` or on the tenant
admin's page ``/clinic/admin/practitioners`` (``views_admin.py``), which also clears it; both go
through ``set_nik`` / ``clear_nik``, so the NIK's rules (``core.kit.normalise_nik``) and the audit
entry are one. The settings' ``practitioners[].ihs_number``, when given, is used as it is and no NIK
is needed.
"""
from __future__ import annotations

from sqlalchemy import select

from core.kit import ValidationError, audit, db, mask_identity, normalise_nik, tenant_scope

from .labels import gettext as _
from .models import PractitionerId
from .settings import clinic_of, clinics


def record_of(clinic_code: str, code: str) -> PractitionerId | None:
    """The practitioner's row (NIK, IHS number kept), None before a NIK was set. Inside the tenant's scope."""
    return db.session.execute(select(PractitionerId).where(
        PractitionerId.clinic == clinic_code, PractitionerId.code == code)).scalar()


def practitioner_of(tenant, clinic_code: str, code: str):
    """``(clinic, person)`` of the settings; ``ValidationError`` ``unknown_clinic`` or ``unknown_practitioner``."""
    clinic = clinic_of(tenant, clinic_code)
    if clinic is None:
        raise ValidationError(_("Unknown clinic code %(code)s.", code=clinic_code), where="clinic", code="unknown_clinic")
    person = next((p for p in clinic.practitioners if p.code == code), None)
    if person is None:
        raise ValidationError(_("Unknown practitioner code %(code)s.", code=code), where="practitioner",
                              code="unknown_practitioner")
    return clinic, person


def set_nik(tenant, actor, clinic_code: str, code: str, nik: str) -> PractitionerId:
    """Keep the NIK of the practitioner ``code`` of clinic ``clinic_code`` (both as the settings name
    them); a changed NIK forgets the IHS number found for the old one. Audited
    (``clinic.practitioner.nik``, the NIK masked). ``ValidationError``: ``unknown_clinic``,
    ``unknown_practitioner``, or the NIK's own rules (``IdentityError``). The caller commits."""
    clinic, _person = practitioner_of(tenant, clinic_code, code)
    nik = normalise_nik(nik)
    with tenant_scope(tenant):
        row = record_of(clinic.code, code)
        before = {"nik": mask_identity(row.nik)} if row is not None and row.nik else None
        if row is None:
            row = PractitionerId(clinic=clinic.code, code=code)
            db.session.add(row)
        if row.nik != nik:
            row.nik, row.ihs_number = nik, None
        db.session.flush()
        audit(tenant, actor, "clinic.practitioner.nik", "practitioner", row.id, before=before,
              after={"clinic": clinic.code, "code": code, "nik": mask_identity(nik)})
    return row


def clear_nik(tenant, actor, clinic_code: str, code: str) -> PractitionerId | None:
    """Forget the practitioner's NIK and the IHS number found for it (a NIK set by mistake, a
    practitioner who left); SATUSEHAT is then asked nothing for them until a NIK is set again.
    Audited (``clinic.practitioner.nik``, the old NIK masked, ``nik`` None after) when there was one;
    nothing is written when there was none (None is returned then). ``ValidationError`` as ``set_nik``.
    The caller commits."""
    clinic, _person = practitioner_of(tenant, clinic_code, code)
    with tenant_scope(tenant):
        row = record_of(clinic.code, code)
        if row is None or not row.nik:
            return None
        before = {"nik": mask_identity(row.nik), "ihs_number": row.ihs_number}
        row.nik, row.ihs_number = None, None
        db.session.flush()
        audit(tenant, actor, "clinic.practitioner.nik", "practitioner", row.id, before=before,
              after={"clinic": clinic.code, "code": code, "nik": None})
    return row


def roster(tenant) -> list[dict]:
    """Every practitioner of the settings, clinic by clinic: ``clinic``, ``person``, ``nik`` (masked,
    "" when none is set) and ``ihs`` (the settings' ``ihs_number``, else the one found by NIK, else "")."""
    with tenant_scope(tenant):
        rows = {(r.clinic, r.code): r for r in db.session.execute(select(PractitionerId)).scalars()}
    out = []
    for clinic in clinics(tenant):
        for person in clinic.practitioners:
            row = rows.get((clinic.code, person.code))
            out.append({"clinic": clinic, "person": person, "nik": mask_identity(row.nik if row else None),
                        "ihs": person.ihs_number or (row.ihs_number if row else "") or ""})
    return out
