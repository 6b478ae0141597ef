"""Oversight (pengawasan kinerja ASN): a province's auditor sees its cities' and regencies' monthly
TPP totals; read-only, across the child tenants at once (``read_scope``, permission-checked by the
page: ``remuneration.read_all`` in the province)."""
from __future__ import annotations

from core.kit import Tenant, db, read_scope

from .models import Result, Run


def child_totals(province, year: int, month: int) -> list[dict]:
    """Per child tenant of ``province``: ``{"tenant", "name", "status", "employees", "ceiling", "tpp",
    "performance_bp"}`` for ``year``-``month`` (status ``None`` where the month was not run there);
    rupiah, basis points (the average of the employees' performance)."""
    children = list(db.session.execute(db.select(Tenant).where(Tenant.parent_id == province.id)
                                       .order_by(Tenant.name)).scalars())
    if not children:
        return []
    with read_scope(children):
        runs = {tid: (status, amount) for tid, status, amount in db.session.execute(
            db.select(Run.tenant_id, Run.status, Run.amount).where(Run.year == year, Run.month == month))}
        sums = {tid: (int(c or 0), int(p or 0), int(n or 0)) for tid, c, p, n in db.session.execute(
            db.select(Result.tenant_id, db.func.sum(Result.ceiling), db.func.sum(Result.performance_bp),
                      db.func.count()).join(Run, (Run.id == Result.run_id) & (Run.tenant_id == Result.tenant_id))
            .where(Run.year == year, Run.month == month).group_by(Result.tenant_id))}
    out = []
    for child in children:
        run = runs.get(child.id)
        ceiling, perf, count = sums.get(child.id, (0, 0, 0))
        out.append({"tenant": child.slug, "name": child.name, "status": run[0] if run else None,
                    "employees": count, "ceiling": ceiling, "tpp": run[1] if run else 0,
                    "performance_bp": perf // count if count else 0})
    return out


def latest_child_month(province) -> tuple[int, int] | None:
    """The latest month any child tenant of ``province`` has run, None when none has: what a
    province that pays no TPP itself shows first."""
    children = list(db.session.execute(db.select(Tenant.id).where(Tenant.parent_id == province.id)).scalars())
    if not children:
        return None
    with read_scope(children):
        found = db.session.execute(db.select(Run.year, Run.month).order_by(Run.year.desc(), Run.month.desc())
                                   .limit(1)).first()
    return (found[0], found[1]) if found else None
