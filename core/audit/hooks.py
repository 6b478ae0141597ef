"""After a commit that wrote audit entries, queue the sealing of those tenants' chains
(``core.after_commit``: once the transaction has ended and given its connection back)."""
from flask import current_app

from ..after_commit import runs_after_commit

KIND = "audit_seal"  # items: the ids of the tenants a transaction wrote audit entries for


@runs_after_commit(KIND)
def _queue_seal(tenants: set) -> None:
    try:
        mode = current_app.config.get("PAMONG_AUDIT_SEAL", "queue")
    except RuntimeError:
        mode = "queue"
    if mode != "queue":
        return
    from ..jobs import seal_audit

    for tenant_id in sorted(tenants):
        seal_audit(tenant_id)
