"""Issuing the permit: a gap-free number (core numbering, per type and year, the type's pattern), a
PDF on the tenant's letterhead signed through the core documents service (PAdES) with the QR code of
its public verification page; then revocation (the core marks the document revoked, its page shows
the reason and date), suspension (kept by this module: the core document has no suspended state; the
page shows it through the ``document_state`` hook) and expiry (the document's ``expires_at``). Refused before payment unless the type is free."""
from __future__ import annotations

import calendar
from datetime import datetime, timezone

from babel.dates import format_date

from core.kit import NotFound, ValidationError, db, documents, gettext as _, issue_number, local_date, tenant_scope, utcnow

from . import oss
from .models import APPROVED, ISSUED, REVOKED, SUSPENDED, VALID, Application
from .notices import tell
from .services import N_, NAME, _l, close_clock, get, log, not_own, refusal, scoped, type_of
from .settings import PLACEHOLDERS, module_settings, permit_type
from .signer import signer_of


DOCUMENT_KIND = "permit"  # the core documents register's kind of a permit
EXPIRED = "expired"       # how an issued permit past its ``valid_until`` reads (never stored)


def permit_state(application) -> str:
    """The permit's status as a reader sees it: ``expired`` once a valid permit's ``valid_until``
    has passed (the row keeps ``valid``: expiry is a date, not an act), else ``permit_status``
    (``valid``, ``suspended``, ``revoked``; "" before issue)."""
    until = application.valid_until
    if application.permit_status == VALID and until is not None:
        until = until if until.tzinfo else until.replace(tzinfo=timezone.utc)   # SQLite gives naive UTC
        if until <= utcnow():
            return EXPIRED
    return application.permit_status


def add_months(when: datetime, months: int) -> datetime:
    month = when.month - 1 + months
    year, month = when.year + month // 12, month % 12 + 1
    return when.replace(year=year, month=month, day=min(when.day, calendar.monthrange(year, month)[1]))


@scoped
def issue_permit(tenant, actor, application_id: int):
    """Number, sign and register the permit of an approved (paid, or free) application. Errors:
    ``ValidationError`` (``already_issued``; ``not_paid``: approved but unpaid; ``not_ready``),
    ``documents.SigningError``."""
    application = get(tenant, application_id, lock=True)
    if application.status == ISSUED:   # a second tab, a second signer: said as it is (issue 15)
        raise refusal(N_("The permit is already issued."), code="already_issued")
    if application.status != APPROVED:
        code = "not_paid" if application.payment_code and application.paid_at is None else "not_ready"
        raise refusal(N_("The permit can be issued only once it is approved and its fee is paid."), code=code)
    not_own(actor, application)
    ptype = type_of(tenant, application)
    now = utcnow()
    valid_until = add_months(now, ptype.validity_months) if ptype.validity_months else None
    # the holder of the signer's position today: None, the office's name only
    position, signer = signer_of(tenant, ptype.signer_position, local_date(tenant, now))
    with tenant_scope(tenant):
        _, number = issue_number(tenant, (NAME, "permit", ptype.code), ptype.number_pattern, "year",
                                 placeholders=PLACEHOLDERS, type=ptype.code)
        doc = documents.issue(
            tenant, DOCUMENT_KIND, number, ptype.name_id, "permits/permit.html",
            {"ptype": ptype, "application": application, "fields": ptype.fields(),
             "office": module_settings(tenant, NAME)["office_name"],
             # the last day as the core writes the document's dates ("1 Desember 2031", never ISO's
             # 2031-12-01), in the document's language (the tenant's first, as its "Tanggal" line),
             # never the language of whoever issues it
             "valid_until": valid_until and format_date(local_date(tenant, valid_until), "long",
                                                        locale=tenant.default_locale),
             "signer": signer},   # rank and NIP under the name (permit.html)
            position, actor,
            signer_name=signer["name"] if signer else None, expires_at=valid_until)
        close_clock(tenant, actor, application)
        application.status, application.permit_number, application.issued_at = ISSUED, number, now
        application.valid_until, application.document_code, application.permit_status = valid_until, doc.code, VALID
        application.due_at = None
        log(tenant, actor, application, "issue", note=number)
        tell(tenant, application, N_("Permit %(number)s is issued. Check that it is genuine at %(url)s"),
             number=number, url=documents.verification_url(tenant, doc.code))
    return application


def _issued(tenant, actor, application_id: int):
    application = get(tenant, application_id, lock=True)
    if application.status != ISSUED:
        raise refusal(N_("No permit was issued for this application."), code="not_issued")
    not_own(actor, application)
    return application


def _reason(reason) -> str:
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise ValidationError(_("Give the reason (it is shown to anyone who checks the permit)."), where="reason",
                              code="reason_required")
    if len(reason) > 1000:
        raise ValidationError(_("The reason is longer than 1000 characters."), where="reason", code="reason_too_long")
    return reason


