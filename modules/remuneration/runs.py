"""The monthly run: every active employee's TPP for one month, stored with its breakdown.

``run_month`` may be called again and again (each call makes the month's results what the inputs
say now: idempotent; an employee's result is updated in place, so an objection to it and its
approval chain survive the run again) until ``close_month`` (the finance role) closes it; a closed month is
immutable (``MonthClosed``, code ``month_closed``) and keeps the rule set it was computed with, so a
later rule never changes it. Both are audited; the caller commits.

A run of a month that has not ended yet (the current month, provisional) counts only the working
days that have ended, those before today in the tenant's zone (``days.elapsed_days``, whose docstring
gives the rule source; the core clock, so tests freeze it): nothing is deducted for today while it
goes on. It prorates the activity target to them (``engine.prorated_target``); a month that has
ended is computed in full.

Employment dates (``Employee.started_on`` / ``ended_on``, TMT and tanggal berhenti, inclusive): an
employee is paid pro rata to the month's working days (the core calendar's) on which they were
employed, ``floor(ceiling × employed / working days)`` (``engine.compute``, one ``employment``
line says so); absence, lateness and missed assemblies count only on those days, and the activity
target is prorated to them like the days of a provisional month. A month with no working day of
employment (they had left before it, start after it, or only on its holidays) gets no result row
(like an inactive employee: nothing is owed, and a payroll list shows only whom it pays; an
earlier row of an open month is removed on the run again, unless an objection refers to it).
Rule source: none found. This is the kit's default, not a cited rule: a search of the stored public
pages (1 Dec 2026) found no Perkada or Permendagri text on TPP for part of a month, so the
working-day proration (rather than calendar days, or nothing for a partial month) is our choice; a
tenant whose Perkada says otherwise needs a rule option that does not exist yet.
"""
from __future__ import annotations

import json
from calendar import monthrange
from collections import defaultdict
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from core.kit import PamongError, ValidationError, audit, calendar_of, db, for_change, gettext as _, tenant_scope, utcnow

from . import _l
from .days import elapsed_days, month_days
from .engine import EmployeeMonth, compute, prorated_target
from .labels import month_words
from .models import Activity, Adjustment, Employee, Excuse, Objection, Punch, Result, Run, Sanction
from .positions import held_positions, place, record_as_of
from .refusals import refuse
from .rules import ceiling_for, parse_rules, rule_for
from .settings import settings_of

BATCH = 500


class MonthClosed(PamongError):
    code = "month_closed"


def _month(year: int, month: int) -> tuple[date, date]:
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise refuse(ValidationError, _l("%(month)s is not a month", month=f"{year}-{month:02d}"), where="month")
    return date(year, month, 1), date(year, month, monthrange(year, month)[1])


MONTH_MIN, MONTH_MAX = date(2000, 1, 1), date(2100, 12, 1)  # the months of the month routes, the CLI and files


def month_of(value) -> tuple[int, int] | None:
    """``YYYY-MM`` as ``(year, month)`` by the core's one month parser (``core.params``) within
    ``MONTH_MIN..MONTH_MAX``; None when it is no such month (2026-13, 0, letters, year 99999, empty),
    for the caller to say so its own way (a form's field, the CLI's line, a file's cell)."""
    from core.kit import OutOfBounds, parse_month

    try:
        first = parse_month(value or "", MONTH_MIN, MONTH_MAX)
    except OutOfBounds:
        return None
    return first.year, first.month


def refuse_unstarted(year: int, month: int, today: date) -> None:
    """Refuse (``ValidationError``, code ``month_not_started``) a month whose first day is after
    ``today`` (the tenant's): nothing of it has happened, so a run would pay every employee the full
    ceiling (no absence, the activity target prorated to no day) and show it as their TPP."""
    if date(year, month, 1) > today:
        raise refuse(ValidationError, _l("%(month)s has not begun yet: a month can be run from its first day",
                                         month=month_words(year, month)), where="month", code="month_not_started")


