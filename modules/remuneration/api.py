"""The JSON API of Remuneration (TPP), served under /api/v1/remuneration/ with a
token of the tenant (``Authorization: Bearer ...``); errors are ``{"error": {"code", "message"}}``."""
from flask import Blueprint, g, jsonify, request

from core.kit import api_error, api_scope, current_actor, unit_of_work

from . import services

api = Blueprint("remuneration_api", __name__)
PATH = "/api/v1/remuneration/entries"


def entry_json(entry) -> dict:
    return {"id": entry.id, "title": entry.title, "details": entry.details,
            "created_at": entry.created_at.isoformat()}


@api.route("/entries")
@api_scope("remuneration:read")
def list_entries():
    return jsonify(entries=[entry_json(e) for e in services.list_entries(g.tenant)])


@api.route("/entries", methods=["POST"])
@api_scope("remuneration:write")
def create_entry():
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or not isinstance(data.get("title"), str):
        return api_error("bad_request", "Send a JSON object with a string 'title'.", 400)
    # committed when the block ends; a PamongError is rolled back and answered as the API's error
    with unit_of_work(api=True):
        entry = services.create_entry(g.tenant, current_actor(), data["title"], str(data.get("details") or ""))
    return jsonify(entry_json(entry)), 201


_ENTRY = {"type": "object", "properties": {
    "id": {"type": "integer"}, "title": {"type": "string"}, "details": {"type": "string"},
    "created_at": {"type": "string", "format": "date-time"},
}}
_ERROR = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}

OPENAPI_PATHS = {PATH: {
    "get": {
        "summary": "List the tenant's Remuneration (TPP) entries, newest first",
        "security": [{"token": ["remuneration:read"]}],
        "responses": {
            "200": {"description": "The entries", "content": {"application/json": {"schema": {
                "type": "object", "properties": {"entries": {"type": "array", "items": _ENTRY}}}}}},
            "401": {"description": "No valid token", **_ERROR},
        },
    },
    "post": {
        "summary": "Add an entry",
        "security": [{"token": ["remuneration:write"]}],
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "required": ["title"],
            "properties": {"title": {"type": "string"}, "details": {"type": "string"}}}}}},
        "responses": {
            "201": {"description": "The new entry", "content": {"application/json": {"schema": _ENTRY}}},
            "400": {"description": "Invalid entry (code bad_request or validation_error)", **_ERROR},
            "401": {"description": "No valid token", **_ERROR},
        },
    },
}}
