"""Writing an audit entry: in the caller's session, so it commits or rolls back with the change."""
from __future__ import annotations

from ..after_commit import after_commit
from ..extensions import db
from . import hooks
from .models import AuditEntry


def actor_fields(actor) -> tuple[int | None, str]:
    """An actor is a user, a string ("cli:root", "system", "token:ci"), a ``core.actor.Actor`` or
    None (anonymous)."""
    if hasattr(actor, "principal") and hasattr(actor, "kind"):  # an Actor: who it stands for
        actor = actor.principal
    if actor is None:
        return None, "anonymous"
    if isinstance(actor, str):
        return None, actor
    return getattr(actor, "id", None), getattr(actor, "email", None) or str(actor)


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def record(tenant, actor, action: str, obj_type: str, obj_id, before=None, after=None, **extra) -> AuditEntry:
    """Add an audit entry for ``tenant`` to the current transaction; a sealer chains it later."""
    actor_id, label = actor_fields(actor)
    summary = {}
    if before is not None:
        summary["before"] = _plain(before)
    if after is not None:
        summary["after"] = _plain(after)
    if extra:
        summary.update(_plain(extra))
    entry = AuditEntry(
        tenant_id=tenant if isinstance(tenant, int) else tenant.id,
        actor_id=actor_id, actor=label[:254], action=action, object_type=obj_type,
        object_id=str(obj_id)[:63], summary=summary,
    )
    db.session.add(entry)
    after_commit(db.session, hooks.KIND, [entry.tenant_id])  # the chain is sealed after the commit
    return entry
