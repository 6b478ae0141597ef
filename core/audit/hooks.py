"""After a commit that wrote audit entries, queue the sealing of those tenants' chains."""
from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session


@event.listens_for(Session, "after_commit")
def _queue_seal(session):
    tenants = session.info.pop("audited_tenants", None)
    if not tenants:
        return
    try:
        mode = current_app.config.get("PAMONG_AUDIT_SEAL", "queue")
    except RuntimeError:
        mode = "queue"
    if mode != "queue":
        return
    from ..jobs import seal_audit

    for tenant_id in sorted(tenants):
        seal_audit(tenant_id)


@event.listens_for(Session, "after_rollback")
def _forget(session):
    session.info.pop("audited_tenants", None)
