"""Citizens' pages: file a complaint, track it (timeline), see one's own complaints, photos.

A *rahasia* complaint's pages answer 404 to whoever may not see it, exactly as an unknown number
does, so its existence is not disclosed; its filer gets in with the number and their phone or
e-mail (``views.filer.find``) or the access code.
"""
from __future__ import annotations

from flask import Response, abort, flash, g, make_response, redirect, render_template, request, session, url_for

from core.kit import NotFound, PamongError, ValidationError, current_actor, db, public, signed_in, unit_of_work, utcnow

from .. import filer_info, follow, geo, photos as photo_store, ratings, redaction, services, workflow
from ..forms import (
    AddInfoForm, ComplaintForm, ConfirmForm, FindForm, FollowContactForm, RatingForm, ReopenForm, RerouteForm,
    TrackForm, TransitionForm, WithdrawForm,
)
from ..labels import gettext as _
from ..limits import intake_limit
from ..models import ComplaintPhoto
from ..settings import categories, settings_of, sms_number
from . import duplicates as views_duplicates
from . import (
    bp, fill_choices, filing_from, locale, narrow_villages, ngettext, photo_size_limit, proven, remember_filed,
    show_error, show_filing_problems, unit_names, units,
)
from .location import with_map_policy

_ACCESS = "complaints_access"


@bp.route("/")
@public
def index():
    return render_template("complaints/index.html", track=TrackForm(request.args), sms_number=sms_number(g.tenant),
                           complaints_map=geo.map_available(settings_of(g.tenant)) is not None)


@bp.route("/new", methods=["GET", "POST"])
@intake_limit()
@public
def new():
    form = ComplaintForm()
    fill_choices(form)
    if not categories(g.tenant):
        return render_template("complaints/new.html", form=form, closed=True), 200
    if request.method == "POST":
        if request.form.get("step") in ("district", "locate"):  # without JavaScript: nothing is filed
            return filing_page(form, step=request.form["step"])
        if form.validate_on_submit():
            if (offer := views_duplicates.offer_first(form)) is not None:  # follow a nearby one instead?
                return offer
            try:
                filer = current_actor().principal
                complaint, key = services.file_complaint(
                    g.tenant, filer, filing_from(form, request.files.getlist("photos")), "portal", filer=filer
                )
                db.session.commit()
            except ValidationError as exc:
                db.session.rollback()
                show_error(form, exc)
            else:
                # the access code is shown once on the next page; the session remembers what it
                # filed for a while only (views.FILED_HOURS: a shared computer), then the filer
                # proves it with the code or their contact
                session[_ACCESS] = {"number": complaint.number, "key": key}
                remember_filed(complaint)
                return redirect(url_for("complaints.filed", number=complaint.number))
        else:  # every problem in one answer: the service's beside WTForms' own
            show_filing_problems(form, request.files.getlist("photos"), "portal")
        return filing_page(form, status=400)
    if request.args.get("district"):  # a link or a bookmark with the district chosen
        form.district.data = request.args["district"]
    return filing_page(form)


def filing_page(form, status: int = 200, step: str = "", **context):
    """The filing form (also the duplicate offer: ``context`` has ``nearby``): the village list
    narrowed to the chosen district, and the map where the tenant has one (its tile server allowed
    by the page's Content-Security-Policy).

    ``step`` answers the form's buttons for browsers without JavaScript, saving nothing:
    ``district`` shows the chosen district's villages; ``locate`` fills the district and village
    from the coordinates by the tenant's boundaries (or puts the coordinates' error on the form)."""
    settings = settings_of(g.tenant)
    form.photos.description = photo_hint(settings)  # the limits, said before they are met
    if step == "locate":
        _locate_into(form, settings)
    narrow_villages(form)
    tiles = geo.map_available(settings)
    bounds = geo.boundaries(g.tenant, settings)
    location = {"tiles": tiles, "boundaries": bounds is not None, "center": bounds.center if bounds else None}
    page = render_template("complaints/new.html", form=form, location=location, **context)
    return with_map_policy(make_response(page, status), tiles)


