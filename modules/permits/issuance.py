"""Issuing the permit: a gap-free number (core numbering, per type and year, the type's pattern), a
PDF on the tenant's letterhead signed through the core documents service (PAdES) with the QR code of
its public verification page; then revocation (the core marks the document revoked, its page shows
the reason), suspension (kept by this module: the core document has no suspended state yet) and
expiry (the document's ``expires_at``). Refused before payment unless the type is free."""
from __future__ import annotations

import calendar
from datetime import datetime

from core.kit import ValidationError, db, documents, issue_number, local_date, tenant_scope, utcnow

from . import oss
from .models import APPROVED, ISSUED, REVOKED, SUSPENDED, VALID
from .services import NAME, close_clock, get, log, scoped, tell, type_of
from .settings import PLACEHOLDERS, module_settings


def add_months(when: datetime, months: int) -> datetime:
    month = when.month - 1 + months
    year, month = when.year + month // 12, month % 12 + 1
    return when.replace(year=year, month=month, day=min(when.day, calendar.monthrange(year, month)[1]))


@scoped
def issue_permit(tenant, actor, application_id: int):
    """Number, sign and register the permit of an approved (paid, or free) application. Errors:
    ``ValidationError`` (``not_paid``: approved but unpaid; ``not_ready``), ``documents.SigningError``."""
    application = get(tenant, application_id, lock=True)
    if application.status != APPROVED:
        code = "not_paid" if application.payment_code and application.paid_at is None else "not_ready"
        raise ValidationError("the permit can be issued only once it is approved and its fee is paid",
                              where="application", code=code)
    ptype = type_of(tenant, application)
    now = utcnow()
    valid_until = add_months(now, ptype.validity_months) if ptype.validity_months else None
    with tenant_scope(tenant):
        _, number = issue_number(tenant, (NAME, "permit", ptype.code), ptype.number_pattern, "year",
                                 placeholders=PLACEHOLDERS, type=ptype.code)
        doc = documents.issue(
            tenant, "permit", number, ptype.name_id, "permits/permit.html",
            {"ptype": ptype, "application": application, "fields": ptype.fields(),
             "office": module_settings(tenant, NAME)["office_name"],
             "valid_until": valid_until and local_date(tenant, valid_until)},
            ptype.signer_position, actor, expires_at=valid_until)
        close_clock(tenant, actor, application)
        application.status, application.permit_number, application.issued_at = ISSUED, number, now
        application.valid_until, application.document_code, application.permit_status = valid_until, doc.code, VALID
        application.due_at = None
        log(tenant, actor, application, "issue", note=number)
        tell(tenant, application, f"Izin {number} telah terbit. Periksa keasliannya di "
                                  f"{documents.verification_url(tenant, doc.code)}")
    return application


def _issued(tenant, application_id: int):
    application = get(tenant, application_id, lock=True)
    if application.status != ISSUED:
        raise ValidationError("no permit was issued for this application", where="application", code="not_issued")
    return application


@scoped
def revoke_permit(tenant, actor, application_id: int, reason: str):
    """Revoke the permit (the core document is revoked with ``reason``; its page shows it)."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError("give the reason", where="reason")
    application = _issued(tenant, application_id)
    if application.permit_status == REVOKED:
        raise ValidationError("the permit is already revoked", where="application", code="already_revoked")
    doc = documents.find(tenant, application.document_code)
    documents.revoke(tenant, doc, reason, actor)
    application.permit_status = REVOKED
    log(tenant, actor, application, "revoke", note=reason, code=oss.REVOKED_CODE)
    tell(tenant, application, f"Izin {application.permit_number} dicabut: {reason}")
    return application


@scoped
def suspend_permit(tenant, actor, application_id: int, reason: str, lift: bool = False):
    """Suspend the permit (``lift``: lift the suspension). Kept by this module and shown on the
    public register; the core verification page does not know suspension (report it upstream)."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError("give the reason", where="reason")
    application = _issued(tenant, application_id)
    want_from, want_to = (SUSPENDED, VALID) if lift else (VALID, SUSPENDED)
    if application.permit_status != want_from:
        raise ValidationError(f"the permit is {application.permit_status}", where="application",
                              code="not_" + want_from)
    application.permit_status = want_to
    log(tenant, actor, application, "reinstate" if lift else "suspend", note=reason,
        code=oss.OSS_STATUS[ISSUED] if lift else oss.SUSPENDED_CODE)
    with tenant_scope(tenant):
        db.session.flush()
    return application
