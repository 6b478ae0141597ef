"""The module's background work on the core's queue: the overdue sweep (sweep.py)."""
from core.kit import periodic


@periodic({"minute": "*/15"})
def permits_overdue_sweep() -> dict:
    """Every fifteen minutes: fiktif positif approvals and escalation of overdue applications."""
    from .sweep import run_all

    return run_all()