def get_run(tenant, year: int, month: int, lock: bool = False) -> Run | None:
    with tenant_scope(tenant):
        query = db.select(Run).where(Run.year == year, Run.month == month)
        return db.session.execute(for_change(query, Run) if lock else query).scalar_one_or_none()


def _local_clock(zone, start: datetime, end: datetime):
    """``at (UTC, naive on SQLite, aware on PostgreSQL) -> local wall-clock datetime``. Indonesia's
    zones keep one offset all year, so when the month has one (checked day by day) it is plain
    addition, four times cheaper than ``astimezone`` over ~800,000 punches; else ``astimezone``."""
    offsets = {(start + timedelta(days=i)).astimezone(zone).utcoffset() for i in range((end - start).days + 1)}
    if len(offsets) == 1:
        offset = offsets.pop()
        return lambda at: at + offset  # fields shifted to local time; the tzinfo label is not read
    return lambda at: (at if at.tzinfo else at.replace(tzinfo=timezone.utc)).astimezone(zone)


def _punches_by_employee(tenant, zone, start: datetime, end: datetime):
    """``(employee_id, {local date: [(local wall-clock datetime, kind)]})`` in employee order, streamed
    from the database so that only one employee's month is in memory at a time (18,000 employees:
    ~800,000 rows). A Core query on the table with the tenant named (no ORM rows to build: half the
    time); PostgreSQL's row security still applies."""
    table = Punch.__table__
    rows = db.session.connection().execute(
        db.select(table.c.employee_id, table.c.at, table.c.kind)
        .where(table.c.tenant_id == tenant.id, table.c.at >= start, table.c.at < end)
        .order_by(table.c.employee_id).execution_options(yield_per=5000))
    local_of = _local_clock(zone, start, end)
    current, days = None, defaultdict(list)
    for employee_id, at, kind in rows:
        if employee_id != current:
            if current is not None:
                yield current, days
            current, days = employee_id, defaultdict(list)
        local = local_of(at)
        days[local.date()].append((local, kind))
    if current is not None:
        yield current, days


def _inputs(tenant, first: date, last: date):
    zone = ZoneInfo(tenant.timezone)
    start = datetime.combine(first, datetime.min.time(), tzinfo=zone).astimezone(timezone.utc)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=zone).astimezone(timezone.utc)
    punches = _punches_by_employee(tenant, zone, start, end)
    excuses: dict[int, dict] = defaultdict(dict)
    for e in db.session.execute(db.select(Excuse).where(Excuse.first_day <= last, Excuse.last_day >= first)).scalars():
        day = max(e.first_day, first)
        while day <= min(e.last_day, last):
            excuses[e.employee_id][day] = e.kind
            day += timedelta(days=1)
    achieved: dict[int, tuple[int, int]] = {}
    for employee_id, minutes, points in db.session.execute(
            db.select(Activity.employee_id, db.func.sum(Activity.minutes), db.func.sum(Activity.points))
            .where(Activity.approved.is_(True), Activity.day >= first, Activity.day <= last)
            .group_by(Activity.employee_id)):
        achieved[employee_id] = (int(minutes or 0), int(points or 0))
    sanctions: dict[int, list] = defaultdict(list)
    for employee_id, code in db.session.execute(db.select(Sanction.employee_id, Sanction.code)
                                                .where(Sanction.first_month <= first, Sanction.last_month >= first)):
        sanctions[employee_id].append(code)
    return punches, excuses, achieved, sanctions