def _change(tenant, actor, application, to: str, reason: str, action: str, code: str) -> None:
    """Set the permit's status with its reason and time, audited with before and after, on the
    timeline, and the applicant told."""
    before = {"permit_status": application.permit_status, "reason": application.permit_status_reason}
    application.permit_status, application.permit_status_reason = to, reason
    application.permit_status_at = utcnow()
    log(tenant, actor, application, action, note=reason, code=code,
        before=before, after={"permit_status": to, "reason": reason, "number": application.permit_number})


@scoped
def revoke_permit(tenant, actor, application_id: int, reason: str):
    """Revoke the permit, valid or suspended, for good: the core document is revoked with
    ``reason`` (its public page shows "revoked", the date and the reason). Errors:
    ``ValidationError`` (``reason_required``, ``not_issued``, ``already_revoked``)."""
    reason = _reason(reason)
    application = _issued(tenant, actor, application_id)
    if application.permit_status == REVOKED:
        raise ValidationError(_("The permit is already revoked."), where="application", code="already_revoked")
    doc = documents.find(tenant, application.document_code)
    if doc is not None and doc.status != "revoked":  # revoked already through the core's page: keep its entry
        documents.revoke(tenant, doc, reason, actor)
    _change(tenant, actor, application, REVOKED, reason, "revoke", oss.REVOKED_CODE)
    tell(tenant, application, N_("Permit %(number)s revoked: %(reason)s"), number=application.permit_number,
         reason=reason)
    return application


@scoped
def suspend_permit(tenant, actor, application_id: int, reason: str, lift: bool = False):
    """Suspend a valid permit (``lift``: lift the suspension of a suspended one), with ``reason``.
    Kept by this module (the core document has no suspended state); the public verification page
    shows it through the ``document_state`` hook (``__init__.py``): "suspended", since when, why.
    Errors: ``ValidationError`` (``reason_required``, ``not_issued``, ``not_valid``,
    ``not_suspended``)."""
    reason = _reason(reason)
    application = _issued(tenant, actor, application_id)
    want_from, want_to = (SUSPENDED, VALID) if lift else (VALID, SUSPENDED)
    if application.permit_status != want_from:
        if lift:
            message = _("Only a suspended permit can have its suspension lifted.")
        elif application.permit_status == SUSPENDED:   # suspended meanwhile (another tab, the API)
            message = _("The permit is already suspended.")
        else:
            message = _("Only a valid permit can be suspended.")
        raise ValidationError(message, where="application", code="not_" + want_from)
    _change(tenant, actor, application, want_to, reason, "reinstate" if lift else "suspend",
            oss.OSS_STATUS[ISSUED] if lift else oss.SUSPENDED_CODE)
    tell(tenant, application, N_("Permit %(number)s is valid again: %(reason)s") if lift else
         N_("Permit %(number)s suspended: %(reason)s"), number=application.permit_number, reason=reason)
    with tenant_scope(tenant):
        db.session.flush()
    return application


def find_permit(tenant, number: str):
    """The issued application with permit ``number`` (exact), or ``NotFound``."""
    number = " ".join(str(number or "").split())[:100]
    with tenant_scope(tenant):
        found = db.session.execute(db.select(Application).where(
            Application.permit_number == number, Application.status == ISSUED)).scalar_one_or_none() if number else None
    if found is None:
        raise NotFound("no permit with this number", where="permit_number", code="not_found",
                       local=_l("No issued permit has this number."))
    return found


def public_state(tenant, document) -> dict | None:
    """What the verification page of ``document`` must add to the core's register entry: for a
    permit of this module that is suspended, ``{"state": "suspended", "reason", "since"}`` (UTC);
    else None (valid, revoked and expired are the core's own)."""
    if document.kind != DOCUMENT_KIND or document.status == "revoked":
        return None
    with tenant_scope(tenant):
        row = db.session.execute(db.select(Application.permit_status, Application.permit_status_reason,
                                           Application.permit_status_at)
                                 .where(Application.document_code == document.code)).first()
    if row is None or row[0] != SUSPENDED:
        return None
    return {"state": "suspended", "reason": row[1], "since": row[2]}


def public_subject(tenant, document, locale: str) -> dict | None:
    """A permit's subject on its verification page in the reader's language: the permit was signed
    with its type's Indonesian name (``name_id``); while the type of its application still has that
    name, its English name (``name_en``, else the Indonesian) for an English reader. None (the
    register's subject as signed) for another kind of document, an application not found, or a
    type since removed or renamed: a name configured later must not relabel an older permit."""
    if document.kind != DOCUMENT_KIND:
        return None
    with tenant_scope(tenant):
        type_code = db.session.execute(db.select(Application.type_code)
                                       .where(Application.document_code == document.code)).scalar_one_or_none()
    ptype = permit_type(tenant, type_code) if type_code else None
    if ptype is None or " ".join(ptype.name_id.split()) != " ".join(document.subject.split()):
        return None
    if str(locale).split("_")[0] == "en" and ptype.name_en.strip():
        return {"text": ptype.name_en, "lang": "en"}
    return {"text": ptype.name_id, "lang": "id"}
