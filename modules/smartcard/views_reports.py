"""Takings (a merchant's or service point's by day, each agency's totals) and the auditor's export
of the ledger's journal (CSV, Beancount) from the core ledger."""
from __future__ import annotations

from flask import Response, abort, g, render_template

from core.kit import current_actor, ledger, requires

from . import reports
from .settings_access import settings
from .views import pages, service_names


@pages.route("/takings")
@requires("smartcard.takings")
def takings():
    """Each agency's totals, and the list of merchants and service points."""
    return render_template("smartcard/takings.html", agencies=reports.agency_totals(g.tenant),
                           merchants=settings(g.tenant)["merchants"], names=service_names(),
                           can_export=current_actor().can("smartcard.export"))


@pages.route("/merchants/<code>")
@requires("smartcard.takings")
def merchant(code):
    found = next((m for m in settings(g.tenant)["merchants"] if m["code"] == code), None)
    if found is None:
        abort(404)
    days = reports.takings_by_day(g.tenant, code)
    return render_template("smartcard/merchant.html", merchant=found, days=days, total=sum(a for _, a in days))


@pages.route("/export.csv")
@requires("smartcard.export")
def export_csv():
    return Response(ledger.csv_text(g.tenant), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="ledger-{g.tenant.slug}.csv"'})


@pages.route("/export.beancount")
@requires("smartcard.export")
def export_beancount():
    return Response(ledger.beancount(g.tenant), mimetype="text/plain",
                    headers={"Content-Disposition": f'attachment; filename="ledger-{g.tenant.slug}.beancount"'})
