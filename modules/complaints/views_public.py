"""Citizens' pages: file a complaint, track it (timeline), reopen it, see one's own complaints."""
from __future__ import annotations

from flask import Response, abort, flash, g, redirect, render_template, request, session, url_for

from core.kit import NotFound, PamongError, ValidationError, db, public, signed_in, utcnow

from . import photos as photo_store
from . import services, workflow
from .limits import intake_limit
from .forms import ComplaintForm, ReopenForm, RerouteForm, TrackForm, TransitionForm
from .labels import gettext as _
from .models import ComplaintPhoto
from .settings import categories, settings_of
from .views import actor, bp, fill_choices, filing_from, locale, show_error, unit_names, units

_ACCESS = "complaints_access"


@bp.route("/")
@public
def index():
    return render_template("complaints/index.html", track=TrackForm(request.args))


@bp.route("/new", methods=["GET", "POST"])
@intake_limit()
@public
def new():
    form = ComplaintForm()
    fill_choices(form)
    if not categories(g.tenant):
        return render_template("complaints/new.html", form=form, closed=True), 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                filer = actor()
                complaint, key = services.file_complaint(
                    g.tenant, filer, filing_from(form, request.files.getlist("photos")), "portal", filer=filer
                )
                db.session.commit()
            except ValidationError as exc:
                db.session.rollback()
                show_error(form, exc)
            else:
                session[_ACCESS] = {"number": complaint.number, "key": key}
                return redirect(url_for("complaints.filed", number=complaint.number))
        return render_template("complaints/new.html", form=form), 400
    return render_template("complaints/new.html", form=form)


@bp.route("/filed/<number>")
@public
def filed(number: str):
    shown = session.pop(_ACCESS, None) or {}
    key = shown.get("key") if shown.get("number") == number else None
    complaint = _complaint_or_404(number)
    return render_template("complaints/filed.html", complaint=complaint, access_key=key)


@bp.route("/track")
@public
def track_search():
    form = TrackForm(request.args)
    if not form.validate():
        return render_template("complaints/index.html", track=form), 400
    return redirect(url_for("complaints.track", number=form.number.data.strip().upper()))


@bp.route("/track/<number>")
@public
def track(number: str):
    complaint = _complaint_or_404(number)
    return render_template("complaints/track.html", **track_context(complaint))


@bp.route("/track/<number>/reopen", methods=["POST"])
@intake_limit()
@public
def reopen(number: str):
    complaint = _complaint_or_404(number)
    form = ReopenForm()
    if form.validate_on_submit():
        try:
            workflow.reopen(g.tenant, actor(), complaint, form.reason.data, access_key=form.access_key.data or "")
            db.session.commit()
            flash(_("The complaint has been reopened."))
            return redirect(url_for("complaints.track", number=complaint.number))
        except services.Forbidden:
            db.session.rollback()
            form.access_key.errors = [_("This access code does not match the complaint.")]
        except ValidationError as exc:
            db.session.rollback()
            show_error(form, exc)
    return render_template("complaints/track.html", **track_context(complaint, reopen_form=form)), 400


@bp.route("/photos/<int:photo_id>")
@signed_in
def photo(photo_id: int):
    row = db.session.get(ComplaintPhoto, photo_id)
    if row is None or row.tenant_id != g.tenant.id or not services.may_read_private(g.tenant, actor(), row.complaint):
        abort(404)
    try:
        data = photo_store.load(row.storage_key)
    except PamongError:
        abort(404)
    return Response(data, mimetype=row.content_type, headers={"Cache-Control": "private, max-age=3600"})


@bp.route("/mine")
@signed_in
def mine():
    return render_template("complaints/mine.html", complaints=services.filed_by(g.tenant, actor()),
                           names=unit_names(), cat_names=_category_names())


# -- shared with the officers' pages --------------------------------------------------------------

def _complaint_or_404(number: str):
    try:
        return services.get_by_number(g.tenant, number)
    except NotFound:
        abort(404)


def _category_names() -> dict[str, str]:
    return {c.code: c.name(locale()) for c in categories(g.tenant)}


def track_context(complaint, reopen_form=None, transition_form=None, reroute_form=None) -> dict:
    user = actor()
    private = services.may_read_private(g.tenant, user, complaint)
    handler = services.may_handle(g.tenant, user, complaint)
    now = utcnow()
    reroute = reroute_form
    if handler and reroute is None:
        reroute = RerouteForm()
    if reroute is not None:
        reroute.agency.choices = [("", _("Choose an agency"))] + [
            (a.code, a.name) for a in units("agency") if a.id != complaint.agency_id
        ]
    settings = settings_of(g.tenant)
    can_reopen = workflow.may_reopen(g.tenant, complaint, now, settings)
    return {
        "complaint": complaint, "names": unit_names(), "cat_names": _category_names(), "private": private,
        "handler": handler, "actions": workflow.allowed_next(complaint) if handler else (),
        "transition_form": transition_form or TransitionForm(), "reroute_form": reroute,
        "reopen_form": reopen_form or (ReopenForm() if can_reopen else None),
        "owner": user is not None and complaint.filer_user_id == user.id,
        "due": complaint.due(now), "reopen_days": settings["reopen_days"],
    }
