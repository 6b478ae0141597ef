"""Messages between tenants of one deployment (a city's official letter to its province), through
the outbox (DESIGN §6), keeping both isolation walls (DESIGN §4):

    from core.kit import tenant_post
    tenant_post.post(city, "sulsel", "eoffice.letter", {"subject": ..., ...}, ref="eoffice:letter:12")

``post`` writes an outbox row of channel ``tenant`` in the *sender's* transaction (recipient: the
receiving tenant's slug; subject: the event name; body: the payload as JSON, at most 8 MB). After
the commit the worker delivers it like an SMS, with the same claim, retries and sweep: the
``tenant`` provider offers the event to the *receiving* tenant's enabled modules (``handle_event``,
``event = {"name", "payload", "source": None, "from_tenant": {"id", "slug", "name"}, "message":
"<sender id>:<outbox id>"}``) inside the receiver's own tenant scope, as the system actor
``tenant-post:<sender slug>``, and commits the receiver's transaction.

- The sender's code never reads the receiver's rows and the receiver's handler never reads the
  sender's: only the payload crosses. The provider's reference (``provider_ref``) is what the
  accepting handler returned (a short text such as ``"received"``), never a row of the receiver.
- A module accepts by returning ``{"accepted": "<short text>"}``; if none does (the receiver has
  not enabled the module) the message fails permanently (``failed``, "not accepted").
- Delivery is at least once: a worker that dies between the receiver's commit and the outbox
  update delivers again, so a handler is idempotent on ``event["message"]``.

Errors of ``post``: ``ValidationError`` ``no_such_tenant`` (no tenant with that slug),
``same_tenant`` (a tenant posting to itself), ``too_large`` (the payload over 8 MB of JSON).
"""
from __future__ import annotations

import json

from ..errors import PamongError, ValidationError
from ..extensions import db
from .providers import DeliveryError, Outgoing

CHANNEL = "tenant"
MAX_BODY = 8_000_000


def receiver(slug: str):
    """The tenant a post to ``slug`` goes to, or ``ValidationError`` ``no_such_tenant``. Reads the
    deployment's tenant register only (not a tenant's own rows)."""
    from ..tenancy.models import Tenant

    slug = (slug or "").strip().lower()
    found = db.session.execute(db.select(Tenant).where(Tenant.slug == slug)).scalar_one_or_none() if slug else None
    if found is None:
        raise ValidationError(f"no tenant '{slug}' in this deployment", where="to", code="no_such_tenant")
    return found


def post(sender, to_slug: str, name: str, payload: dict, ref: str | None = None):
    """Queue ``payload`` for tenant ``to_slug`` (see the module docstring); returns the outbox row
    (its ``id`` and, later, its ``status``: pending, sent, failed)."""
    from .service import notify

    target = receiver(to_slug)
    if target.id == sender.id:
        raise ValidationError("a tenant does not post to itself", where="to", code="same_tenant")
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    if len(body) > MAX_BODY:
        raise ValidationError(f"the message is larger than {MAX_BODY} characters", where="payload", code="too_large")
    return notify(sender, CHANNEL, target.slug, body, subject=name, ref=ref)


def status(tenant, message_ids) -> dict[int, str]:
    """``{outbox id: "pending" | "sent" | "failed"}`` of ``tenant``'s own posts (the sender's view)."""
    from ..tenancy.scope import tenant_scope
    from .models import OutboxMessage

    ids = [int(i) for i in message_ids if i]
    if not ids:
        return {}
    with tenant_scope(tenant):
        rows = db.session.execute(db.select(OutboxMessage.id, OutboxMessage.status).where(
            OutboxMessage.id.in_(ids), OutboxMessage.channel == CHANNEL)).all()
    return {r.id: r.status for r in rows}


class TenantProvider:
    """Delivers channel ``tenant``: the receiving tenant's modules take the event in its scope."""

    name = "tenant"

    def __init__(self, config: dict):
        self.config = config

    def send(self, message: Outgoing) -> str | None:
        from flask import current_app

        from ..actor import Actor
        from ..tenancy.models import Tenant
        from ..tenancy.scope import tenant_scope

        sender = db.session.get(Tenant, message.tenant_id)
        try:
            target = receiver(message.to)
            payload = json.loads(message.body)
        except (ValidationError, ValueError) as exc:
            raise DeliveryError(f"cannot be delivered: {exc}", permanent=True) from None
        event = {"name": message.subject, "payload": payload, "source": None,
                 "from_tenant": {"id": sender.id, "slug": sender.slug, "name": sender.name},
                 "message": f"{sender.id}:{message.id}"}
        actor = Actor.system(f"tenant-post:{sender.slug}", target)
        manager = current_app.extensions["pamong"]
        try:
            with tenant_scope(target):
                answers = manager.collect(target, "handle_event", app=current_app._get_current_object(),
                                          tenant=target, actor=actor, event=event)
                accepted = [a["accepted"] for a in answers if isinstance(a, dict) and a.get("accepted")]
                if not accepted:
                    raise DeliveryError(f"not accepted by '{target.slug}' (no module of it takes '{message.subject}')",
                                        permanent=True)
                db.session.commit()
        except DeliveryError:
            db.session.rollback()
            raise
        except PamongError as exc:  # the receiver refused the content: retrying cannot help
            db.session.rollback()
            raise DeliveryError(f"refused by '{target.slug}': {exc.code}", permanent=True) from None
        except Exception:
            db.session.rollback()
            raise
        return str(accepted[0])[:100]
