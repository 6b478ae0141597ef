"""Inbound SMS (DESIGN §6): keep the gateway's request first (``store``, committed on its own, so
that no later failure loses the message), then process it (``handle``): read the body, route it by
its first word to the module that registered the keyword (``sms_keywords()``; only modules the
tenant has enabled), and queue the reply in the outbox. A message whose processing failed stays
``failed`` with its error and is processed again by ``pamong sms reprocess`` (``reprocessable``).

A handler is called as ``handler(tenant, sender, text)``: ``sender`` in E.164 (``+62...``), ``text``
the whole message as received (keyword included, surrounding spaces trimmed). It returns the reply
(a string, or None for no reply). It runs in a savepoint of the webhook's transaction: if it raises,
its writes are undone; a ``PamongError`` (e.g. ValidationError) becomes the reply, anything else a
generic apology. A message whose keyword no enabled module answers gets the list of keywords.
"""
from __future__ import annotations

import base64
import json
import logging
import os
import re
from dataclasses import dataclass
from urllib.parse import parse_qs

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from ..crypto import keyed_hash
from ..errors import PamongError, ValidationError
from ..extensions import db
from ..notify import notify
from ..tenancy.scope import tenant_scope
from ..text import clean, load_json
from .models import ERROR, FAILED, HANDLED, RECEIVED, REJECTED, UNKNOWN, InboundSms
from .phone import normalise_phone

log = logging.getLogger("pamong.sms")
MAX_TEXT = 1600


def secret_setting(slug: str) -> str:
    """The environment variable holding a tenant's webhook secret: ``PAMONG_SMS_SECRET_<SLUG>``."""
    return "PAMONG_SMS_SECRET_" + re.sub(r"[^A-Z0-9]", "_", slug.upper())


def sms_secret(tenant) -> str | None:
    """The tenant's shared webhook secret, or None (the tenant takes no inbound SMS)."""
    return os.environ.get(secret_setting(tenant.slug)) or None


def keyword_handlers(tenant) -> dict[str, tuple[str, object]]:
    """{KEYWORD: (module, handler)} of the modules ``tenant`` has enabled, in ``requires`` order;
    when two modules claim a keyword the first keeps it."""
    from flask import current_app

    from ..modules import manager

    table: dict[str, tuple[str, object]] = {}
    with tenant_scope(tenant):
        answers = manager().each(tenant, "sms_keywords", app=current_app._get_current_object(), tenant=tenant)
    for name, keywords in answers:
        for keyword, handler in (keywords or {}).items():
            key = str(keyword).strip().upper()
            if key in table:
                log.warning("SMS keyword %s of module %s is already taken by %s", key, name, table[key][0])
                continue
            table[key] = (name, handler)
    return table


@dataclass
class Received:
    sms: InboundSms
    reply: str | None
    duplicate: bool = False


def encode_payload(raw: bytes, content_type: str) -> str:
    """The gateway's request as text for the ``payload`` column, exactly reversible by
    ``decode_payload``: JSON ``{"content_type", "body"}`` for a UTF-8 body, ``{"content_type",
    "body_base64"}`` for any other bytes."""
    try:
        body = {"body": raw.decode("utf-8")}
    except UnicodeDecodeError:
        body = {"body_base64": base64.b64encode(raw).decode("ascii")}
    return json.dumps({"content_type": content_type or "", **body})  # ASCII: lone surrogates escaped


def decode_payload(payload: str) -> tuple[bytes, str]:
    """(body bytes, content type) of a stored ``payload``."""
    data = json.loads(payload)
    raw = base64.b64decode(data["body_base64"]) if "body_base64" in data else data["body"].encode("utf-8")
    return raw, data.get("content_type") or ""


def store(tenant, raw: bytes, content_type: str, signature: str) -> tuple[InboundSms, bool]:
    """Keep the gateway's request before anything else can fail; the caller commits at once.

    Returns (row, duplicate): a signature already stored is a replay and returns that row. Nothing
    of the body is read here, so no body can make this fail; ``handle`` processes the row after.
    """
    with tenant_scope(tenant):
        seen = db.session.execute(
            select(InboundSms).where(InboundSms.signature == signature)
        ).scalar_one_or_none()
        if seen is not None:
            return seen, True
        sms = InboundSms(sender="", sender_hash="", text="", keyword="", status=RECEIVED, signature=signature,
                         payload=encode_payload(raw, content_type))
        db.session.add(sms)
        db.session.flush()
    return sms, False


@dataclass
class Outcome:
    """What became of a stored SMS: ``status`` (handled/unknown/rejected/error/failed), the row's id
    and keyword, and for a rejected one the ``ValidationError``."""

    id: int
    status: str
    keyword: str
    error: ValidationError | None = None


