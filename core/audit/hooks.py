"""After a commit that wrote audit entries, queue the sealing of those tenants' chains.

The tenants are noted at commit and queued once the transaction has ended and given its
connection back to the pool: a sealer run at once (Huey's immediate mode, tests) then never
needs a second connection while the first is still held, which with many concurrent writers
could exhaust the pool.
"""
from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

_DUE = "audit_seal_due"


@event.listens_for(Session, "after_commit")
def _note_sealing(session):
    tenants = session.info.pop("audited_tenants", None)
    if tenants:
        session.info.setdefault(_DUE, set()).update(tenants)


@event.listens_for(Session, "after_transaction_end")
def _queue_seal(session, transaction):
    if transaction.parent is not None or transaction.nested:
        return
    tenants = session.info.pop(_DUE, None)
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
