"""The JSON API of the permits module, under the tenant's ``/api/v1/permits/``:

- ``POST /payments/callback``: the payment provider's notice that an invoice was paid, signed per
  tenant (HMAC-SHA256 of ``"<timestamp>." + body`` with the tenant's ``payment_secret``, core
  ``signed_webhook``) and idempotent (``Idempotency-Key``, the provider's transaction id; the ledger
  transfer is keyed by the application too, so the same payment is recorded once). Body:
  ``{"payment_code": "900000000019", "amount": 1500000, "reference": "BANK-TRX-1"}`` (rupiah).
  The body is checked by ``PaymentNotice`` (the model that documents it) before anything is read:
  any problem with its shape, or a body that is not a JSON object, is 400 ``bad_request``.
  Errors: 401 bad signature, 404 ``unknown_invoice`` (no such code in *this* tenant), 400
  ``amount_mismatch`` / ``not_invoiced`` / ``bad_request``, 409 ``already_paid`` (a second payment
  of an invoice already paid, with another reference: not recorded, audited
  ``permits.second_payment``; the same payment told again answers 200 as the first time).
- ``GET /applications/<reference>``: an application's status and OSS code (scope ``permits:read``);
  its date-times (``due_at``, and the status change's ``changed_at``) ISO 8601 with the tenant's offset.
- ``POST /permits/status``: suspend, reinstate (lift a suspension) or revoke an issued permit (scope
  ``permits:status``). Body ``{"permit_number": "PBG/0001/2026", "action": "suspend" | "lift" |
  "revoke", "reason": "..."}``; the reason is shown on the permit's public verification page. The
  change is audited under the token's name. Errors: 404 ``not_found`` (no issued permit with that
  number in this tenant), 400 ``bad_request`` (the body), ``unknown_parameter`` (a field of the body it
  does not read, named), ``reason_required``, ``not_valid`` (only a
  valid permit is suspended), ``not_suspended`` (only a suspended one is lifted), ``already_revoked``.
- ``GET /reconciliation``: the retribution per permit type and local month, the paid applications
  against what the core ledger collected (``reconciliation.rows``, as the reconciliation page shows;
  scope ``permits:reconciliation``). Query: ``month`` (``YYYY-MM``), ``type`` (a permit type's
  code), ``disagreements=true`` (only the rows that disagree). Errors: 400 ``invalid_month``,
  ``unknown_type`` or ``invalid_parameter``.
- ``GET /oss-report``: the report in OSS-RBA's codes (``oss.report``, as the office's page
  ``/permits/oss-report`` shows): per permit type and OSS status code, how many applications
  submitted on the tenant-local days ``from`` .. ``to`` (``YYYY-MM-DD``, both included; either
  left out: the current month's first day, today) hold that code now; ``type`` narrows it to one
  permit type (scope ``permits:read``). Errors: 400 ``invalid_date`` (not a date written
  ``YYYY-MM-DD``, or beyond 1900-01-01 .. 2999-12-31), ``invalid_range`` (``from`` after ``to``),
  ``unknown_type``.

A GET reads only its own query parameters (and ``api_key``): any other is 400 ``unknown_parameter``
naming it, one given twice 400 ``invalid_parameter`` (``_parameters``).

Every error is ``{"error": {"code", "message"}}``: the ``code`` stable, the ``message`` in the
request's language (``Accept-Language`` among the tenant's languages, else the tenant's first, as
every page and the core's own API messages choose it), from this module's catalogue (``_said``).
"""
from __future__ import annotations

import functools
import re
from typing import ClassVar, Literal

from flask import Blueprint, g, jsonify, request
from pydantic import ConfigDict, Field, StrictInt, create_model, field_validator

from core.kit import (
    ApiModel, ApiOutput, PamongError, api_error, api_message, api_scope, date_arg, db, idempotent, module_settings,
    operation, local_iso, signed_webhook, tenant_scope, tenant_secret, unit_of_work, Actor, current_actor,
)

from . import issuance, oss, payments, reconciliation
from .fees import MAX_FEE
from .models import Application
from .notices import _DOMAIN
from .settings import permit_types

api = Blueprint("permits_api", __name__)


class PaymentNotice(ApiModel):
    payment_code: str = Field(description="The invoice's payment code, e.g. 900000000019")
    amount: StrictInt = Field(gt=0, le=MAX_FEE, description="Whole rupiah, more than zero and at most the "
                              "largest fee (10^12): the invoice's amount exactly")
    reference: str | None = Field("", max_length=100, description="The provider's transaction reference")
    error_codes: ClassVar = {"*": {"*": "bad_request"}}  # the one code providers have always been given


