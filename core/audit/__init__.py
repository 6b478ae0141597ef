"""The audit trail (DESIGN §5): written with the change, append-only, sealed into a hash chain."""
from .chain import seal_all, seal_tenant, verify_tenant
from .models import AuditEntry
from .record import record
from . import hooks  # noqa: F401  (queues sealing after commit)

__all__ = ["AuditEntry", "record", "seal_tenant", "seal_all", "verify_tenant"]
