"""Intake channels other than the web form: SMS (``LAPOR ...``) and the social-media / chat gateway.

SMS arrive through the core's signed inbound-SMS webhook, which calls ``sms_lapor``. The chat
gateway posts JSON to ``/api/v1/complaints/webhook/social`` signed with the tenant's own secret
(``chat_secret``; the kit's ``signed_webhook`` checks it, as it does the SMS webhook), and
``file_social`` files it.
"""
from __future__ import annotations

import secrets

from core.kit import ValidationError, clean_data, db, load_json, require_clean

from . import notifications, services
from .labels import gettext
from .settings import categories, default_category, settings_of, webhook_configured, webhook_secret

SMS_USAGE_MAX = 160


def _split_category(tenant, body: str, settings: dict) -> tuple[str, str]:
    """``"SAMPAH tumpukan di Jl. ..."`` names a category by its first word; else the default one."""
    words = body.split(None, 1)
    if words:
        for cat in categories(tenant, settings):
            if words[0].lower() in (cat.code.lower(), *(k.lower() for k in cat.keywords)):
                return cat.code, (words[1] if len(words) > 1 else "")
    return default_category(tenant, settings).code, body


def sms_lapor(tenant, sender: str, text: str) -> str:
    """``LAPOR [CATEGORY] description``: file a complaint for the sender; the reply carries the number."""
    parts = text.split(None, 1)
    body = parts[1].strip() if len(parts) > 1 else ""
    settings = settings_of(tenant)
    codes = ", ".join(c.code for c in categories(tenant, settings))
    if not body:
        return gettext("To file a complaint send: LAPOR <category> <description>. Categories: %(codes)s",
                       codes=codes)[:SMS_USAGE_MAX * 2]
    try:
        with db.session.begin_nested():
            code, description = _split_category(tenant, body, settings)
            complaint, key = services.file_complaint(
                tenant, None, services.Filing(category=code, description=description, phone=sender, notify_by="sms"),
                "sms", announce=False,
            )
    except ValidationError as exc:
        if exc.where == "description":
            return gettext("Please describe the problem after LAPOR (at least a few words).")
        if exc.code in ("no_categories", "unknown_agency"):
            return gettext("Complaints cannot be received by SMS at the moment.")
        return gettext("Your complaint could not be filed: %(reason)s", reason=exc.message)
    return gettext(
        "Complaint received: %(number)s. Access code: %(key)s. Track: %(url)s",
        number=complaint.number, key=key, url=notifications.tracking_url(tenant, complaint.number),
    )


def _text(data: dict, key: str, max_len: int = 500) -> str:
    value = data.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise ValidationError("must be text", where=key, code="invalid_field")
    return str(value)[:max_len]


def chat_secret(tenant) -> str | None:
    """The secret the chat gateway signs with; None when the tenant takes no chat messages. A
    secret named by the settings but no longer set answers exactly as a wrong signature would:
    checked against a random key, so no request can tell "missing" from "forged"."""
    settings = settings_of(tenant)
    if not webhook_configured(settings):
        return None
    return webhook_secret(tenant, settings) or secrets.token_hex(32)


def file_social(tenant, raw: bytes):
    """File a chat-gateway message whose signature was checked (``signed_webhook``). Returns
    (complaint, access key); ValidationError for bad JSON or fields (code "duplicate" for a
    replayed message id)."""
    settings = settings_of(tenant)
    # the body as signed; its text cleaned (core.text); BadJson (a ValidationError) when unreadable
    data = load_json(raw, cleaned=False)
    if not isinstance(data, dict):
        raise ValidationError("must be a JSON object", where="body", code="invalid_json")
    # an id identifies: one that is not clean text is refused, not changed (two ids must not merge)
    message_id = require_clean(_text(data, "message_id", 100).strip(), "message_id")
    data = clean_data(data)
    if not message_id:
        raise ValidationError("is required", where="message_id", code="required")
    sender = data.get("sender") or {}
    location = data.get("location") or {}
    if not isinstance(sender, dict) or not isinstance(location, dict):
        raise ValidationError("sender and location must be objects", where="body", code="invalid_field")
    text = _text(data, "text", 4000).strip()
    code = _text(data, "category", 32).strip()
    if not code:
        code, text = _split_category(tenant, text, settings)
    filing = services.Filing(
        category=code, description=text, name=_text(sender, "name", 200), phone=_text(sender, "phone", 32),
        email=_text(sender, "email", 254), address=_text(location, "address", 300),
        latitude=location.get("lat"), longitude=location.get("long"), village=_text(location, "village", 32),
        district=_text(location, "district", 32), source_ref=message_id,
        anonymous=data.get("anonymous") is True, confidential=data.get("confidential") is True,  # SP4N-LAPOR!
    )
    return services.file_complaint(tenant, f"webhook:{_text(data, 'channel', 30) or 'social'}", filing, "social")
