"""The JSON API under /api/v1/remuneration/ (a token of the tenant, ``Authorization: Bearer ...``):
attendance machines post punches; finance reads a month. Errors: ``{"error": {"code", "message"}}``."""
from __future__ import annotations

from flask import Blueprint, g, jsonify

from core.kit import api_error, api_scope, current_actor, json_object, unit_of_work

from . import services
from .attendance import check_punches, store_punches

api = Blueprint("remuneration_api", __name__)
MAX_PUNCHES = 5000


@api.route("/punches", methods=["POST"])
@api_scope("remuneration:attendance")
def punches():
    """``{"punches": [{"nip", "timestamp", "kind"}, ...]}`` (the CSV's columns; ``line`` in errors is
    the item's position from 1) -> 201 ``{"added", "skipped"}``; every item checked before any is stored."""
    body = json_object()
    items = body.get("punches")
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        return api_error("bad_request", "Send {\"punches\": [{\"nip\", \"timestamp\", \"kind\"}, ...]}.", 400)
    if len(items) > MAX_PUNCHES:
        return api_error("too_many", f"At most {MAX_PUNCHES} punches a request.", 400)
    rows = [{"line": n, **{k: str(item.get(k) or "") for k in ("nip", "timestamp", "kind")}}
            for n, item in enumerate(items, start=1)]
    with unit_of_work(api=True):
        counts = store_punches(g.tenant, current_actor(), check_punches(g.tenant, rows), "machine")
    return jsonify(counts), 201


@api.route("/runs/<int:year>/<int:month>")
@api_scope("remuneration:read")
def run(year, month):
    found = services.get_run(g.tenant, year, month)
    if found is None:
        return api_error("not_found", f"{year}-{month:02d} has not been run.", 404)
    return jsonify(year=year, month=month, status=found.status, employees=found.total, amount=found.amount,
                   rules_from=found.rules_from.isoformat() if found.rules_from else None,
                   agencies=services.agency_table(g.tenant, found))


_ERROR = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
OPENAPI_PATHS = {
    "/api/v1/remuneration/punches": {"post": {
        "summary": "Attendance records from a machine (all checked before any is stored; repeats skipped)",
        "security": [{"token": ["remuneration:attendance"]}],
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "required": ["punches"], "properties": {"punches": {"type": "array", "items": {
                "type": "object", "required": ["nip", "timestamp", "kind"], "properties": {
                    "nip": {"type": "string"}, "timestamp": {"type": "string", "format": "date-time"},
                    "kind": {"enum": ["in", "out", "assembly"]}}}}}}}}},
        "responses": {
            "201": {"description": "{added, skipped}"},
            "400": {"description": "A bad item (the message names `line N: field`)", **_ERROR},
            "401": {"description": "No valid token", **_ERROR},
        },
    }},
    "/api/v1/remuneration/runs/{year}/{month}": {"get": {
        "summary": "A month's status, total and per-agency figures",
        "security": [{"token": ["remuneration:read"]}],
        "parameters": [{"name": "year", "in": "path", "required": True, "schema": {"type": "integer"}},
                       {"name": "month", "in": "path", "required": True, "schema": {"type": "integer"}}],
        "responses": {"200": {"description": "The month"}, "404": {"description": "Not run", **_ERROR}},
    }},
}
