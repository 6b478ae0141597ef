"""The JSON API of the permits module, under the tenant's ``/api/v1/permits/``:

- ``POST /payments/callback``: the payment provider's notice that an invoice was paid, signed per
  tenant (HMAC-SHA256 of ``"<timestamp>." + body`` with the tenant's ``payment_secret``, core
  ``signed_webhook``) and idempotent (``Idempotency-Key``, the provider's transaction id; the ledger
  transfer is keyed by the application too, so the same payment is recorded once). Body:
  ``{"payment_code": "900000000019", "amount": 1500000, "reference": "BANK-TRX-1"}`` (rupiah).
  Errors: 401 bad signature, 404 ``unknown_invoice`` (no such code in *this* tenant), 400
  ``amount_mismatch`` / ``not_invoiced`` / ``bad_request``.
- ``GET /applications/<reference>``: an application's status and OSS code (scope ``permits:read``).
"""
from __future__ import annotations

from flask import Blueprint, g, jsonify

from core.kit import (
    BadJson, api_error, api_scope, db, idempotent, load_json, module_settings, signed_webhook,
    tenant_scope, tenant_secret, unit_of_work, Actor,
)

from . import oss, payments
from .models import Application

api = Blueprint("permits_api", __name__)


def _secret(tenant):
    return tenant_secret(tenant, module_settings(tenant, "permits")["payment_secret"]) or None


@api.route("/payments/callback", methods=["POST"])
@signed_webhook(_secret)
@idempotent
def payment_callback():
    try:
        body = load_json(g.webhook.body)
    except BadJson:
        return api_error("bad_request", "The body is not JSON.", 400)
    if not isinstance(body, dict) or not isinstance(body.get("payment_code"), str) \
            or isinstance(body.get("amount"), bool) or not isinstance(body.get("amount"), int):
        return api_error("bad_request", "Send {\"payment_code\": str, \"amount\": int, \"reference\": str}.", 400)
    actor = Actor.system("webhook:payment", g.tenant)
    with unit_of_work(api=True):  # NotFound (unknown_invoice: not an invoice of *this* tenant) is a 404
        application = payments.record_payment(g.tenant, actor, body["payment_code"], body["amount"],
                                              str(body.get("reference") or "")[:100])
        result = {"reference": application.reference, "status": application.status,
                  "oss_code": oss.code_of(application)}
    return jsonify(result), 200


@api.route("/applications/<path:reference>")
@api_scope("permits:read")
def application(reference):
    with tenant_scope(g.tenant):
        found = db.session.execute(
            db.select(Application).where(Application.reference == reference)).scalar_one_or_none()
        if found is None:
            return api_error("not_found", "No such application.", 404)
        return jsonify(reference=found.reference, type=found.type_code, status=found.status,
                       oss_code=oss.code_of(found), due_at=found.due_at and found.due_at.isoformat(),
                       permit_number=found.permit_number, permit_status=found.permit_status or None)


_ERROR = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
OPENAPI_PATHS = {
    "/api/v1/permits/payments/callback": {"post": {
        "summary": "A payment provider reports an invoice paid (signed per tenant, idempotent)",
        "parameters": [{"name": h, "in": "header", "required": True, "schema": {"type": "string"}}
                       for h in ("X-Pamong-Signature", "X-Pamong-Timestamp", "Idempotency-Key")],
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "required": ["payment_code", "amount"],
            "properties": {"payment_code": {"type": "string"}, "amount": {"type": "integer"},
                           "reference": {"type": "string"}}}}}},
        "responses": {"200": {"description": "Recorded (or already recorded)"},
                      "400": {"description": "amount_mismatch, not_invoiced or bad_request", **_ERROR},
                      "401": {"description": "Bad signature", **_ERROR},
                      "404": {"description": "unknown_invoice", **_ERROR}},
    }},
    "/api/v1/permits/applications/{reference}": {"get": {
        "summary": "An application's status with its OSS-RBA code",
        "security": [{"token": ["permits:read"]}],
        "parameters": [{"name": "reference", "in": "path", "required": True, "schema": {"type": "string"}}],
        "responses": {"200": {"description": "The application"}, "404": {"description": "not_found", **_ERROR}},
    }},
}