def handle(tenant, sms_id: int) -> Outcome:
    """Process a stored SMS (new, or again after a failure) and commit.

    A body that cannot be read or names no valid sender leaves the row ``rejected`` with the reason
    (the gateway gets a 400); a failure of anything else (a bug, the database) leaves it ``failed``
    with the error, to be processed again (``pamong sms reprocess``). Never raises for the body.
    """
    try:
        with tenant_scope(tenant):
            sms = db.session.get(InboundSms, sms_id)
            raw, content_type = decode_payload(sms.payload)
            sender, text = parse_payload(raw, content_type)
            sms.error = None
            process(tenant, sms, sender, text)
            outcome = Outcome(sms.id, sms.status, sms.keyword)
        db.session.commit()
        return outcome
    except ValidationError as exc:
        db.session.rollback()
        return _mark(tenant, sms_id, REJECTED, str(exc), exc)
    except Exception as exc:  # noqa: BLE001 - the message is kept; the error is recorded for a retry
        db.session.rollback()
        log.exception("inbound SMS #%s could not be processed", sms_id)
        return _mark(tenant, sms_id, FAILED, f"{type(exc).__name__}: {exc}")


def _mark(tenant, sms_id: int, status: str, error: str, exc=None) -> Outcome:
    with tenant_scope(tenant):
        sms = db.session.get(InboundSms, sms_id)
        sms.status, sms.error = status, clean(error)[:500]
        outcome = Outcome(sms.id, sms.status, sms.keyword, exc)
    db.session.commit()
    return outcome


def reprocessable(tenant) -> list[int]:
    """Ids of the tenant's stored SMS not (successfully) processed: received, failed, or whose
    module's handler failed (error), oldest first; rows from before payloads were kept are skipped."""
    with tenant_scope(tenant):
        return list(db.session.execute(
            select(InboundSms.id).where(InboundSms.status.in_((RECEIVED, FAILED, ERROR)),
                                        InboundSms.payload.is_not(None)).order_by(InboundSms.id)
        ).scalars())


SENDER_FIELDS = ("from", "sender", "msisdn", "phone")
TEXT_FIELDS = ("text", "message", "body")


def parse_payload(raw: bytes, mimetype: str) -> tuple[str, str]:
    """(sender, text) from a JSON or form body, text cleaned (``core.text``); ValidationError
    naming what is wrong (code ``bad_request``, or the ``BadJson`` code of an unreadable JSON body)."""
    if mimetype == "application/json":
        data = load_json(raw)
        if not isinstance(data, dict):
            raise ValidationError("is not a JSON object or a form", where="body", code="bad_request")
    else:
        try:
            pairs = parse_qs(raw.decode("utf-8"), keep_blank_values=True, max_num_fields=100)
        except (UnicodeDecodeError, ValueError):
            raise ValidationError("is not a JSON object or a form", where="body", code="bad_request") from None
        data = {clean(k): clean(v[0]) for k, v in pairs.items()}
    sender = next((data[k] for k in SENDER_FIELDS if data.get(k)), None)
    text = next((data[k] for k in TEXT_FIELDS if k in data), None)
    if not isinstance(sender, (str, int)) or isinstance(sender, bool):
        raise ValidationError("is required", where="from", code="bad_request")
    if not isinstance(text, str):
        raise ValidationError("is required", where="text", code="bad_request")
    return str(sender), text


def process(tenant, sms: InboundSms, sender: str, text: str) -> Received:
    """Route and answer a stored SMS in the current transaction (the caller commits)."""
    sender = normalise_phone(sender, where="sender")
    text = clean(text or "").strip()[:MAX_TEXT]
    with tenant_scope(tenant):
        words = text.split(None, 1)
        sms.sender, sms.sender_hash, sms.text = sender, keyed_hash(sender), text
        sms.keyword = words[0].upper()[:32] if words else ""
        db.session.flush()
        handlers = keyword_handlers(tenant)
        with force_locale(tenant.default_locale):
            reply = _route(tenant, sms, sender, text, handlers)
        if reply:
            message = notify(tenant, "sms", sender, reply[:MAX_TEXT], ref=f"sms:{sms.id}")
            sms.reply_id = message.id
        db.session.flush()
    return Received(sms, reply)


def _route(tenant, sms: InboundSms, sender: str, text: str, handlers: dict) -> str | None:
    if sms.keyword not in handlers:
        from flask import current_app

        from ..modules import manager

        sms.status = UNKNOWN
        # firstresult: an enabled module's answer replaces the core's list of keywords (trylast)
        return manager().for_tenant(tenant).sms_unmatched(
            app=current_app._get_current_object(), tenant=tenant, sender=sender, text=text,
            keywords=sorted(handlers))
    module, handler = handlers[sms.keyword]
    sms.module = module
    try:
        with db.session.begin_nested():
            reply = handler(tenant, sender, text)
    except PamongError as exc:
        sms.status = REJECTED
        return exc.message
    except Exception as exc:  # noqa: BLE001 - a module's bug must not lose the message or leak details
        log.exception("SMS handler of module %s failed on inbound SMS #%s", module, sms.id)
        sms.status = ERROR
        sms.error = clean(f"{module}: {type(exc).__name__}: {exc}")[:500]
        return _("Sorry, your message could not be processed. Please try again later.")
    sms.status = HANDLED
    return str(reply) if reply else None
