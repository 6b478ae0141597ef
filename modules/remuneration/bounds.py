"""The bound of every adjustment (remuneration re-trial, 2 Dec 2026: 999,999,999,999,999 was
accepted, a 20-digit amount overflowed the database, a large recovery was clamped at TPP 0 while the
lines still showed it). The regulation bounds a month's TPP by its ceiling (``0 <= TPP <= C``, README
"The arithmetic"), so a correction of a month keeps that month's corrected TPP inside it:

    0 <= own TPP of the month + every correction of it so far + amount <= its ceiling

where the own TPP is the sum of its result's lines other than adjustments (0 when it has no result)
and the ceiling is its result's (else the employee's class's of that year). A recovery is thus never
more than the month paid, and a payment never more than its ceiling left unpaid. ``ValidationError``
code ``adjustment_out_of_bounds`` (``where`` amount) names the allowed range."""
from __future__ import annotations

from core.kit import ValidationError, db, gettext as _, rupiah

from .labels import month_words
from .models import Adjustment, Employee, Result, Run
from .rules import ceiling_for
from .settings import settings_of


def allowed(tenant, employee_id: int, year: int, month: int) -> tuple[int, int]:
    """``(lowest, highest)`` amount a new correction of ``year``-``month`` may have (inside the tenant's scope)."""
    result = db.session.execute(db.select(Result).join(Run, Run.id == Result.run_id).where(
        Run.year == year, Run.month == month, Result.employee_id == employee_id)).scalar_one_or_none()
    if result is not None:
        own, ceiling = sum(line["amount"] for line in result.lines if line["code"] not in ("adjustment", "unrecovered")), result.ceiling
    else:
        employee = db.session.get(Employee, employee_id)
        own, ceiling = 0, ceiling_for(settings_of(tenant)["ceilings"], employee.position_class, year)
    earlier = db.session.execute(db.select(db.func.coalesce(db.func.sum(Adjustment.amount), 0)).where(
        Adjustment.employee_id == employee_id, Adjustment.source_year == year,
        Adjustment.source_month == month)).scalar()
    paid = own + int(earlier or 0)
    return -paid, ceiling - paid


def check(tenant, employee_id: int, year: int, month: int, amount: int) -> None:
    """Refuse ``amount`` outside ``allowed`` (see the module docstring)."""
    lowest, highest = allowed(tenant, employee_id, year, month)
    if not lowest <= amount <= highest:
        raise ValidationError(
            _("A correction of %(month)s keeps its TPP between Rp 0 and its ceiling: from %(low)s to %(high)s.",
              month=month_words(year, month), low=rupiah(lowest), high=rupiah(highest)),
            where="amount", code="adjustment_out_of_bounds")
