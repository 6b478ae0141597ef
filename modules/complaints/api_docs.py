"""The OpenAPI description of the module's JSON API (``api.py``), served by the core's document."""
from __future__ import annotations

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
          "email": "string", "notify_by": "string", "anonymous": "boolean", "confidential": "boolean",
          "photos": "array"}
FILER = {"access_code": "string"}
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
        "post": _op("Move a complaint to another status; to close an open one without a fix give outcome "
                    "(not_responsible, duplicate, unable, withdrawn) and a note", "complaints:write", "200",
                    body={"status": "string", "note": "string", "outcome": "string"}),
    },
    "/api/v1/complaints/{number}/reopen": {
        "parameters": [NUMBER],
        "post": _op("The filer reopens a resolved complaint within the tenant's reopen_days (error cannot_reopen "
                    "after that)", "complaints:write", "200", body={**FILER, "reason": "string"}),
    },
    "/api/v1/complaints/{number}/confirm": {
        "parameters": [NUMBER],
        "post": _op("The filer confirms a resolved complaint is fixed: it closes", "complaints:write", "200",
                    body=FILER),
    },
    "/api/v1/complaints/{number}/info": {
        "parameters": [NUMBER],
        "post": _op("The filer adds information or photos (base64) to an open complaint", "complaints:write", "200",
                    body={**FILER, "text": "string", "photos": "array"}),
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
                "401": {"description": "Missing, forged or stale signature (also when the secret the "
                                       "tenant's settings name is not set: the same answer)", **ERROR},
                "404": {"description": "The tenant has switched the chat webhook off (no webhook_secret)", **ERROR},
                "409": {"description": "This message_id was already received", **ERROR},
            },
            "parameters": [
                {"name": "X-Pamong-Timestamp", "in": "header", "required": True, "schema": {"type": "string"}},
                {"name": "X-Pamong-Signature", "in": "header", "required": True, "schema": {"type": "string"}},
            ],
        },
    },
}
