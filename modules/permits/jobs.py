"""The module's background work on the core's queue: the overdue sweep (sweep.py) and the
reconciliation alert (reconciliation.py)."""
from core.kit import periodic


@periodic({"minute": "*/15"})
def permits_overdue_sweep() -> dict:
    """Every fifteen minutes: fiktif positif approvals and escalation of overdue applications."""
    from .sweep import run_all

    return run_all()


@periodic({"minute": "40"})
def permits_reconciliation_alert() -> dict:
    """Every hour: each new disagreement between the permits' retribution and the ledger told once
    to the tenant's finance officers."""
    from .reconciliation import run_all

    return run_all()
