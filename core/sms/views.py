"""``POST /sms/inbound`` in a tenant's URL space (``/t/<slug>/sms/inbound`` or the tenant's host).

The SMS gateway calls it for every SMS it receives for the tenant's number. Authentication is a
per-tenant shared secret, read from the environment variable ``PAMONG_SMS_SECRET_<SLUG>`` (the slug
upper-cased, ``-`` as ``_``; e.g. ``PAMONG_SMS_SECRET_MAKASSAR``): kept out of the tenant's TOML so
that no secret lands in the repository. A tenant without the variable answers 404. The request
carries ``X-Pamong-Timestamp`` (Unix seconds) and ``X-Pamong-Signature: sha256=<hex>``, the
HMAC-SHA256 of ``"<timestamp>." + body`` (see ``signature.py``); older than five minutes, or a
signature already seen, is refused (a replay).

The body is JSON or a form, with the sender in ``from`` (or ``sender``, ``msisdn``, ``phone``) and
the text in ``text`` (or ``message``, ``body``). The answer is JSON: ``{"id", "status", "keyword",
"duplicate"}``; the reply SMS goes through the outbox. Errors: ``{"error": {"code", "message"}}``.
"""
from __future__ import annotations

import json
from urllib.parse import parse_qs

from flask import Blueprint, current_app, g, jsonify, request
from flask_limiter.util import get_remote_address
from sqlalchemy.exc import IntegrityError

from ..api.auth import api_error
from ..auth.permissions import public
from ..errors import ValidationError
from ..extensions import db, limiter
from .service import receive, sms_secret
from .signature import SIGNATURE_HEADER, TIMESTAMP_HEADER, SignatureError, verify

bp = Blueprint("sms", __name__)
MAX_BODY = 64 * 1024
SENDER_FIELDS = ("from", "sender", "msisdn", "phone")
TEXT_FIELDS = ("text", "message", "body")


def _rate_key() -> str:
    tenant = getattr(g, "tenant", None)
    return f"sms:{tenant.slug if tenant is not None else '-'}:{get_remote_address()}"


def parse_payload(raw: bytes, mimetype: str) -> tuple[str, str]:
    """(sender, text) from a JSON or form body; ValidationError naming the missing field."""
    try:
        if mimetype == "application/json":
            data = json.loads(raw.decode("utf-8"))
            if not isinstance(data, dict):
                raise ValueError("not an object")
        else:
            data = {k: v[0] for k, v in parse_qs(raw.decode("utf-8"), keep_blank_values=True).items()}
    except (UnicodeDecodeError, ValueError):
        raise ValidationError("is not a JSON object or a form", where="body", code="bad_request") from None
    sender = next((data[k] for k in SENDER_FIELDS if data.get(k)), None)
    text = next((data[k] for k in TEXT_FIELDS if k in data), None)
    if not isinstance(sender, (str, int)) or isinstance(sender, bool):
        raise ValidationError("is required", where="from", code="bad_request")
    if not isinstance(text, str):
        raise ValidationError("is required", where="text", code="bad_request")
    return str(sender), text


@bp.route("/sms/inbound", methods=["POST"])
@limiter.limit(lambda: current_app.config["PAMONG_SMS_RATE"], key_func=_rate_key)
@public
def inbound():
    tenant = g.tenant
    if tenant is None:
        return api_error("unknown_tenant", "No tenant at this address.", 404)
    secret = sms_secret(tenant)
    if not secret:
        return api_error("sms_disabled", "This tenant does not receive SMS.", 404)
    if (request.content_length or 0) > MAX_BODY:
        return api_error("too_large", "The request body is too large.", 413)
    raw = request.get_data(cache=True)
    if len(raw) > MAX_BODY:
        return api_error("too_large", "The request body is too large.", 413)
    try:
        digest = verify(secret, request.headers.get(TIMESTAMP_HEADER), request.headers.get(SIGNATURE_HEADER), raw)
    except SignatureError as exc:
        return api_error(exc.code, str(exc), 401)
    try:
        sender, text = parse_payload(raw, request.mimetype)
        result = receive(tenant, sender, text, digest)
        db.session.commit()
    except ValidationError as exc:
        db.session.rollback()
        return api_error(exc.code, str(exc), 400)
    except IntegrityError:  # the same request, twice at the same moment
        db.session.rollback()
        return jsonify(status="duplicate", duplicate=True), 200
    sms = result.sms
    return jsonify(id=sms.id, status=sms.status, keyword=sms.keyword, duplicate=result.duplicate), 200
