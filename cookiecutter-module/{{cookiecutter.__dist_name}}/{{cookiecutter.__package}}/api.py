"""The JSON API of {{ cookiecutter.title_en }}, served under /api/v1/{{ cookiecutter.module_name }}/ with a
token of the tenant (``Authorization: Bearer ...``); errors are ``{"error": {"code", "message"}}``."""
from flask import Blueprint, g, jsonify, request

from core.kit import api_error, api_scope, current_actor, unit_of_work

from . import services

api = Blueprint("{{ cookiecutter.module_name }}_api", __name__)
PATH = "/api/v1/{{ cookiecutter.module_name }}/entries"


def entry_json(entry) -> dict:
    return {"id": entry.id, "title": entry.title, "details": entry.details,
            "created_at": entry.created_at.isoformat()}


@api.route("/entries")
@api_scope("{{ cookiecutter.module_name }}:read")
def list_entries():
    return jsonify(entries=[entry_json(e) for e in services.list_entries(g.tenant)])


@api.route("/entries", methods=["POST"])
@api_scope("{{ cookiecutter.module_name }}:write")
def create_entry():
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or not isinstance(data.get("title"), str):
        return api_error("bad_request", "Send a JSON object with a string 'title'.", 400)
    # committed when the block ends; a PamongError is rolled back and answered as the API's error
    with unit_of_work(api=True):
        entry = services.create_entry(g.tenant, current_actor(), data["title"], str(data.get("details") or ""))
    return jsonify(entry_json(entry)), 201


# A gateway that signs what it posts (HMAC-SHA256 + timestamp + replay check) instead of a token;
# never @public, exempt from CSRF (docs/modules.md section 9):
#
#     from core.kit import load_json, module_settings, signed_webhook, tenant_secret
#
#     def secret_of(tenant):                  # a "secret": true setting (env:NAME only)
#         return tenant_secret(tenant, module_settings(tenant, "{{ cookiecutter.module_name }}")["secret"])
#
#     @api.route("/webhook", methods=["POST"])
#     @signed_webhook(secret_of)
#     def webhook():
#         data = load_json(g.webhook.body)
#
# A route a standard's clients call answers refusals in that standard's format:
# @api_scope("{{ cookiecutter.module_name }}:read", error_format=fhir_error) (or bpjs_error, or "route").


_ENTRY = {"type": "object", "properties": {
    "id": {"type": "integer"}, "title": {"type": "string"}, "details": {"type": "string"},
    "created_at": {"type": "string", "format": "date-time"},
}}
_ERROR = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}

OPENAPI_PATHS = {PATH: {
    "get": {
        "summary": "List the tenant's {{ cookiecutter.title_en }} entries, newest first",
        "security": [{"token": ["{{ cookiecutter.module_name }}:read"]}],
        "responses": {
            "200": {"description": "The entries", "content": {"application/json": {"schema": {
                "type": "object", "properties": {"entries": {"type": "array", "items": _ENTRY}}}}}},
            "401": {"description": "No valid token", **_ERROR},
        },
    },
    "post": {
        "summary": "Add an entry",
        "security": [{"token": ["{{ cookiecutter.module_name }}:write"]}],
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