def run_month(tenant, actor, year: int, month: int, progress=None) -> Run:
    """Compute (or compute again) ``year``-``month``; ``progress(done, total)`` after each batch.
    Raises ``MonthClosed`` for a closed month, ``ValidationError`` for a month with no rule set in
    force, a month that has not begun (``month_not_started``) or a position class without a ceiling for
    the year (nothing written)."""
    first, last = _month(year, month)
    settings = settings_of(tenant)
    if not settings.get("ceilings"):  # a tenant not paying TPP (its auditor's oversight only): no empty run stored
        raise refuse(ValidationError, _l("This tenant pays no TPP (no ceilings in its settings): there is nothing to run."),
                     where="ceilings", code="no_ceilings")
    rules = parse_rules(settings["rules"])
    rule = rule_for(rules, year, month)
    raw_rule = next((r for r in settings["rules"] if r["effective_from"] == rule.effective_from.isoformat()), {})
    cal = calendar_of(tenant)
    all_working = [first + timedelta(days=i) for i in range(last.day) if cal.is_working_day(first + timedelta(days=i))]
    today = utcnow().astimezone(ZoneInfo(tenant.timezone)).date()
    refuse_unstarted(year, month, today)
    working = elapsed_days(all_working, today)  # a day that has not ended yet is not an absence
    target = None if len(working) == len(all_working) else prorated_target(rule, len(working), len(all_working))
    with tenant_scope(tenant):
        run = get_run(tenant, year, month, lock=True)
        if run is not None and run.status == "closed":
            raise refuse(MonthClosed, _l("%(month)s is closed: corrections go into a later month",
                                         month=month_words(year, month)), where="month")
        # the position: the one the core's organisation says the account holds, else the import's
        # (positions.py); the class the settings' for it where they map it, else the record's
        mapping = settings.get("position_classes") or {}
        held = held_positions(tenant, min(last, today))
        # a past month: the record's agency, class and position as they were at its end (the history)
        month_end = datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=ZoneInfo(tenant.timezone))
        then = record_as_of(month_end.astimezone(timezone.utc)) if last < today else {}
        employees = []
        for i, agency, cls, code, email, start, end in db.session.execute(
                db.select(Employee.id, Employee.agency, Employee.position_class, Employee.position_code,
                          Employee.email, Employee.started_on, Employee.ended_on)
                .where(Employee.active.is_(True)).order_by(Employee.id)):
            if (start is not None and start > last) or (end is not None and end < first):
                continue  # employed on no day of the month
            employed = [d for d in all_working if (start is None or d >= start) and (end is None or d <= end)]
            if all_working and not employed:
                continue  # employed on none of its working days
            was = then.get(i, {})
            placed = place(was.get("email", email), was.get("position_code", code), was.get("agency", agency),
                           was.get("position_class", cls), held, mapping)
            employees.append((i, placed.agency, placed.position_class, start, end, len(employed)))
        ceilings = {}
        for cls in {row[2] for row in employees}:
            ceilings[cls] = ceiling_for(settings["ceilings"], cls, year)
        if run is None:
            run = Run(year=year, month=month, status="open")
            db.session.add(run)
            db.session.flush()
            earlier = {}
        else:
            earlier = _keep_results(tenant, run, {row[0] for row in employees}, f"{year}-{month:02d}")
        punches, excuses, achieved, sanctions = _inputs(tenant, first, last)
        adjustments: dict[int, list] = defaultdict(list)
        for a in db.session.execute(db.select(Adjustment).where(Adjustment.year == year, Adjustment.month == month)
                                    .order_by(Adjustment.id)).scalars():
            adjustments[a.employee_id].append({"code": "adjustment", "detail": f"{a.source_year}-{a.source_month:02d}",
                                               "count": 1, "bp": 0, "amount": a.amount})
        run.total, run.done, run.amount = len(employees), 0, 0
        run.rules_from, run.rules = rule.effective_from, json.dumps(raw_rule, sort_keys=True, default=str)
        batch = []
        stream = iter(punches)
        pending = next(stream, None)
        for employee_id, agency, cls, start, end, employed in employees:  # both in employee id order
            while pending is not None and pending[0] < employee_id:
                pending = next(stream, None)  # punches of an inactive employee
            mine = {}
            if pending is not None and pending[0] == employee_id:
                mine, pending = pending[1], next(stream, None)
            minutes, points = achieved.get(employee_id, (0, 0))
            counted, due = working, target
            if employed < len(all_working):  # hired or left during the month: only the days employed
                counted = [d for d in working if (start is None or d >= start) and (end is None or d <= end)]
                due = prorated_target(rule, len(counted), len(all_working))
            result = compute(rule, EmployeeMonth(
                ceiling=ceilings[cls], achieved=points if rule.performance_basis == "points" else minutes,
                days=month_days(rule, counted, mine, excuses.get(employee_id, {})),
                sanctions=tuple(sanctions.get(employee_id, ())), target=due,
                employed_days=employed, working_days=len(all_working)))
            extra = settle(result.tpp, adjustments.get(employee_id, []))
            tpp = result.tpp + sum(a["amount"] for a in extra)
            run.amount += tpp
            batch.append({"tenant_id": tenant.id, "run_id": run.id, "employee_id": employee_id, "agency": agency,
                          "position_class": cls, "ceiling": result.ceiling, "tpp": tpp,
                          "performance_bp": result.performance_bp, "deduction_bp": result.deduction_bp,
                          "lines": [{"code": x.code, "detail": x.detail, "count": x.count, "bp": x.bp, "amount": x.amount}
                                    for x in result.lines] + extra})
            if len(batch) >= BATCH:
                _flush(batch, run, progress, earlier)
        _flush(batch, run, progress, earlier)
        run.computed_at = utcnow()
        audit(tenant, actor, "remuneration.run", "run", run.id,
              after={"month": f"{year}-{month:02d}", "employees": run.total, "amount": run.amount,
                     "rules_from": rule.effective_from,
                     "working_days": f"{len(working)}/{len(all_working)}"})
    return run