def photo_hint(settings) -> str:
    """What a photo field takes, with the tenant's limits (the errors name the same limits)."""
    return ngettext("JPEG, PNG or WebP; at most %(num)d photo of %(size)s.",
                    "JPEG, PNG or WebP; at most %(num)d photos of %(size)s each.", settings["max_photos"],
                    size=photo_size_limit())


def _locate_into(form, settings) -> None:
    try:
        lat = services.coordinate(form.latitude.data, "latitude", 90)
        lon = services.coordinate(form.longitude.data, "longitude", 180)
        if lat is None or lon is None:
            raise ValidationError("give both", where="latitude" if lat is None else "longitude",
                                  code="incomplete_coordinates")
        geo.check_point(g.tenant, lat, lon, settings)
    except ValidationError as exc:
        show_error(form, exc)
        return
    place = geo.locate(g.tenant, lat, lon, settings)
    if place.district or place.village:
        form.district.data = place.district or form.district.data
        form.village.data = place.village
    else:
        form.district.errors = list(form.district.errors or []) + [_("No district of ours contains this place: choose it from the list.")]


@bp.route("/filed/<number>")
@public
def filed(number: str):
    shown = session.pop(_ACCESS, None) or {}
    key = shown.get("key") if shown.get("number") == number else None
    complaint = _complaint_or_404(number) if key else visible_or_404(number)
    return render_template("complaints/filed.html", complaint=complaint, access_key=key)


@bp.route("/track")
@public
def track_search():
    form = TrackForm(request.args)
    if not form.validate():
        return render_template("complaints/index.html", track=form, sms_number=sms_number(g.tenant)), 400
    return redirect(url_for("complaints.track", number=form.number.data.strip().upper()))


@bp.route("/track/<number>")
@public
def track(number: str):
    complaint = visible_or_404(number)
    if filer_info.mark_read(g.tenant, current_actor().principal, complaint):  # the officer working it has now seen it
        db.session.commit()
    return render_template("complaints/track.html", **track_context(complaint))


@bp.route("/photos/<int:photo_id>", defaults={"size": "full"})
@bp.route("/photos/<int:photo_id>/thumb", defaults={"size": "thumb"})
@public
def photo(photo_id: int, size: str):
    """A photo (or its thumbnail) for those who may read the complaint's details; a hidden photo for
    nobody (auditors see it through ``views.redaction``)."""
    row = db.session.get(ComplaintPhoto, photo_id)
    if row is None or row.tenant_id != g.tenant.id or row.hidden or not services.may_read_private(
            g.tenant, current_actor().principal, row.complaint, proven(row.complaint)):
        abort(404)
    try:
        data = photo_store.load(row.thumb_key if size == "thumb" and row.thumb_key else row.storage_key)
    except PamongError:
        abort(404)
    return Response(data, mimetype=row.content_type, headers={"Cache-Control": "private, max-age=3600"})


@bp.route("/mine")
@signed_in
def mine():
    return render_template("complaints/mine.html", complaints=services.filed_by(g.tenant, current_actor().principal),
                           following=follow.followed_by(g.tenant, current_actor().principal), names=unit_names(),
                           cat_names=_category_names())


# -- shared with the other pages ------------------------------------------------------------------

def _complaint_or_404(number: str):
    try:
        return services.get_by_number(g.tenant, number)
    except NotFound:
        abort(404)


def officer_action(number: str, form, form_name: str, act, done, show=None):
    """An officer's POST on a complaint: ``act(complaint)`` in one unit of work, flash ``done``
    (text, or a function of the complaint) and back to its page. Not theirs: 403; gone: 404; bad
    input: the track page again with the message on the form (400), nothing saved. A *rahasia*
    complaint the officer may not see: 404, as for an unknown number (``visible_or_404``)."""
    complaint = visible_or_404(number)
    if form.validate_on_submit():
        with unit_of_work(form, show=show or show_error, statuses={services.Forbidden: 403}) as work:
            act(complaint)
        if work.ok:
            flash(done(complaint) if callable(done) else done)
            return redirect(url_for("complaints.track", number=complaint.number))
        complaint = _complaint_or_404(number)  # rolled back: read again
    context = track_context(complaint, **{form_name: form})
    context[form_name] = form
    return render_template("complaints/track.html", **context), 400


