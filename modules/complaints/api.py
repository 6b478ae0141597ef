"""The JSON API under ``/api/v1/complaints/`` (tenant API tokens with scopes), and the chat webhook.

Errors are ``{"error": {"code", "message"}}`` with a stable code. No answer carries the filer's
name, phone or e-mail.
"""
from __future__ import annotations

from flask import Blueprint, g, jsonify, request
from sqlalchemy.exc import IntegrityError

from core.kit import (
    NotFound, OrgUnit, PamongError, SignatureError, ValidationError, api_error, api_scope, db, public, utcnow,
)

from . import channels, queue, services, workflow
from .limits import intake_limit
from .models import aware
from .transparency import scrub

bp = Blueprint("complaints_api", __name__)


def _time(value):
    value = aware(value)
    return value.isoformat(timespec="seconds") if value else None


def represent(c, codes: dict[int, str], timeline: bool = False) -> dict:
    out = {
        "number": c.number, "status": c.status, "status_note": c.status_note, "category": c.category_code,
        "agency": codes.get(c.agency_id), "district": codes.get(c.district_id), "village": codes.get(c.village_id),
        "address": scrub(c.address), "lat": c.latitude, "long": c.longitude, "description": scrub(c.description),
        "channel": c.channel, "created_at": _time(c.created_at), "updated_at": _time(c.updated_at),
        "response_due_at": _time(c.response_due_at), "resolution_due_at": _time(c.resolution_due_at),
        "resolved_at": _time(c.resolved_at), "closed_at": _time(c.closed_at),
        "escalation_level": c.escalation_level, "overdue": c.due(utcnow()) or None, "photos": len(c.photos),
    }
    if timeline:
        out["timeline"] = [{
            "at": _time(e.at), "kind": e.kind, "from_status": e.from_status or None, "to_status": e.to_status or None,
            "agency": codes.get(e.agency_id), "note": scrub(e.note),
        } for e in c.events]
    return out


def _codes() -> dict[int, str]:
    return {u.id: u.code for u in db.session.execute(db.select(OrgUnit)).scalars()}


def _actor() -> str:
    return f"token:{g.api_token.name}"


def _fail(exc: PamongError):
    db.session.rollback()
    if isinstance(exc, SignatureError):
        return api_error(exc.code, str(exc), 401)
    if isinstance(exc, NotFound):
        return api_error(exc.code, str(exc), 404)
    if isinstance(exc, services.Forbidden):
        return api_error("forbidden", str(exc), 403)
    if exc.code == "duplicate":
        return api_error("replayed", str(exc), 409)
    return api_error(exc.code, str(exc), 400)


def _json() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ValidationError("send a JSON object (Content-Type: application/json)", where="body", code="invalid_json")
    return data


def _int(name: str, default: int) -> int:
    try:
        return int(request.args.get(name, default))
    except ValueError:
        raise ValidationError("must be a whole number", where=name, code="invalid_parameter") from None


@bp.route("/", methods=["GET"])
@api_scope("complaints:read")
def list_complaints():
    try:
        page = queue.search(
            g.tenant, status=request.args.get("status", "all"), category=request.args.get("category", ""),
            page=_int("page", 1), per_page=_int("per_page", 50),
        )
    except ValidationError as exc:
        return _fail(exc)
    codes = _codes()
    return jsonify(items=[represent(c, codes) for c in page.items], page=page.page, per_page=page.per_page,
                   has_next=page.has_next)


@bp.route("/<number>", methods=["GET"])
@api_scope("complaints:read")
def get_complaint(number: str):
    try:
        complaint = services.get_by_number(g.tenant, number)
    except NotFound as exc:
        return _fail(exc)
    return jsonify(represent(complaint, _codes(), timeline=True))


@bp.route("/", methods=["POST"])
@api_scope("complaints:write")
def create_complaint():
    try:
        data = _json()
        filing = services.Filing(
            category=str(data.get("category", "")), description=str(data.get("description", "")),
            district=str(data.get("district", "")), village=str(data.get("village", "")),
            address=str(data.get("address", "")), latitude=data.get("lat"), longitude=data.get("long"),
            name=str(data.get("name", "")), phone=str(data.get("phone", "")), email=str(data.get("email", "")),
            notify_by=str(data.get("notify_by", "")),
        )
        complaint, key = services.file_complaint(g.tenant, _actor(), filing, "api")
        db.session.commit()
    except PamongError as exc:
        return _fail(exc)
    body = represent(complaint, _codes())
    body["access_code"] = key
    return jsonify(body), 201


