"""A practitioner's NIK, kept apart from the settings (personal data: encrypted at rest, with its
keyed hash), so that their SATUSEHAT IHS number can be asked by NIK as a patient's is
(``satusehat_ids.practitioner_ihs``); set with ``pamong clinic practitioner-nik``. The settings'
``practitioners[].ihs_number``, when given, is used as it is and no NIK is needed.
"""
from __future__ import annotations

from sqlalchemy import select

from core.kit import ValidationError, audit, db, mask_identity, normalise_nik, tenant_scope

from .labels import gettext as _
from .models import PractitionerId
from .settings import clinic_of


def record_of(clinic_code: str, code: str) -> PractitionerId | None:
    """The practitioner's row (NIK, IHS number kept), None before a NIK was set. Inside the tenant's scope."""
    return db.session.execute(select(PractitionerId).where(
        PractitionerId.clinic == clinic_code, PractitionerId.code == code)).scalar()


def set_nik(tenant, actor, clinic_code: str, code: str, nik: str) -> PractitionerId:
    """Keep the NIK of the practitioner ``code`` of clinic ``clinic_code`` (both as the settings name
    them); a changed NIK forgets the IHS number found for the old one. Audited
    (``clinic.practitioner.nik``, the NIK masked). ``ValidationError``: ``unknown_clinic``,
    ``unknown_practitioner``, or the NIK's own rules (``IdentityError``). The caller commits."""
    clinic = clinic_of(tenant, clinic_code)
    if clinic is None:
        raise ValidationError(_("Unknown clinic code %(code)s.", code=clinic_code), where="clinic", code="unknown_clinic")
    if not any(p.code == code for p in clinic.practitioners):
        raise ValidationError(_("Unknown practitioner code %(code)s.", code=code), where="practitioner",
                              code="unknown_practitioner")
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
