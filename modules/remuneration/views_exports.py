"""Every list of the pages as a CSV download (issue 16: "every list is paginated and exportable"):
the runs, a month's per-agency table, the open objections and the oversight of a province's cities.
The payroll (CSV/XLSX) is in ``views.py``, the employees in ``views_employees.py``. Amounts in whole
rupiah, performance in basis points (1 % = 100), deductions one column per reason (rupiah)."""
from __future__ import annotations

from flask import g

from core.kit import local_iso, requires

from . import objections, services
from .exports import table_csv
from .labels import step_name
from .views import _run_or_404, finance_or, pages


def _when(value) -> str:
    return local_iso(value) or ""  # 2026-11-30T22:05:00+08:00, the tenant's offset


@pages.route("/runs.csv")
@finance_or("remuneration.read_all")
def runs_export():
    rows = [{"month": f"{r.year}-{r.month:02d}", "status": r.status, "employees": r.total, "amount": r.amount,
             "rules_from": r.rules_from.isoformat() if r.rules_from else "", "computed_at": _when(r.computed_at),
             "closed_at": _when(r.closed_at)} for r in services.runs(g.tenant)]
    return table_csv(("month", "status", "employees", "amount", "rules_from", "computed_at", "closed_at"), rows,
                     f"tpp-runs-{g.tenant.slug}")


@pages.route("/runs/<int(min=2000, max=2100):year>/<int(min=1, max=12):month>/agencies.csv")
@finance_or("remuneration.read_all")
def agencies_export(year, month):
    table = services.agency_table(g.tenant, _run_or_404(year, month))
    reasons = sorted({code for row in table for code in row["deductions"]})
    rows = [{**{k: row[k] for k in ("agency", "employees", "ceiling", "tpp", "performance_bp")},
             **{f"deduction_{code}": row["deductions"].get(code, 0) for code in reasons}} for row in table]
    columns = ("agency", "employees", "ceiling", "tpp", "performance_bp", *(f"deduction_{c}" for c in reasons))
    return table_csv(columns, rows, f"tpp-{g.tenant.slug}-{year}-{month:02d}-agencies")


@pages.route("/objections.csv")
@requires("remuneration.resolve")
def objections_export():
    found = objections.open_objections(g.tenant, 0, None)
    about = objections.about(g.tenant, [o.id for o, _e, _s in found])
    rows = [{"filed_at": _when(o.filed_at), "name": e.name,
             "agency": about.get(o.id, {}).get("agency", e.agency),  # the objected month's, as on the page
             "month": about.get(o.id, {}).get("month", ""), "tpp": about.get(o.id, {}).get("tpp", ""), "reason": o.reason,
             # the step in the reader's language (the chain stores "Atasan langsung"), as on the page
             "awaiting": step_name(step["label"]) if step else ""}
            for o, e, step in found]
    return table_csv(("filed_at", "name", "agency", "month", "tpp", "reason", "awaiting"), rows,
                     f"tpp-objections-{g.tenant.slug}")


@pages.route("/oversight/<int(min=2000, max=2100):year>/<int(min=1, max=12):month>.csv")
@requires("remuneration.read_all")
def oversight_export(year, month):
    from .oversight import child_totals

    rows = [{**row, "status": row["status"] or "not_run"} for row in child_totals(g.tenant, year, month)]
    return table_csv(("tenant", "name", "status", "employees", "ceiling", "tpp", "performance_bp"), rows,
                     f"tpp-oversight-{g.tenant.slug}-{year}-{month:02d}")
