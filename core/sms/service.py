"""Inbound SMS (DESIGN §6): store it, route it by its first word to the module that registered the
keyword (``sms_keywords()``; only modules the tenant has enabled), and queue the reply in the outbox.

A handler is called as ``handler(tenant, sender, text)``: ``sender`` in E.164 (``+62...``), ``text``
the whole message as received (keyword included, surrounding spaces trimmed). It returns the reply
(a string, or None for no reply). It runs in a savepoint of the webhook's transaction: if it raises,
its writes are undone; a ``PamongError`` (e.g. ValidationError) becomes the reply, anything else a
generic apology. A message whose keyword no enabled module answers gets the list of keywords.
"""
from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from ..crypto import keyed_hash
from ..errors import PamongError
from ..extensions import db
from ..notify import notify
from ..tenancy.models import TenantModule
from ..tenancy.scope import tenant_scope
from .models import ERROR, HANDLED, REJECTED, UNKNOWN, InboundSms
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
    from ..modules import manager

    mgr = manager()
    with tenant_scope(tenant):
        enabled = set(db.session.execute(
            select(TenantModule.module).where(TenantModule.enabled.is_(True))
        ).scalars())
    table: dict[str, tuple[str, object]] = {}
    for name in mgr.modules:
        if name not in enabled:
            continue
        for keyword, handler in (mgr.call_module(name, "sms_keywords") or {}).items():
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


def receive(tenant, sender: str, text: str, signature: str) -> Received:
    """Store, route and answer one inbound SMS in the current transaction (the caller commits)."""
    sender = normalise_phone(sender, where="sender")
    text = (text or "").strip()[:MAX_TEXT]
    with tenant_scope(tenant):
        seen = db.session.execute(
            select(InboundSms).where(InboundSms.signature == signature)
        ).scalar_one_or_none()
        if seen is not None:
            return Received(seen, None, duplicate=True)
        words = text.split(None, 1)
        keyword = words[0].upper()[:32] if words else ""
        sms = InboundSms(sender=sender, sender_hash=keyed_hash(sender), text=text, keyword=keyword,
                         signature=signature)
        db.session.add(sms)
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
        sms.status = UNKNOWN
        if not handlers:
            return _("This number does not answer SMS messages.")
        return _("Unknown keyword. Start your message with one of: %(keywords)s",
                 keywords=", ".join(sorted(handlers)))
    module, handler = handlers[sms.keyword]
    sms.module = module
    try:
        with db.session.begin_nested():
            reply = handler(tenant, sender, text)
    except PamongError as exc:
        sms.status = REJECTED
        return exc.message
    except Exception:  # noqa: BLE001 - a module's bug must not lose the message or leak details
        log.exception("SMS handler of module %s failed on inbound SMS #%s", module, sms.id)
        sms.status = ERROR
        return _("Sorry, your message could not be processed. Please try again later.")
    sms.status = HANDLED
    return str(reply) if reply else None
