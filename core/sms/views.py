"""``POST /sms/inbound`` in a tenant's URL space (``/t/<slug>/sms/inbound`` or the tenant's host).

The SMS gateway calls it for every SMS it receives for the tenant's number. Authentication is a
per-tenant shared secret, read from the environment variable ``PAMONG_SMS_SECRET_<SLUG>`` (the slug
upper-cased, ``-`` as ``_``; e.g. ``PAMONG_SMS_SECRET_MAKASSAR``): kept out of the tenant's TOML so
that no secret lands in the repository. A tenant without the variable answers 404. The request
carries ``X-Pamong-Timestamp`` (Unix seconds) and ``X-Pamong-Signature: sha256=<hex>``, the
HMAC-SHA256 of ``"<timestamp>." + body`` (``core/webhooks.py``, ``signed_webhook``); older than five minutes, or a
signature already seen, is refused (a replay). A signed request is stored as it came, in its own
commit, before its body is read: a body that cannot be read is 400 (and kept, ``rejected``); a
failure while processing it answers 202 ``{"status": "failed"}`` and keeps it for
``pamong sms reprocess``.

The body is JSON or a form, with the sender in ``from`` (or ``sender``, ``msisdn``, ``phone``) and
the text in ``text`` (or ``message``, ``body``). The answer is JSON: ``{"id", "status", "keyword",
"duplicate"}``; the reply SMS goes through the outbox. Errors: ``{"error": {"code", "message"}}``.
"""
from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify, request
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from sqlalchemy.exc import IntegrityError

from ..api.auth import api_error
from ..extensions import db, limiter
from ..webhooks import signed_webhook
from .models import FAILED
from .service import handle, sms_secret, store

bp = Blueprint("sms", __name__)
MAX_BODY = 64 * 1024


def _rate_key() -> str:
    tenant = getattr(g, "tenant", None)
    return f"sms:{tenant.slug if tenant is not None else '-'}:{get_remote_address()}"


@bp.route("/sms/inbound", methods=["POST"])
@limiter.limit(lambda: current_app.config["PAMONG_SMS_RATE"], key_func=_rate_key)
@signed_webhook(sms_secret, max_body=MAX_BODY,
                missing_secret=("sms_disabled", _l("This tenant does not receive SMS.")))
def inbound():
    tenant, raw, digest = g.tenant, g.webhook.body, g.webhook.digest  # a replay: the digest is stored
    try:  # kept before anything can fail (its own commit), then processed
        sms, duplicate = store(tenant, raw, request.mimetype, digest)
        db.session.commit()
    except IntegrityError:  # the same request, twice at the same moment
        db.session.rollback()
        return jsonify(status="duplicate", duplicate=True), 200
    if duplicate:
        return jsonify(id=sms.id, status=sms.status, keyword=sms.keyword, duplicate=True), 200
    outcome = handle(tenant, sms.id)
    if outcome.error is not None:  # the body: 400 naming what is wrong; the message stays stored
        return api_error(outcome.error.code, str(outcome.error), 400)
    # failed: kept with its error for `pamong sms reprocess`; accepted, so the gateway does not resend
    code = 202 if outcome.status == FAILED else 200
    return jsonify(id=outcome.id, status=outcome.status, keyword=outcome.keyword, duplicate=False), code
