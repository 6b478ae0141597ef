"""An upheld objection's correction (remuneration re-trial, issue 16: an objection could only be
"approved", and nothing changed). The personnel agency upholds it with an amount in rupiah (signed:
negative recovers); it becomes an ``Adjustment`` of the objected month:

- the month still open: an adjustment paid in that month itself; its run again keeps it (``runs``
  reads a month's adjustments), and its result shows it at once;
- the month closed (immutable): paid in the first month after it that is not closed, from the
  tenant's current month on (``runs.add_adjustment``), shown at once where that month was run.

Audited (``remuneration.adjustment``, and the objection's ``remuneration.objection.grant``)."""
from __future__ import annotations

import re

from core.kit import audit, db, local_date, tenant_scope, utcnow

from .models import Adjustment, Result, Run
from .bounds import check
from .runs import add_adjustment, get_run, settle


REASON = "Keberatan #{objection}: {note}"  # an upheld objection's adjustment names it: ``corrections`` reads it back
_OBJECTION = re.compile(r"Keberatan #([0-9]+):")


def corrections(tenant, employee_id: int, year: int, month: int) -> list[dict]:
    """Every correction of an employee's month (the adjustments of it, an upheld objection's and the
    personnel agency's ``adjust``), oldest first: ``{"amount", "paid_in": (year, month), "paid"
    (that month is closed: paid out), "objection" (the upheld objection's id, else None)}``. Said on
    the month's page and by ``objections.second_refused``: a correction in a month still open is due,
    not paid (re-trial of issue 16: "its correction is paid" while it was due next month)."""
    with tenant_scope(tenant):
        rows = db.session.execute(db.select(Adjustment).where(
            Adjustment.employee_id == employee_id, Adjustment.source_year == year, Adjustment.source_month == month)
            .order_by(Adjustment.created_at, Adjustment.id)).scalars().all()
        closed = {(y, m) for y, m in db.session.execute(db.select(Run.year, Run.month).where(Run.status == "closed"))}
    found = []
    for a in rows:
        named = _OBJECTION.match(a.reason or "")
        found.append({"amount": a.amount, "paid_in": (a.year, a.month), "paid": (a.year, a.month) in closed,
                      "objection": int(named.group(1)) if named else None})
    return found


def _next(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def _paid_in(tenant, source: tuple[int, int]) -> tuple[int, int]:
    today = local_date(tenant, utcnow())
    target = max(_next(*source), (today.year, today.month))
    while (found := get_run(tenant, *target)) is not None and found.status == "closed":
        target = _next(*target)
    return target


def _show_now(tenant, adjustment: Adjustment) -> None:
    """The adjustment on the result of its month where that month was run and is open (as a run again would)."""
    run = get_run(tenant, adjustment.year, adjustment.month)
    if run is None or run.status != "open":
        return
    result = db.session.execute(db.select(Result).where(Result.run_id == run.id,
                                                        Result.employee_id == adjustment.employee_id)).scalar_one_or_none()
    if result is None:
        return
    own = [line for line in result.lines if line["code"] not in ("adjustment", "unrecovered")]
    computed = sum(line["amount"] for line in own)
    lines = own + settle(computed, [line for line in result.lines if line["code"] == "adjustment"] + [
        {"code": "adjustment", "detail": f"{adjustment.source_year}-{adjustment.source_month:02d}",
         "count": 1, "bp": 0, "amount": adjustment.amount}])
    tpp = sum(line["amount"] for line in lines)
    run.amount += tpp - result.tpp
    result.lines, result.tpp = lines, tpp


def grant(tenant, actor, objection, amount: int, note: str) -> Adjustment:
    """The correction of an upheld ``objection`` (inside the tenant's scope): see the module docstring."""
    result = db.session.get(Result, objection.result_id)
    run = db.session.get(Run, result.run_id)
    source = (run.year, run.month)
    reason = REASON.format(objection=objection.id, note=note)[:2000]
    if run.status == "closed":
        adjustment = add_adjustment(tenant, actor, objection.employee_id, source, _paid_in(tenant, source), amount, reason)
    else:
        check(tenant, objection.employee_id, run.year, run.month, amount)
        adjustment = Adjustment(employee_id=objection.employee_id, year=run.year, month=run.month,
                                source_year=run.year, source_month=run.month, amount=amount, reason=reason)
        db.session.add(adjustment)
        db.session.flush()
        audit(tenant, actor, "remuneration.adjustment", "adjustment", adjustment.id,
              after={"employee": objection.employee_id, "source": f"{run.year}-{run.month:02d}",
                     "paid_in": f"{run.year}-{run.month:02d}", "amount": amount, "objection": objection.id})
    _show_now(tenant, adjustment)
    db.session.flush()
    return adjustment
