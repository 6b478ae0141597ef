"""The reconciliation of the retribution (issue 15.4) for the office's finance officers: per permit
type and the tenant's local month, the fees of the paid applications (``payments.billed``) against
what the core ledger collected (``payments.collected``), the months that disagree marked, and the
same table as CSV. Read-only (not audited); needs ``permits.cashier`` (officers and admins, never
citizens)."""
from __future__ import annotations

import csv
import io

from flask import Response, g, render_template

from core.kit import requires

from . import reconciliation as reconciling
from .csv_cells import safe_cell as _safe
from .settings import permit_types
from .views import locale, pages

COLUMNS = ("month", "type_code", "type_name", "billed", "collected", "difference")


def reconciliation_rows(tenant, names: dict[str, str]) -> list[dict]:
    """The table's rows (``reconciliation.rows``)."""
    return reconciling.rows(tenant, names)


def _rows():
    return reconciliation_rows(g.tenant, {t.code: t.name(locale()) for t in permit_types(g.tenant)})


@pages.route("/reconciliation")
@requires("permits.cashier")
def reconciliation():
    rows = _rows()
    return render_template("permits/reconciliation.html", rows=rows,
                           disagreements=sum(1 for r in rows if not r["agrees"]))


@pages.route("/reconciliation.csv")
@requires("permits.cashier")
def reconciliation_csv():
    """The page's table: whole rupiah as numbers (a difference may be negative), text cells neutralised."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS + ("agrees",))
    for r in _rows():
        writer.writerow([r[c] if isinstance(r[c], int) else _safe(r[c]) for c in COLUMNS]
                        + ["yes" if r["agrees"] else "no"])
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="permits-reconciliation-{g.tenant.slug}.csv"'})
