"""API tokens on JSON endpoints: ``Authorization: Bearer <token>`` with a scope per endpoint."""
from __future__ import annotations

import functools

from flask import g, jsonify, request

from ..auth.service import token_for


def api_error(code: str, message: str, status: int):
    """The JSON error every API endpoint answers with: ``{"error": {"code", "message"}}``."""
    return jsonify(error={"code": code, "message": message}), status


def api_scope(scope: str):
    """The endpoint needs a token of the request's tenant carrying ``scope``."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            if getattr(g, "tenant", None) is None:
                return api_error("unknown_tenant", "No tenant at this address.", 404)
            header = request.headers.get("Authorization", "")
            token = header[7:].strip() if header.lower().startswith("bearer ") else request.args.get("api_key", "")
            row = token_for(g.tenant, token) if token else None
            if row is None:
                return api_error("unauthorized", "A valid API token of this tenant is required.", 401)
            if scope not in row.scopes:
                return api_error("insufficient_scope", f"The token lacks the scope '{scope}'.", 403)
            g.api_token = row
            return view(*args, **kwargs)

        wrapper._pamong_permission = f"api:{scope}"
        return wrapper

    return decorate
