"""Domain events between modules (DESIGN §2): a module publishes, others react through the
``handle_event`` hook, in the same transaction, without importing each other."""
from __future__ import annotations

from flask import current_app


def publish(tenant, actor, name: str, payload: dict | None = None, source: str | None = None) -> list:
    """Offer ``{"name", "payload", "source"}`` to every module ``tenant`` has enabled (except its
    source); returns what the handlers returned. A handler's exception aborts the transaction."""
    manager = current_app.extensions["pamong"]
    event = {"name": name, "payload": dict(payload or {}), "source": source}
    # pluggy's own call, without the modules the tenant has not enabled and without the source
    return manager.collect(tenant, "handle_event", exclude={source} if source else (),
                           app=current_app._get_current_object(), tenant=tenant, actor=actor, event=event)
