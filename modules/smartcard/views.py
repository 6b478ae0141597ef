"""The pages of the city card: the public totals (with a chart), a merchant's QRIS, the stylesheet.
A holder's and the staff's pages are in views_cards.py; takings and exports in views_reports.py."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, abort, g, render_template, send_file

from core.kit import gettext as _, public, rupiah

from . import reports
from .chart import bar_chart, month_name
from .qris import has_qris, payload, svg
from .settings_access import settings

pages = Blueprint("smartcard", __name__, template_folder="templates")
STYLESHEET = Path(__file__).resolve().parent / "static" / "smartcard.css"


def service_names() -> dict:
    return {"shop": _("Shops"), "parking": _("Parking"), "transit": _("City buses"), "clinic": _("Clinic fees"),
            "market": _("Market stalls"), "library": _("Library"), "pool": _("Public pool"), "other": _("Other")}


@pages.route("/smartcard.css")
@public
def stylesheet():
    return send_file(STYLESHEET, mimetype="text/css", max_age=300)


@pages.route("/")
@public
def index():
    """Public: what was paid by card per service and month, as a chart and a table."""
    months, per_service = reports.public_totals(g.tenant)
    names = service_names()
    series = [(names.get(s, s), values) for s, values in per_service.items()]
    chart = bar_chart(_("Paid by card per service and month (rupiah)"), months, series, fmt=rupiah) if months else None
    merchants = settings(g.tenant)["merchants"]
    return render_template("smartcard/index.html", months=[month_name(m) for m in months], series=series,
                           chart=chart, merchants=merchants,
                           names=names, total=sum(sum(v) for _, v in series))


def _merchant(code: str) -> dict:
    """The merchant ``code`` that shows a QRIS (404: none, or one without an NMID)."""
    for m in settings(g.tenant)["merchants"]:
        if m["code"] == code and has_qris(m):
            return m
    abort(404)


@pages.route("/merchants/<code>/qris")
@public
def qris(code):
    """A merchant's static QRIS, to print and show at the counter."""
    merchant = _merchant(code)
    return render_template("smartcard/qris.html", merchant=merchant,
                           text=payload(merchant, acquirer=settings(g.tenant)["acquirer"]))


@pages.route("/merchants/<code>/qris.svg")
@public
def qris_svg(code):
    merchant = _merchant(code)
    image = svg(payload(merchant, acquirer=settings(g.tenant)["acquirer"]), scale=6)
    return Response(image, mimetype="image/svg+xml", headers={"Cache-Control": "max-age=300"})


from . import views_cards, views_manage, views_reports  # noqa: E402,F401  (their routes join the blueprint)
