"""Takings (a merchant's or service point's by day, each agency's totals) and the auditor's export
of the ledger's journal (CSV, Beancount) from the core ledger.

Who sees which takings: ``smartcard.takings_all`` (admins, auditors) every merchant and service
point; an officer (``smartcard.takings``) only the service points of the agencies they are an officer
of (the merchant's ``agency`` in the settings); another's merchant page is 403."""
from __future__ import annotations

from flask import Response, abort, g, render_template

from core.kit import OrgUnit, User, agencies_of, current_actor, db, ledger, requires, tenant_scope

from . import reports
from .settings_access import settings
from .views import pages, service_names


def visible_merchants(tenant, actor) -> list[dict]:
    """The merchants and service points of the settings whose takings ``actor`` may see."""
    merchants = settings(tenant)["merchants"]
    if actor.can("smartcard.takings_all"):
        return merchants
    user = getattr(actor, "user", None)
    ids = agencies_of(user, tenant) if isinstance(user, User) else set()
    if not ids:
        return []
    with tenant_scope(tenant):
        codes = set(db.session.execute(db.select(OrgUnit.code).where(OrgUnit.id.in_(ids))).scalars())
    return [m for m in merchants if m.get("agency") in codes]


@pages.route("/takings")
@requires("smartcard.takings")
def takings():
    """Each agency's totals, and the list of merchants and service points (those the reader may see)."""
    actor = current_actor()
    merchants = visible_merchants(g.tenant, actor)
    everything = actor.can("smartcard.takings_all")
    return render_template("smartcard/takings.html",
                           agencies=reports.agency_totals(g.tenant, None if everything else {m["code"] for m in merchants}),
                           merchants=merchants, names=service_names(), everything=everything,
                           can_export=actor.can("smartcard.export"))


@pages.route("/merchants/<code>")
@requires("smartcard.takings")
def merchant(code):
    found = next((m for m in settings(g.tenant)["merchants"] if m["code"] == code), None)
    if found is None:
        abort(404)
    if found not in visible_merchants(g.tenant, current_actor()):
        abort(403)
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
