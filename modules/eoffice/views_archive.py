"""The records unit's page: dossiers with their retention dates, the ones due for review first;
closing a dossier (its JRA dates computed then). The overseers' figures per agency."""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_wtf import FlaskForm

from core.kit import current_actor, gettext as _, page_arg, requires, unit_of_work

from . import archive
from .form_errors import show_all, unshown
from .settings import settings_of
from .views import pages

ARCHIVE = "eoffice.archive"
STATES = (archive.OPEN, archive.ACTIVE, archive.INACTIVE, archive.REVIEW_DUE, archive.TRANSFERRED, archive.DESTROYED)


def _review_form(form=None):
    from .forms import ReviewForm

    form = form or ReviewForm()
    form.decision.choices = [("transferred", _("Transfer to the regional archive")), ("destroyed", _("Destroy")),
                             ("retained", _("Keep longer"))]
    return form


@pages.route("/archive")
@requires(ARCHIVE)
def records():
    only = request.args.get("state", "")
    only = only if only in STATES else ""
    return _page(only, FlaskForm())


def _page(only: str, form, status: int = 200):
    """The records list as asked (``state``, ``q``, ``page``), paginated by the tenant's page size."""
    q = (request.args.get("q") or "").strip()[:100]
    found = archive.records_page(g.tenant, only, q, page_arg(), settings_of(g.tenant)["page_size"])
    return render_template("eoffice/archive.html", page=found, rows=found.rows, only=only, q=q, states=STATES,
                           form=form, unconfirmed=archive.unconfirmed(g.tenant)), status


@pages.route("/archive/<int:dossier_id>")
@requires(ARCHIVE)
def dossier(dossier_id, form=None, status=200):
    from flask import abort

    from core.kit import NotFound

    try:
        found, st, letters = archive.contents(g.tenant, current_actor(), dossier_id)
    except NotFound:
        abort(404)
    form = _review_form(form)
    top = unshown(form, st == archive.REVIEW_DUE)  # the review form is shown only when it is due
    return render_template("eoffice/dossier.html", dossier=found, state=st, letters=letters, form=form, top=top), status


@pages.route("/archive/<int:dossier_id>/review", methods=["POST"])
@requires(ARCHIVE)
def review_dossier(dossier_id):
    from .appraisal import review as decide

    form = _review_form()
    if form.validate_on_submit():
        with unit_of_work(form, show=show_all) as work:
            decide(g.tenant, current_actor(), dossier_id, form.decision.data or "", form.reference.data or "",
                   form.on.data, form.years.data or 0)
        if work.ok:
            flash(_("The review is recorded."))
            return redirect(url_for(".dossier", dossier_id=dossier_id))
    elif not form.errors:
        form.form_errors.append(_("The form expired: try again."))
    return dossier(dossier_id, form, 400)


@pages.route("/archive/<int:dossier_id>/close", methods=["POST"])
@requires(ARCHIVE)
def close(dossier_id):
    form = FlaskForm()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            archive.close_dossier(g.tenant, current_actor(), dossier_id)
        if work.ok:
            flash(_("Dossier closed; its retention dates are set."))
            return redirect(url_for(".records"))
    else:
        form.form_errors.append(_("The form expired: try again."))
    return _page("", form, 400)


@pages.route("/figures")
@requires("eoffice.oversee")
def figures():
    from .figures import per_agency

    return render_template("eoffice/figures.html", rows=per_agency(g.tenant))


@pages.route("/figures/cities")
@requires("eoffice.oversee")
def cities():
    """A province's auditor: the figures per agency of each of its cities and regencies (read-only,
    each read audited on both sides)."""
    from core.kit import db

    from .oversight import figures_of_children

    found = figures_of_children(g.tenant, current_actor())
    db.session.commit()  # the reads' audit entries
    return render_template("eoffice/cities.html", children=found)