class PaymentRecorded(ApiOutput):
    reference: str = Field(description="The application's reference")
    status: str
    oss_code: str = Field(description="The OSS-RBA status code of the application now")


class ApplicationStatus(ApiOutput):
    reference: str
    type: str = Field(description="The permit type's code")
    status: str
    oss_code: str
    due_at: str | None = Field(description="ISO 8601 with the tenant's UTC offset: the service standard's deadline; "
                                             "null while the clock waits on the applicant (asked to complete, "
                                             "or the fee unpaid)")
    permit_number: str | None
    permit_status: str | None = Field(description="valid, suspended, revoked or expired (past its validity), once "
                                                  "issued")


_ = _DOMAIN.gettext   # the module's catalogue in the request's language


WHOLE = "application"  # the ``where`` of a refusal of the application as a whole: no field of the request


def _said(exc: PamongError) -> str:
    """A refusal's message in the request's language (the core's ``api_message``): the raiser's
    ``local`` where it gave one (the services keep ``message`` in English for logs), after the field
    it is about; a refusal of the application as a whole (``where`` ``WHOLE``) without one."""
    return api_message(exc, WHOLE)


def _time(value):
    """ISO 8601 in the tenant's offset, as the complaints' Open311 API gives it
    (``2026-03-10T16:00:00+08:00``); None stays None (SQLite's naive values are UTC)."""
    return local_iso(value, g.tenant.timezone)


ALWAYS = ("api_key",)   # the token may come in the query (``api_scope``)


def _parameters(*names: str):
    """A GET endpoint reads only the query parameters ``names`` (and ``api_key``): any other is 400
    ``unknown_parameter`` naming it (a typo such as ``form`` for ``from`` must not quietly give the
    default), one given twice 400 ``invalid_parameter`` (only one would be read)."""
    known = set(names) | set(ALWAYS)

    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            for name in request.args:
                if name not in known:
                    listed = ", ".join(names) or _("none")
                    return api_error("unknown_parameter", f"{name[:40]}: " + _(
                        "Not a parameter of this request (it reads: %(known)s).", known=listed), 400)
                if len(request.args.getlist(name)) > 1:
                    return api_error("invalid_parameter", f"{name}: " + _("Given more than once."), 400)
            return view(*args, **kwargs)

        return wrapper

    return decorate


def _bad_request(exc: PamongError):
    """A body ``PaymentNotice`` refused, or no JSON object: 400 ``bad_request``, naming the field."""
    return api_error("bad_request", _said(exc), 400)


def _secret(tenant):
    return tenant_secret(tenant, module_settings(tenant, "permits")["payment_secret"]) or None


@api.route("/payments/callback", methods=["POST"])
@signed_webhook(_secret)
@idempotent
@operation("A payment provider reports an invoice paid", body=PaymentNotice, fail=_bad_request,
           response=PaymentRecorded, response_description="Recorded (or already recorded)",
           headers={"X-Pamong-Timestamp": "Unix seconds",
                    "X-Pamong-Signature": "sha256=HMAC-SHA256 of '<timestamp>.' + body with the tenant's "
                                          "payment_secret",
                    "Idempotency-Key": "The provider's transaction id"},
           errors={400: "amount_mismatch, not_invoiced or bad_request", 401: "Bad signature",
                   404: "unknown_invoice (no such code in this tenant), or no payment secret configured",
                   409: "already_paid (the invoice was paid with another reference: this payment is not "
                        "recorded, the attempt is audited), or the same key still in flight",
                   422: "The key reused with another body"},
           description="Signed per tenant and idempotent: the same payment is recorded once.")
def payment_callback():
    body = g.api_body
    actor = Actor.system("webhook:payment", g.tenant)
    second = None
    # NotFound (unknown_invoice: not an invoice of *this* tenant) is a 404
    with unit_of_work(api=True, whole=WHOLE):
        try:
            application = payments.record_payment(g.tenant, actor, body.payment_code, body.amount,
                                                  body.reference or "")
        except payments.AlreadyPaid as refused:   # nothing recorded but the attempt, in the audit trail
            second = refused
            payments.audit_second_payment(g.tenant, actor, refused)
        else:
            result = {"reference": application.reference, "status": application.status,
                      "oss_code": oss.code_of(application)}
    if second is not None:   # an answer, not a raise: the same key replays it (and audits once)
        return api_error("already_paid", _said(second), 409)
    return jsonify(result), 200


@api.route("/applications/<path:reference>")
@api_scope("permits:read")
@operation("An application's status with its OSS-RBA code", response=ApplicationStatus,
           errors={400: "unknown_parameter (it reads none)", 404: "not_found"})
