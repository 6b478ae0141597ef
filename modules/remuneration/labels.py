"""Human names of what the module shows: the breakdown lines' rule codes, the fields, the objection steps
and months in words (translated in the module's catalogue)."""
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
    "adjustment_same": _l("Correction of this month"),
    "unrecovered": _l("Recovery not possible this month (still owed)"),
}


def line_label(code: str) -> str:
    return str(LINES.get(code, code))


# An employee's recorded fields as the history of changes names them (trial t16: "started_on",
# "page" on the pages), and the form's fields of the dates of employment.
FIELDS = {
    "name": _l("Name"),
    "agency": _l("Agency"),
    "position_class": _l("Position class"),
    "position_code": _l("Position code"),
    "email": _l("Account e-mail"),
    "supervisor_email": _l("Supervisor's e-mail"),
    "started_on": _l("First day (TMT)"),
    "ended_on": _l("Last day"),
    "start": _l("First day (TMT)"),
    "end": _l("Last day"),
}
SOURCES = {"page": _l("the page (by hand)")}  # else a file's name, as it is


def field_name(field: str) -> str:
    return str(FIELDS.get(field, field))


def source_name(source: str) -> str:
    return str(SOURCES.get(source, source))


# An objection's approval steps: the chain stores its label as the data it is (Indonesian, the
# tenant's first language, as the core's approval pages show it); a page names the step in the
# reader's language (trial of 2 Dec 2026: "Awaiting: Atasan langsung" on the English pages).
SUPERVISOR_STEP, PERSONNEL_STEP = "Atasan langsung", "BKPSDM"
STEPS = {
    SUPERVISOR_STEP: _l("Direct supervisor"),
    PERSONNEL_STEP: _l("Personnel agency (BKPSDM)"),
}


def step_name(label: str) -> str:
    """An objection step's stored label in the reader's language; any other label as it is."""
    return str(STEPS.get(label, label))


def percent(bp: int) -> str:
    """Basis points as a percentage: 125 -> ``1.25 %``, 6000 -> ``60 %``."""
    whole, part = divmod(int(bp), 100)
    return f"{whole}.{part:02d}".rstrip("0").rstrip(".") + " %"


class MonthWords:
    """A month as people read it, in the language of wherever it is said ("Desember 2026",
    "December 2026"; the core's ``month_name``), never "2026-12": lazy, so a message made once
    (``refusals.refuse``: English for the CLI, the reader's language on the page) says it in each."""

    __slots__ = ("key",)

    def __init__(self, year, month=None):
        self.key = str(year) if month is None else f"{int(year):04d}-{int(month):02d}"

    def __str__(self) -> str:
        from core.kit import month_name

        return month_name(self.key, "MMMM y")

    def __html__(self) -> str:
        from markupsafe import escape

        return str(escape(str(self)))

    def __repr__(self) -> str:
        return f"MonthWords({self.key!r})"


def month_words(year, month=None) -> MonthWords:
    """(2026, 12) or "2026-12" as a month in words (``MonthWords``); a value that is no month is said as it is."""
    return MonthWords(year, month)