def settle(computed: int, adjustments: list[dict]) -> list[dict]:
    """The adjustment lines of a month whose own TPP is ``computed``: a recovery never makes the pay
    negative, so what the month cannot recover is one visible line ``unrecovered`` (positive, the
    rest still owed, to be recovered by a later adjustment) and the lines still add up to the TPP."""
    rest = computed + sum(a["amount"] for a in adjustments)
    if rest >= 0:
        return list(adjustments)
    return list(adjustments) + [{"code": "unrecovered", "detail": "", "count": 1, "bp": 0, "amount": -rest}]


def _keep_results(tenant, run: Run, computed: set[int], month: str) -> dict[int, int]:
    """Before a run again of ``run``: its results as ``{employee_id: result id}``, those of
    employees computed again (``computed``) to be updated in place, so that what refers to them (an
    objection and its approval chain) keeps its result; the others (an employee no longer active)
    are deleted, unless an objection refers to one: then ``ValidationError``
    (``objection_keeps_result``), nothing changed, as deleting it would delete the objection."""
    earlier = dict(db.session.execute(db.select(Result.employee_id, Result.id).where(Result.run_id == run.id)).all())
    gone = [rid for employee_id, rid in earlier.items() if employee_id not in computed]
    if gone:
        objected = db.session.execute(db.select(db.func.count(db.distinct(Objection.employee_id)))
                                      .where(Objection.result_id.in_(gone))).scalar()
        if objected:
            raise refuse(ValidationError, _l("%(count)s employee(s) no longer active objected to %(month)s; make them "
                                             "active again to run the month again (an objection is never deleted).",
                                             count=objected, month=month), where="month", code="objection_keeps_result")
        db.session.execute(db.delete(Result).where(Result.id.in_(gone)))
    return earlier


def _flush(batch: list, run: Run, progress, earlier: dict[int, int] | None = None) -> None:
    if batch:
        fresh = [row for row in batch if row["employee_id"] not in (earlier or {})]
        again = [{**row, "b_tenant": row["tenant_id"], "b_id": earlier[row["employee_id"]]}
                 for row in batch if row["employee_id"] in (earlier or {})]
        if fresh:
            db.session.execute(db.insert(Result), fresh)
        if again:  # the same row, updated in place: an objection to it stays linked (Core executemany by key)
            table = Result.__table__
            db.session.connection().execute(
                table.update().where(table.c.tenant_id == db.bindparam("b_tenant"), table.c.id == db.bindparam("b_id")),
                [{k: v for k, v in row.items() if k not in ("tenant_id", "run_id", "employee_id")} for row in again])
        run.done += len(batch)
        batch.clear()
    if progress:
        progress(run.done, run.total)