@_parameters()
def application(reference):
    with tenant_scope(g.tenant):
        found = db.session.execute(
            db.select(Application).where(Application.reference == reference)).scalar_one_or_none()
        if found is None:
            return api_error("not_found", _("No such application."), 404)
        return jsonify(reference=found.reference, type=found.type_code, status=found.status,
                       oss_code=oss.code_of(found), due_at=_time(found.due_at),
                       permit_number=found.permit_number, permit_status=issuance.permit_state(found) or None)


class StatusChange(ApiModel):
    model_config = ConfigDict(extra="forbid")   # a field it does not read is refused, not ignored
    permit_number: str = Field(max_length=100, description="The permit's number, e.g. PBG/0001/2026")
    action: Literal["suspend", "lift", "revoke"] = Field(
        description="suspend a valid permit, lift a suspension, or revoke (for good)")
    reason: str = Field("", max_length=1000, description="Why; shown on the permit's public verification page "
                        "(required: an empty or missing one is 400 reason_required)")
    error_codes: ClassVar = {"*": {"*": "bad_request"}}


class PermitState(ApiOutput):
    permit_number: str
    permit_status: str = Field(description="valid, suspended or revoked")
    reason: str = Field(description="The reason of the last change")
    changed_at: str | None = Field(description="ISO 8601 with the tenant's UTC offset: when the status last changed")
    oss_code: str = Field(description="The OSS-RBA status code now (70 suspended; none for revoked)")


def _status_refused(exc: PamongError):
    """A body ``StatusChange`` refused: a field it does not have (``extra_forbidden``, no field of the
    model owns the location, so the core gave no code of the model's) is 400 ``unknown_parameter``
    naming it, as the GETs answer an unknown query parameter; any other problem 400 ``bad_request``."""
    if exc.where and exc.where.split(".")[0] not in StatusChange.model_fields and exc.where != "body":
        return api_error("unknown_parameter", _said(exc), 400)
    return _bad_request(exc)


@api.route("/permits/status", methods=["POST"])
@api_scope("permits:status")
@operation("Suspend, reinstate or revoke an issued permit", body=StatusChange, fail=_status_refused,
           response=PermitState,
           errors={400: "bad_request, unknown_parameter (a field it does not read), reason_required, not_valid, "
                        "not_suspended or already_revoked",
                   404: "not_found (no issued permit with this number in this tenant)"},
           description="Audited under the token's name; the reason and date show on the permit's public "
                       "verification page.")
def permit_status():
    body = g.api_body
    actor = current_actor()
    with unit_of_work(api=True, whole=WHOLE):  # NotFound 404 not_found, a ValidationError 400 with its code
        found = issuance.find_permit(g.tenant, body.permit_number)
        if body.action == "revoke":
            issuance.revoke_permit(g.tenant, actor, found.id, body.reason)
        else:
            issuance.suspend_permit(g.tenant, actor, found.id, body.reason, lift=body.action == "lift")
        result = {"permit_number": found.permit_number, "permit_status": found.permit_status,
                  "reason": found.permit_status_reason, "oss_code": oss.code_of(found),
                  "changed_at": _time(found.permit_status_at)}
    return jsonify(result), 200


class ReconciliationQuery(ApiModel):
    month: str = Field("", pattern=r"^([0-9]{4}-(0[1-9]|1[0-2]))?$", description="Only this local month, YYYY-MM")
    type: str = Field("", max_length=24, description="Only this permit type's code")
    disagreements: bool = Field(False, description="true: only the rows that disagree")
    error_codes: ClassVar = {"month": "invalid_month", "type": "unknown_type", "*": "invalid_parameter"}

    @field_validator("month", mode="before")
    @classmethod
    def _month(cls, value):
        """A month not written ``YYYY-MM`` says how to write it (the pattern's "not in the expected format" did not)."""
        if isinstance(value, str) and not re.fullmatch(r"([0-9]{4}-(0[1-9]|1[0-2]))?", value):
            raise ValueError(_("must be a month written YYYY-MM"))
        return value


class ReconciliationRow(ApiOutput):
    month: str = Field(description="The tenant's local month, YYYY-MM")
    type_code: str
    type_name: str = Field(description="The type's name in the tenant's first language")
    billed: int = Field(description="Rupiah: the fees of the applications paid in the month")
    collected: int = Field(description="Rupiah: what the core ledger collected into the type's revenue account")
    difference: int = Field(description="collected - billed (rupiah; negative when the ledger has less)")
    agrees: bool


