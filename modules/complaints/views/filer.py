"""The filer's pages: find one's complaint (number and phone, e-mail or access code), have lost
numbers sent, add information or photos, confirm a fix, reopen, withdraw.

The filer is known by their account, by the session (they filed here or proved it), or by the
access code typed into the form; a proof is remembered for the session.
"""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for

from core.kit import NotFound, ValidationError, current_actor, db, public

from .. import filer_info, lookup, ratings, services, workflow
from ..forms import AddInfoForm, ConfirmForm, FindForm, RatingForm, RecoverForm, ReopenForm, WithdrawForm
from ..labels import gettext as _
from ..limits import intake_limit
from . import bp, proven, remember_filer, show_error
from .public import track_context, visible_or_404


@bp.route("/find", methods=["GET", "POST"])
@intake_limit()
@public
def find():
    """The filer opens their complaint with its number and their phone, e-mail or access code."""
    form, recover = FindForm(), RecoverForm(prefix="recover")
    if request.method == "POST" and form.validate_on_submit():
        try:
            complaint = lookup.find_for_filer(g.tenant, form.number.data, form.contact.data)
        except NotFound:
            form.contact.errors = [_("No complaint has this number and this phone, e-mail or access code.")]
        else:
            remember_filer(complaint)
            return redirect(url_for("complaints.track", number=complaint.number))
        return render_template("complaints/find.html", form=form, recover=recover), 400
    return render_template("complaints/find.html", form=form, recover=recover)


@bp.route("/find/numbers", methods=["POST"])
@intake_limit()
@public
def send_numbers():
    """Lost numbers go to the phone or e-mail they were filed with; the page says the same either way."""
    form, recover = FindForm(), RecoverForm(prefix="recover")
    if recover.validate_on_submit():
        try:
            lookup.send_numbers(g.tenant, recover.contact.data)
            db.session.commit()
        except ValidationError as exc:
            db.session.rollback()
            show_error(recover, exc)
            recover.contact.errors = recover.contact.errors or [_("Give the phone number or e-mail address you filed with.")]
        else:
            flash(_("If complaints were filed with this contact, their numbers have been sent to it."))
            return redirect(url_for("complaints.find"))
    return render_template("complaints/find.html", form=form, recover=recover), 400


def _filer_action(number: str, form, form_name: str, act, done: str):
    """Run ``act(complaint, access_key, proven)`` for the filer; the track page with errors (400) if not."""
    complaint = visible_or_404(number)
    if form.validate_on_submit():
        key = (form.access_key.data or "").strip()
        try:
            act(complaint, key, proven(complaint))
            db.session.commit()
        except services.Forbidden:
            db.session.rollback()
            form.access_key.errors = [_("This access code does not match the complaint.")]
        except ValidationError as exc:
            db.session.rollback()
            show_error(form, exc)
        else:
            if key:
                remember_filer(complaint)
            flash(done)
            return redirect(url_for("complaints.track", number=complaint.number))
        complaint = visible_or_404(number)
    if form_name == "reopen_form":
        return render_template("complaints/track.html", **track_context(complaint, reopen_form=form)), 400
    return render_template("complaints/track.html", **track_context(complaint, **{form_name: form})), 400


@bp.route("/track/<number>/reopen", methods=["POST"])
@intake_limit()
@public
def reopen(number: str):
    form = ReopenForm()
    return _filer_action(number, form, "reopen_form", lambda c, key, shown: workflow.reopen(
        g.tenant, current_actor().principal, c, form.reason.data, access_key=key, proven=shown), _("The complaint has been reopened."))


@bp.route("/track/<number>/confirm", methods=["POST"])
@intake_limit()
@public
def confirm(number: str):
    form = ConfirmForm(prefix="confirm")
    return _filer_action(number, form, "confirm_form", lambda c, key, shown: workflow.confirm(
        g.tenant, current_actor().principal, c, access_key=key, proven=shown), _("Thank you: the complaint is closed as fixed."))


@bp.route("/track/<number>/withdraw", methods=["POST"])
@intake_limit()
@public
def withdraw(number: str):
    form = WithdrawForm(prefix="withdraw")
    return _filer_action(number, form, "withdraw_form", lambda c, key, shown: workflow.withdraw(
        g.tenant, current_actor().principal, c, form.reason.data or "", access_key=key, proven=shown),
        _("Your complaint has been withdrawn."))


@bp.route("/track/<number>/info", methods=["POST"])
@intake_limit()
@public
def add_info(number: str):
    form = AddInfoForm(prefix="info")
    uploads = [f.read() for f in request.files.getlist("info-photos") if f and f.filename]
    return _filer_action(number, form, "info_form", lambda c, key, shown: filer_info.add_info(
        g.tenant, current_actor().principal, c, form.text.data or "", uploads, access_key=key, proven=shown),
        _("Thank you: the officer handling your complaint will see what you added."))



@bp.route("/track/<number>/rate", methods=["POST"])
@intake_limit()
@public
def rate(number: str):
    """The filer rates the handling of their closed complaint, once (ratings.py)."""
    form = RatingForm(prefix="rate")
    return _filer_action(number, form, "rating_form", lambda c, key, shown: ratings.rate(
        g.tenant, current_actor().principal, c, form.score.data, form.comment.data or "", access_key=key,
        proven=shown), _("Thank you for rating how your complaint was handled."))
