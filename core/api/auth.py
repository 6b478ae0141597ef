"""API tokens on JSON endpoints: ``Authorization: Bearer <token>`` with a scope per endpoint.

``api_scope`` answers a refused request in Pamong's JSON (``{"error": {"code", "message"}}``) or,
with ``error_format``, in a standard's own (Open311 ``<errors>``, a BPJS ``metadata`` envelope, a
FHIR ``OperationOutcome``): a renderer ``(status, code, message) -> Response``, or ``"route"`` for
the format the ``error_formats`` hook declares for the route's path. Either way the route is
protected by the token, never ``@public``.
"""
from __future__ import annotations

import functools

from flask import g, jsonify, request
from flask_babel import gettext as _

from ..auth.service import token_for


def api_error(code: str, message: str, status: int):
    """The JSON error every API endpoint answers with: ``{"error": {"code", "message"}}``."""
    return jsonify(error={"code": code, "message": message}), status


def refusal(status: int, code: str, message: str):
    """An HTTPException carrying ``pamong_code``/``pamong_message``: raised, it is answered in the
    route's own format (``core/http_errors.py``, the ``error_formats`` hook)."""
    from werkzeug.exceptions import default_exceptions

    exc = default_exceptions[status]()
    exc.pamong_code, exc.pamong_message = code, message
    return exc


def _token() -> str:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    key = request.args.get("api_key", "")
    if not key and request.method == "POST" and request.mimetype in (
            "application/x-www-form-urlencoded", "multipart/form-data"):
        key = request.form.get("api_key", "")  # Open311 sends it with the form
    return key.strip() if isinstance(key, str) else ""


def api_scope(scope: str, error_format=None, unauthorized_status: int = 401, message: str | None = None):
    """The endpoint needs a token of the request's tenant carrying ``scope``.

    The token comes from ``Authorization: Bearer``, else the ``api_key`` parameter (query, or a
    POSTed form). Refusals: no tenant 404 ``unknown_tenant``; no or unknown token
    ``unauthorized_status`` (401) ``unauthorized``; a token without the scope 403
    ``insufficient_scope``; ``message`` replaces the refusal's message (e.g. the standard's wording).
    ``error_format``: None (Pamong's JSON), ``"route"`` (the path's format) or a renderer
    ``(status, code, message) -> Response``. The view finds the token in ``g.api_token``
    (``core.kit.current_actor()`` is it).
    """

    def refuse(status: int, code: str, text: str):
        text = str(message or text)  # a lazy message said now: every renderer gets text
        if error_format is None:
            return api_error(code, text, status)
        if error_format == "route":
            raise refusal(status, code, text)
        return error_format(status, code, text)

    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            if getattr(g, "tenant", None) is None:
                return refuse(404, "unknown_tenant", _("No tenant at this address."))
            token = _token()
            row = token_for(g.tenant, token) if token else None
            if row is None:
                return refuse(unauthorized_status, "unauthorized", _("A valid API token of this tenant is required."))
            if scope not in row.scopes:
                return refuse(403, "insufficient_scope", _("The token lacks the scope '%(scope)s'.", scope=scope))
            g.api_token = row
            return view(*args, **kwargs)

        wrapper._pamong_permission = f"api:{scope}"
        from ..auth.permissions import csrf_exempt

        return csrf_exempt(wrapper)  # the token, not the session cookie, is the proof

    return decorate
