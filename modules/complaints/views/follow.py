"""Following a public complaint (anyone signed in): follow, stop following."""
from __future__ import annotations

from flask import abort, flash, g, redirect, url_for
from flask_wtf import FlaskForm

from core.kit import NotFound, current_actor, db, signed_in

from .. import follow as following
from ..labels import gettext as _
from . import bp
from .public import visible_or_404


@bp.route("/track/<number>/follow", methods=["POST"])
@signed_in
def follow(number: str):
    complaint = visible_or_404(number)
    if not FlaskForm().validate_on_submit():  # the CSRF token
        abort(400)
    try:
        following.follow(g.tenant, current_actor().principal, complaint)
        db.session.commit()
    except NotFound:  # rahasia: not followable, and not admitted to exist
        db.session.rollback()
        abort(404)
    flash(_("You follow complaint %(number)s: you will be e-mailed when it changes.", number=complaint.number))
    return redirect(url_for("complaints.track", number=complaint.number))


@bp.route("/track/<number>/unfollow", methods=["POST"])
@signed_in
def unfollow(number: str):
    complaint = visible_or_404(number)
    if not FlaskForm().validate_on_submit():
        abort(400)
    following.unfollow(g.tenant, current_actor().principal, complaint)
    db.session.commit()
    flash(_("You no longer follow complaint %(number)s.", number=complaint.number))
    return redirect(url_for("complaints.track", number=complaint.number))
