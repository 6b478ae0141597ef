"""The module's background work on the core's queue: the SLA sweep (escalation, auto-closing)."""
from core.kit import periodic, utcnow


@periodic({"minute": "*/10"})
def complaints_sla_sweep() -> dict:
    """Every ten minutes: escalate overdue complaints and close resolved ones past reopening."""
    from .sla import run_all

    return run_all(utcnow())
