"""The domain logic of the remuneration module, in one place for the pages, the API, the CLI and
tests: functions of ``(tenant, actor, ...)`` that never touch Flask's request; the caller commits.
The work lives in ``employees.py`` (imports, history), ``attendance.py`` (punches, excuses),
``runs.py`` (the monthly run, closing) and ``engine.py`` (the arithmetic, no database)."""
from __future__ import annotations

from collections import defaultdict

from core.kit import db, tenant_scope

from .attendance import add_excuse, import_attendance  # noqa: F401  (the services' surface)
from .employees import history, import_employees, set_employment  # noqa: F401
from .engine import DEDUCTIONS
from .models import Employee, Result, Run
from .runs import (  # noqa: F401
    MONTH_MAX, MONTH_MIN, MonthClosed, add_adjustment, close_month, get_run, month_ended, month_of, refuse_unstarted,
    run_month,
)

MODULE = "remuneration"


def runs(tenant, offset: int = 0, limit: int | None = None) -> list[Run]:
    """The tenant's runs, newest month first (``limit`` of them from ``offset``; None: all)."""
    with tenant_scope(tenant):
        return list(db.session.execute(db.select(Run).order_by(Run.year.desc(), Run.month.desc())
                                       .offset(offset).limit(limit)).scalars())


def employee_of(tenant, email: str) -> Employee | None:
    """The employee whose account is ``email`` (case-insensitive), or None."""
    if not email:
        return None
    with tenant_scope(tenant):
        return db.session.execute(db.select(Employee).where(db.func.lower(Employee.email) == email.lower())
                                  ).scalars().first()


def results_of(tenant, employee_id: int) -> list[tuple[Run, Result]]:
    """An employee's results, newest month first."""
    with tenant_scope(tenant):
        return list(db.session.execute(db.select(Run, Result).join(Result, Result.run_id == Run.id)
                                       .where(Result.employee_id == employee_id)
                                       .order_by(Run.year.desc(), Run.month.desc())).all())


def agency_table(tenant, run: Run) -> list[dict]:
    """Per agency of ``run``: employees, ceiling, TPP (rupiah), average performance (basis points)
    and the deductions by reason (rupiah, positive): discipline and sanctions only (``engine.DEDUCTIONS``);
    the performance not earned is the performance factor's, not a deduction."""
    table: dict[str, dict] = {}
    with tenant_scope(tenant):
        rows = db.session.execute(db.select(Result.agency, Result.ceiling, Result.tpp, Result.performance_bp, Result.lines)
                                  .where(Result.run_id == run.id)).all()
    for agency, ceiling, tpp, perf, lines in rows:
        row = table.setdefault(agency, {"agency": agency, "employees": 0, "ceiling": 0, "tpp": 0, "performance_bp": 0,
                                        "deductions": defaultdict(int)})
        row["employees"] += 1
        row["ceiling"] += ceiling
        row["tpp"] += tpp
        row["performance_bp"] += perf
        for line in lines:
            if line["code"] in DEDUCTIONS and line["amount"] < 0:
                row["deductions"][line["code"]] -= line["amount"]
    for row in table.values():
        row["performance_bp"] //= max(row["employees"], 1)
        row["deductions"] = dict(row["deductions"])
    return sorted(table.values(), key=lambda r: r["agency"])


def payroll(tenant, run: Run, agency: str | None = None) -> list[dict]:
    """The payroll list of ``run`` for the finance agency: NIP, name, agency, class, ceiling, TPP and
    ``corrections``: the part of the TPP correcting earlier (closed) months (``adjustment`` lines,
    signed), so that a TPP above the month's ceiling says why (trial t16)."""
    with tenant_scope(tenant):
        query = (db.select(Employee, Result).join(Result, Result.employee_id == Employee.id)
                 .where(Result.run_id == run.id).order_by(Result.agency, Employee.name))
        if agency:
            query = query.where(Result.agency == agency)
        return [{"nip": e.nip, "name": e.name, "agency": r.agency, "position_class": r.position_class,
                 "ceiling": r.ceiling, "tpp": r.tpp,
                 "corrections": sum(x["amount"] for x in r.lines or () if x["code"] == "adjustment")}
                for e, r in db.session.execute(query).all()]
