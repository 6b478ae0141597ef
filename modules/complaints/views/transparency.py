"""The public transparency page and the admin's CSV export."""
from __future__ import annotations

from flask import Response, g, render_template

from core.kit import current_actor, page_arg, public, requires, utcnow

from .. import ratings, transparency
from ..chart import bar_chart, month_axis, month_name
from ..labels import gettext as _
from ..settings import categories
from . import bp, locale, unit_names


@bp.route("/transparency", endpoint="transparency")
@public
def transparency_page():
    page = page_arg()
    rep = transparency.report(g.tenant, utcnow())  # the counters: fresh after every change, flat in the data
    rows, has_next = transparency.public_list(g.tenant, page=page)
    months = [m for m, _f, _r in rep.series]
    month_names = {m: month_name(m) for m in months}  # "Jul 2026"
    chart = bar_chart(
        _("Complaints per month"), [month_names[m] for m in months],
        [(_("Received"), [f for _m, f, _r in rep.series]), (_("Resolved"), [r for _m, _f, r in rep.series])],
        axis=month_axis(months),
    )
    return render_template(
        "complaints/transparency.html", rep=rep, rows=rows, page=page, has_next=has_next, chart=chart,
        month_names=month_names,
        names=unit_names(), cat_names={c.code: c.name(locale()) for c in categories(g.tenant)},
        can_export=current_actor().can("complaints.export"),
        ratings=ratings.summary(g.tenant),  # the filers' ratings (ratings.py; its own small query)
    )


@bp.route("/export.csv")
@requires("complaints.export")
def export_csv():
    body = transparency.export_csv(g.tenant)
    filename = f"complaints-{g.tenant.slug}-{utcnow():%Y%m%d}.csv"
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store",
    })