class Reconciliation(ApiOutput):
    reconciles: bool = Field(description="true when no row disagrees (of the rows asked for)")
    disagreements: int = Field(description="How many of the rows disagree")
    rows: list[ReconciliationRow] = Field(description="Newest month first, then by type code")


@api.route("/reconciliation")
@api_scope("permits:reconciliation")
@operation("The retribution per permit type and month against the ledger", query=ReconciliationQuery,
           response=Reconciliation, errors={400: "invalid_month, unknown_type, invalid_parameter or unknown_parameter"},
           description="The paid applications' fees against the transfers the core ledger collected into each "
                       "type's revenue account, per the tenant's local month (issue 15.4). A row that disagrees "
                       "means a payment or a ledger transfer changed outside the module; the finance officers "
                       "are also told of each by the hourly reconciliation alert.")
@_parameters("month", "type", "disagreements")
def reconciliation_api():
    query = g.api_query
    types = permit_types(g.tenant)
    names = {t.code: t.name_id for t in types}
    rows = reconciliation.rows(g.tenant, names)
    if query.type:
        if query.type not in names and not any(r["type_code"] == query.type for r in rows):
            return api_error("unknown_type", "type: " + _("No permit type '%(code)s' in this tenant.", code=query.type), 400)
        rows = [r for r in rows if r["type_code"] == query.type]
    if query.month:
        rows = [r for r in rows if r["month"] == query.month]
    if query.disagreements:
        rows = [r for r in rows if not r["agrees"]]
    wrong = sum(1 for r in rows if not r["agrees"])
    return jsonify(reconciles=wrong == 0, disagreements=wrong, rows=rows)


# ``from`` is a Python keyword: the query's model is made by name (the field is the parameter itself)
OssReportQuery = create_model(
    "OssReportQuery", __base__=ApiModel,
    **{"from": (str, Field("", max_length=64, description="The first tenant-local day, YYYY-MM-DD (default: the "
                                                          "current month's first day)")),
       "to": (str, Field("", max_length=64, description="The last tenant-local day, YYYY-MM-DD, included (default: "
                                                        "today)")),
       "type": (str, Field("", max_length=24, description="Only this permit type's code"))})
OssReportQuery.error_codes = {"from": "invalid_date", "to": "invalid_date", "type": "unknown_type",
                              "*": "invalid_parameter"}


class OssReportRow(ApiOutput):
    type_code: str
    type_name: str = Field(description="The type's name in the tenant's first language")
    oss_code: str = Field(description="The OSS-RBA status code (Lampiran 10, kd_status); empty for an application "
                                      "OSS has no code for (withdrawn, or its permit revoked)")
    oss_label: str = Field(description="OSS's own name of the code, e.g. Disetujui")
    count: int = Field(description="Applications submitted in the period that hold the code now")


class OssReport(ApiOutput):
    from_: str = Field(alias="from", description="The first tenant-local day, YYYY-MM-DD")
    to: str = Field(description="The last tenant-local day, YYYY-MM-DD (included)")
    total: int = Field(description="Applications submitted in the period (of the type asked for)")
    rows: list[OssReportRow] = Field(description="By type code, then OSS code (those without one last)")


@api.route("/oss-report")
@api_scope("permits:read")
@operation("The applications of a period per permit type and OSS-RBA status code", query=OssReportQuery,
           response=OssReport, errors={400: "invalid_date, invalid_range, unknown_type, unknown_parameter or "
                                            "invalid_parameter (given twice)"},
           description="The report in OSS-RBA's vocabulary (issue 15.3): the applications submitted on the tenant-local "
                       "days from .. to, counted per permit type and the OSS status code each holds now (the code the "
                       "office last reported on its timeline), in one SQL statement.")
@_parameters("from", "to", "type")
def oss_report_api():
    from .views_oss import default_period

    query = g.api_query
    first, last = default_period(g.tenant)
    date_from, date_to = date_arg("from") or first, date_arg("to") or last   # 400 invalid_date
    if date_from > date_to:
        return api_error("invalid_range", "from: " + _("The first day is after the last day (to)."), 400)
    names = {t.code: t.name_id for t in permit_types(g.tenant)}
    if query.type and query.type not in names:
        return api_error("unknown_type", "type: " + _("No permit type '%(code)s' in this tenant.", code=query.type), 400)
    rows = [{**r, "type_name": names.get(r["type_code"], r["type_code"])}
            for r in oss.report(g.tenant, date_from, date_to, query.type or None)]
    return jsonify({"from": date_from.isoformat(), "to": date_to.isoformat(),
                    "total": sum(r["count"] for r in rows), "rows": rows})