def month_ended(tenant, year: int, month: int) -> bool:
    """Whether ``year``-``month``'s last day is over in the tenant's zone (the core clock)."""
    _, last = _month(year, month)
    return last < utcnow().astimezone(ZoneInfo(tenant.timezone)).date()


def close_month(tenant, actor, year: int, month: int) -> Run:
    """Close a computed month for payment (finance): it can no longer be run again. Audited, with
    the finance position the closer held. Errors: ``FinanceOnly`` (``finance_only``: not the finance
    agency's, ``finance.py``), ``ValidationError`` (``month_not_ended``: its last day has not ended
    in the tenant's zone, so its attendance is not complete and a provisional run would be paid as
    final; not run), ``MonthClosed``; nothing written."""
    from .finance import require_finance

    _month(year, month)
    position = require_finance(tenant, actor)
    if not month_ended(tenant, year, month):
        raise refuse(ValidationError, _l("%(month)s has not ended yet: it can be closed from the day after its last day",
                                         month=month_words(year, month)), where="month", code="month_not_ended")
    with tenant_scope(tenant):
        run = get_run(tenant, year, month, lock=True)
        if run is None or run.computed_at is None:
            raise refuse(ValidationError, _l("%(month)s has not been run", month=month_words(year, month)), where="month")
        if run.status == "closed":
            raise refuse(MonthClosed, _l("%(month)s is closed already", month=month_words(year, month)), where="month")
        run.status, run.closed_at = "closed", utcnow()
        audit(tenant, actor, "remuneration.close", "run", run.id,
              before={"status": "open"}, after={"status": "closed", "amount": run.amount, "employees": run.total,
                                                **({"position": position} if position else {})})
    return run


def add_adjustment(tenant, actor, employee_id: int, source: tuple[int, int], target: tuple[int, int], amount: int,
                   reason: str) -> Adjustment:
    """Correct the closed month ``source`` (year, month) by ``amount`` rupiah (signed), paid in the
    open month ``target``; the next run of ``target`` shows it as an ``adjustment`` line. Audited.
    Errors: ``ValidationError`` (source never run: code ``not_run``; source open, target closed or not
    after the source, amount 0), the months named in words."""
    if not isinstance(amount, int) or isinstance(amount, bool) or amount == 0:
        raise ValidationError(_("The amount must be a whole number of rupiah other than 0."), where="amount")
    if not (reason or "").strip():
        raise ValidationError(_("Say why."), where="reason")
    _month(*source)
    _month(*target)
    if target <= source:
        raise ValidationError(_("A correction is paid in a later month."), where="month")
    with tenant_scope(tenant):
        before = get_run(tenant, *source)
        if before is None:  # never computed: said with the month named (trial of issue 16: "run an open month")
            raise refuse(ValidationError, _l("%(month)s has not been run", month=month_words(*source)), where="source",
                         code="not_run")
        if before.status != "closed":
            raise refuse(ValidationError, _l("%(month)s is open: only a closed month is corrected by an adjustment; "
                                             "run it again instead", month=month_words(*source)), where="source")
        later = get_run(tenant, *target)
        if later is not None and later.status == "closed":
            raise MonthClosed(_("%(month)s is closed already", month=month_words(*target)), where="month")
        from .bounds import check

        check(tenant, employee_id, *source, amount)  # the corrected month stays within 0 and its ceiling
        adjustment = Adjustment(employee_id=employee_id, year=target[0], month=target[1], source_year=source[0],
                                source_month=source[1], amount=amount, reason=reason.strip())
        db.session.add(adjustment)
        db.session.flush()
        audit(tenant, actor, "remuneration.adjustment", "adjustment", adjustment.id,
              after={"employee": employee_id, "source": f"{source[0]}-{source[1]:02d}",
                     "paid_in": f"{target[0]}-{target[1]:02d}", "amount": amount})
    return adjustment