def visible_or_404(number: str):
    """The complaint, if the visitor may see it at all (a *rahasia* one: 404 like an unknown number)."""
    complaint = _complaint_or_404(number)
    if not services.may_view(g.tenant, current_actor().principal, complaint, proven(complaint)):
        abort(404)
    return complaint


def _category_names() -> dict[str, str]:
    return {c.code: c.name(locale()) for c in categories(g.tenant)}


def track_context(complaint, reopen_form=None, transition_form=None, reroute_form=None, **forms) -> dict:
    """What the track page shows to this visitor. ``forms`` replaces a filer's or officer's form
    (``confirm_form``, ``withdraw_form``, ``info_form``, ``redact_form``, ``hide_form``) to show its errors."""
    user, tenant, now = current_actor().principal, g.tenant, utcnow()
    shown = proven(complaint)
    handler = services.may_handle(tenant, user, complaint)
    filer = services.is_filer(user, complaint, shown)
    reroute = reroute_form or (RerouteForm() if handler else None)
    if reroute is not None:
        reroute.agency.choices = [("", _("Choose an agency"))] + [
            (a.code, a.name) for a in units("agency") if a.id != complaint.agency_id
        ]
    settings = settings_of(tenant)
    # the filer's forms: for the filer, and for visitors who may be the filer (with the access code)
    may_be_filer = filer or not handler
    open_, resolved = complaint.is_open, complaint.status == "resolved"
    can_reopen = workflow.may_reopen(tenant, complaint, now, settings)
    private = services.may_read_private(tenant, user, complaint, shown)
    rating = ratings.rating_of(tenant, complaint) if complaint.status in ratings.RATEABLE else None
    info_form = forms.get("info_form") or (AddInfoForm(prefix="info") if open_ and may_be_filer else None)
    if info_form is not None:  # the limits, said before they are met
        info_form.photos.description = photo_hint(settings)
    return {
        "complaint": complaint, "names": unit_names(), "cat_names": _category_names(), "private": private,
        "identity": services.may_see_identity(tenant, user, complaint, shown),
        "handler": handler, "actions": workflow.actions(complaint) if handler else (),
        "coordinator": services.may_coordinate(tenant, user),
        "transition_form": transition_form or TransitionForm(), "reroute_form": reroute,
        "filer": filer, "owner": filer,  # a known filer is not asked for the access code
        "reopen_form": reopen_form or (ReopenForm() if can_reopen and may_be_filer else None),
        "confirm_form": forms.get("confirm_form") or (ConfirmForm(prefix="confirm") if resolved and may_be_filer else None),
        "withdraw_form": forms.get("withdraw_form") or (WithdrawForm(prefix="withdraw") if open_ and filer else None),
        "info_form": info_form,
        "redact_form": forms.get("redact_form"), "hide_form": forms.get("hide_form"),
        "can_redact": handler and not isinstance(user, str) and user is not None,
        "can_read_originals": redaction.may_read_originals(tenant, user),
        "following": follow.is_following(tenant, user, complaint),
        "can_follow": user is not None and follow.followable(complaint),
        "follow_ended": not complaint.confidential and not follow.followable(complaint),
        "find_form": None if private else FindForm(number=complaint.number),
        # following without an account (views/follow.py), and the filer's rating once closed (ratings.py)
        "follow_contact_form": forms.get("follow_contact_form") or (
            FollowContactForm(prefix="followc") if user is None and follow.followable(complaint) else None),
        "rating": rating if private else None,
        "rating_form": forms.get("rating_form") or (
            RatingForm(prefix="rate") if may_be_filer and complaint.status in ratings.RATEABLE and rating is None
            else None),
        "due": complaint.due(now), "reopen_days": settings["reopen_days"],
        **_officer_context(complaint, handler, forms.get("assign_form")),
    }


def _officer_context(complaint, handler: bool, assign_form=None) -> dict:
    from .officer import officer_context  # the officer's page builds on this one

    return officer_context(complaint, handler, assign_form)