@bp.route("/<number>/status", methods=["POST"])
@api_scope("complaints:write")
def change_status(number: str):
    try:
        data = _json()
        complaint = services.get_by_number(g.tenant, number)
        workflow.transition(g.tenant, _actor(), complaint, str(data.get("status", "")), note=str(data.get("note", "")))
        db.session.commit()
    except PamongError as exc:
        return _fail(exc)
    return jsonify(represent(complaint, _codes(), timeline=True))


@bp.route("/<number>/reroute", methods=["POST"])
@api_scope("complaints:write")
def reroute(number: str):
    try:
        data = _json()
        complaint = services.get_by_number(g.tenant, number)
        workflow.reroute(g.tenant, _actor(), complaint, str(data.get("agency", "")), str(data.get("reason", "")))
        db.session.commit()
    except PamongError as exc:
        return _fail(exc)
    return jsonify(represent(complaint, _codes(), timeline=True))


@bp.route("/webhook/social", methods=["POST"])
@intake_limit()
@public  # authenticated by the HMAC signature of the tenant's webhook secret, not by a session
def social_webhook():
    if g.tenant is None:
        return api_error("unknown_tenant", "No tenant at this address.", 404)
    raw = request.get_data(cache=False)
    if len(raw) > 64 * 1024:
        return api_error("too_large", "The request body is too large.", 413)
    try:
        complaint, _key = channels.receive_social(
            g.tenant, raw, request.headers.get("X-Pamong-Timestamp"), request.headers.get("X-Pamong-Signature")
        )
        db.session.commit()
    except PamongError as exc:
        return _fail(exc)
    except IntegrityError:  # the same message id arrived twice at once
        db.session.rollback()
        return api_error("replayed", "this message was already received", 409)
    return jsonify(number=complaint.number, status=complaint.status), 201


NUMBER = {"name": "number", "in": "path", "required": True, "schema": {"type": "string"},
          "description": "The tracking number, e.g. MKS-2026-000123"}
ERROR = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _op(summary: str, scope: str | None, ok: str, body: dict | None = None, params: list | None = None) -> dict:
    op = {"summary": summary, "tags": ["complaints"], "responses": {
        ok: {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}},
        "400": {"description": "Bad input", **ERROR}, "404": {"description": "Not found", **ERROR},
    }}
    if scope:
        op["security"] = [{"token": [scope]}]
        op["responses"]["401"] = {"description": "No valid token of this tenant", **ERROR}
        op["responses"]["403"] = {"description": "The token lacks the scope", **ERROR}
    if body:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "properties": {k: {"type": t} for k, t in body.items()}}}}}
    if params:
        op["parameters"] = params
    return op


def _query(name: str, kind: str = "string") -> dict:
    return {"name": name, "in": "query", "required": False, "schema": {"type": kind}}


FILING = {"category": "string", "description": "string", "district": "string", "village": "string",
          "address": "string", "lat": "number", "long": "number", "name": "string", "phone": "string",
          "email": "string", "notify_by": "string"}
OPENAPI_PATHS = {
    "/api/v1/complaints/": {
        "get": _op("List complaints", "complaints:read", "200", params=[
            _query("status"), _query("category"), _query("page", "integer"), _query("per_page", "integer")]),
        "post": _op("File a complaint (the answer carries its access code, once)", "complaints:write", "201",
                    body=FILING),
    },
    "/api/v1/complaints/{number}": {
        "parameters": [NUMBER],
        "get": _op("One complaint with its timeline", "complaints:read", "200"),
    },
    "/api/v1/complaints/{number}/status": {
        "parameters": [NUMBER],
        "post": _op("Move a complaint to another status", "complaints:write", "200",
                    body={"status": "string", "note": "string"}),
    },
    "/api/v1/complaints/{number}/reroute": {
        "parameters": [NUMBER],
        "post": _op("Forward a complaint to another agency", "complaints:write", "200",
                    body={"agency": "string", "reason": "string"}),
    },
    "/api/v1/complaints/webhook/social": {
        "post": {
            **_op("A chat-gateway message, signed with the tenant's webhook secret: X-Pamong-Timestamp "
                  "(Unix seconds) and X-Pamong-Signature (sha256=HMAC-SHA256 of '<timestamp>.' + body)", None, "201",
                  body={"message_id": "string", "channel": "string", "text": "string", "category": "string",
                        "sender": "object", "location": "object"}),
            "responses": {
                "201": {"description": "Filed: {number, status}"}, "400": {"description": "Bad input", **ERROR},
                "401": {"description": "Missing, forged or stale signature", **ERROR},
                "404": {"description": "The tenant has no webhook secret", **ERROR},
                "409": {"description": "This message_id was already received", **ERROR},
            },
            "parameters": [
                {"name": "X-Pamong-Timestamp", "in": "header", "required": True, "schema": {"type": "string"}},
                {"name": "X-Pamong-Signature", "in": "header", "required": True, "schema": {"type": "string"}},
            ],
        },
    },
}
