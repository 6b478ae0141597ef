"""Following a public complaint: signed in (follow, stop following), or without an account by
confirming a phone or e-mail with a single-use code, and stopping with the signed link every
message carries (``follow.py``)."""
from __future__ import annotations

import time

from flask import abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_wtf import FlaskForm
from flask_limiter.util import get_remote_address

from core.kit import NotFound, ValidationError, csrf_exempt, current_actor, db, limiter, public, signed_in

from .. import follow as following
from ..forms import FollowCodeForm, FollowContactForm
from ..labels import gettext as _
from ..limits import intake_limit
from ..models import Complaint
from . import _field_message, bp, locale, show_error
from .public import track_context, visible_or_404

# the pending requests of this browser, oldest first: [{"t": tenant id, "number": ..., "row": follower
# row id, "to": masked contact, "until": epoch seconds}], never the code (only its keyed hash, in the
# row). Each stays valid until used or expired, so one browser may follow two complaints (or one on
# two contacts) at once; at most MAX_PENDING are kept, the oldest dropped (the cookie stays small).
_PENDING = "complaints_follow_pending"
MAX_PENDING = 5
CODE_RATE = "5 per 10 minutes;20 per day"  # codes sent per client and tenant (PAMONG_COMPLAINTS_CODE_RATE)


def _code_key() -> str:
    return f"complaints-code:{g.tenant.slug}:{get_remote_address()}"


def _entries() -> list[dict]:
    """Every pending request this browser remembers, at any tenant, still in its time, oldest first
    (a session from before kept one request, as a dict: the list of that one)."""
    raw = session.get(_PENDING) or []
    raw = [raw] if isinstance(raw, dict) else raw if isinstance(raw, list) else []
    now = time.time()
    return [e for e in raw if isinstance(e, dict) and isinstance(e.get("row"), int) and e.get("until", now) >= now]


def _ours(entry: dict) -> bool:
    return entry.get("t", g.tenant.id) == g.tenant.id


def _remember(complaint, row) -> None:
    """``row`` is pending for this browser, beside its other requests (the oldest dropped past
    ``MAX_PENDING``)."""
    kept = [e for e in _entries() if not (_ours(e) and e["row"] == row.id)]  # a repeat request: once
    kept.append({"t": g.tenant.id, "number": complaint.number, "row": row.id, "to": _masked(row.channel, row.contact),
                 "until": int(time.time()) + following.CODE_MINUTES * 60})
    session[_PENDING] = kept[-MAX_PENDING:]


def _keep_only(number: str, row_ids: set[int]) -> None:
    """Of this tenant's requests for complaint ``number``, keep those ``row_ids`` (the others used
    or gone); the rest as they are."""
    session[_PENDING] = [e for e in _entries() if not (_ours(e) and e.get("number") == number)
                         or e["row"] in row_ids]


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
    except ValidationError as exc:  # finished: the page says so
        db.session.rollback()
        flash(_field_message(exc), "error")
        return redirect(url_for("complaints.track", number=complaint.number))
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


def _masked(channel: str, address: str) -> str:
    if channel == "email":
        name, _at, domain = address.partition("@")
        return f"{name[:1]}…@{domain}"
    return f"…{address[-4:]}"


@bp.route("/track/<number>/follow/contact", methods=["POST"])
@intake_limit()
@limiter.limit(lambda: current_app.config.get("PAMONG_COMPLAINTS_CODE_RATE", CODE_RATE), key_func=_code_key,
               methods=["POST"])
@public
def follow_by_contact(number: str):
    """Ask for a code to follow without an account; the code page next."""
    complaint = visible_or_404(number)
    form = FollowContactForm(prefix="followc")
    if complaint.confidential:
        abort(404)
    if form.validate_on_submit():
        try:
            row = following.request_follow(g.tenant, complaint, form.contact.data, locale())
            db.session.commit()
        except ValidationError as exc:
            db.session.rollback()
            show_error(form, exc)
        else:  # the same answer whether the contact follows already or not (follow.request_follow)
            _remember(complaint, row)
            return redirect(url_for("complaints.follow_confirm", number=complaint.number))
    return render_template("complaints/track.html", **track_context(complaint, follow_contact_form=form)), 400


@bp.route("/track/<number>/follow/confirm", methods=["GET", "POST"])
@intake_limit()
@public
def follow_confirm(number: str):
    """Type back the code: the contact follows the complaint from now on."""
    complaint = visible_or_404(number)
    if complaint.confidential:
        abort(404)
    pending = [e for e in _entries() if _ours(e)]
    here = [e for e in pending if e.get("number") == complaint.number]
    form = FollowCodeForm()
    form.code.description = _("The %(n)s digits of the message we sent.", n=following.CODE_DIGITS)
    if not pending:
        flash(_("Give your phone number or e-mail address first: we send the code to it."))
        return redirect(url_for("complaints.track", number=complaint.number) + "#follow-contact")
    if request.method == "POST" and form.validate_on_submit():
        asked = [e["row"] for e in here]
        try:
            row = following.confirm_follow(g.tenant, complaint, asked, form.code.data)
        except ValidationError as exc:
            db.session.commit()  # a wrong try is counted (MAX_TRIES); nothing else was written
            show_error(form, exc)
        else:
            db.session.commit()
            # the code used is spent; this complaint's other requests (another contact) stay
            _keep_only(complaint.number, following.still_pending(g.tenant, asked))
            # a duplicate merged meanwhile: the contact follows the original (follow.confirm_follow)
            followed = complaint.number if row.complaint_id == complaint.id else db.session.execute(
                db.select(Complaint.number).where(Complaint.id == row.complaint_id)).scalar()
            flash(_("You follow complaint %(number)s: you will be told when it changes. Every message has a "
                    "link to stop.", number=followed))
            return redirect(url_for("complaints.track", number=followed))
    status = 400 if request.method == "POST" else 200
    return render_template("complaints/follow_confirm.html", complaint=complaint, form=form,
                           to=", ".join(dict.fromkeys(e.get("to", "") for e in here if e.get("to"))),
                           other=not here, minutes=following.CODE_MINUTES), status


@bp.route("/unfollow/<token>", methods=["GET", "POST"])
@intake_limit()
@public
@csrf_exempt  # the signed token is the capability; a mail client's one-click POST carries no CSRF token
def unfollow_link(token: str):
    """The link in every message to a follower without an account: one button (GET shows it, so
    that a mail scanner opening links stops nobody), no sign-in; a POST straight to the link also
    works (a mail client's one-click unsubscribe, RFC 8058)."""
    try:
        following.check_unfollow_token(g.tenant, token)
    except ValidationError:
        return render_template("complaints/unfollow.html", invalid=True), 400
    if request.method == "POST":
        number = following.unfollow_by_token(g.tenant, token)
        db.session.commit()
        return render_template("complaints/unfollow.html", done=True, number=number)
    return render_template("complaints/unfollow.html", token=token)
