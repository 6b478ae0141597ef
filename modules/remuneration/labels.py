"""Human names of the breakdown lines' rule codes (translated in the module's catalogue)."""
from core.kit import lazy_gettext as _l

LINES = {
    "performance": _l("Performance part"),
    "performance_shortfall": _l("Performance below target"),
    "discipline": _l("Discipline part"),
    "absence": _l("Unexcused absence (days)"),
    "late": _l("Late arrival (minutes)"),
    "early_leave": _l("Early leave (minutes)"),
    "no_record": _l("No check-in or check-out record"),
    "missed_assembly": _l("Missed assembly"),
    "employment": _l("Days not employed (working days employed / of the month)"),
    "sanction": _l("Disciplinary sanction"),
    "adjustment": _l("Correction of an earlier month"),
}


def line_label(code: str) -> str:
    return str(LINES.get(code, code))


def percent(bp: int) -> str:
    """Basis points as a percentage: 125 -> ``1.25 %``, 6000 -> ``60 %``."""
    whole, part = divmod(int(bp), 100)
    return f"{whole}.{part:02d}".rstrip("0").rstrip(".") + " %"
