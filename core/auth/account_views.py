"""Pages for getting an account (issue 19.1), on the auth blueprint: "forgot password", the
invitation and reset links (choose a password), citizen registration and its verification link,
and the admin's "send the invitation again". Every page needs a tenant (404 without one); every
POST is CSRF-protected and rate-limited per client address like sign-in (``PAMONG_LOGIN_RATE``).

A link that cannot be used (altered, expired, used already, made for another tenant) gets one page
saying so and what to do, answered 400; nothing changes.
"""
from __future__ import annotations

from flask import abort, current_app, flash, g, redirect, render_template, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user

from ..errors import PamongError
from ..extensions import db, limiter
from . import tokens
from .forms import ConfirmForm, ForgotForm, RegisterForm, SetPasswordForm, SmsCodeForm
from .invitations import invite_again, request_reset, set_password_from_link
from .permissions import public, requires
from .registration import open_for, phone_only_allowed, register as register_account, verify as verify_account, verify_sms as check_sms_code
from .registration import resend_sms_code, sms_code_wait
from .service import find_user, tenant_member
from .views import bp


def _rate():
    return current_app.config["PAMONG_LOGIN_RATE"]


def _need_tenant():
    if g.get("tenant") is None:
        abort(404)


def _private(response_and_status):
    """No referrer leaves a page whose address holds a token."""
    body, status = response_and_status if isinstance(response_and_status, tuple) else (response_and_status, 200)
    response = current_app.make_response((body, status))
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _link_problem(kind: str, purpose: str):
    messages = {
        "expired": _("This link has expired."),
        "used": _("This link has been used already, or the password was changed since it was sent."),
        "tenant": _("This link belongs to another service: open it from the message you received, unchanged."),
        "invalid": _("This link is not valid: it may have been cut short or changed."),
    }
    return _private((render_template("auth/link_problem.html", message=messages.get(kind, messages["invalid"]),
                                     purpose=purpose), 400))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_rate, methods=["POST"])
@public
def forgot():
    """Ask for a reset link. The answer is the same whether or not the address has an account."""
    _need_tenant()
    form = ForgotForm()
    if form.validate_on_submit():
        try:
            request_reset(g.tenant, form.email.data)
            db.session.commit()
        except PamongError:  # an old account whose address the outbox refuses: the same answer anyway
            db.session.rollback()
        given = form.email.data.strip()
        return render_template("auth/forgot_sent.html", email=given, by_sms="@" not in given)
    return render_template("auth/forgot.html", form=form), (400 if form.errors else 200)


def _set_password(purpose: str, token: str):
    _need_tenant()
    try:
        user = tokens.peek(purpose, token, g.tenant)
    except tokens.TokenProblem as problem:
        return _link_problem(problem.kind, purpose)
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            set_password_from_link(purpose, token, g.tenant, form.new.data)
        except tokens.TokenProblem as problem:  # used meanwhile (another tab)
            db.session.rollback()
            return _link_problem(problem.kind, purpose)
        except PamongError as exc:
            db.session.rollback()
            form.new.errors.append(str(exc.local or _("This password cannot be used.")))
        else:
            db.session.commit()
            from flask_login import logout_user

            if current_user.is_authenticated:
                logout_user()  # whoever was signed in in this browser: the new password is for a sign-in
            flash(_("Your password is set. Sign in with it; every other session of this account has ended."))
            return redirect(url_for("auth.login"))
    return _private((render_template("auth/set_password.html", form=form, email=user.email, purpose=purpose),
                     400 if form.errors else 200))


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@limiter.limit(_rate, methods=["POST"])
@public
def accept_invitation(token: str):
    """An invitation link: choose the account's password."""
    return _set_password(tokens.INVITE, token)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit(_rate, methods=["POST"])
@public
def reset_password(token: str):
    """A reset link: choose a new password."""
    return _set_password(tokens.RESET, token)


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_rate, methods=["POST"])
@public
def register():
    """A citizen creates an account, where the tenant allows it (404 elsewhere)."""
    _need_tenant()
    if not open_for(g.tenant):
        abort(404)
    form = RegisterForm()
    form.phone_only = phone_only_allowed(g.tenant)
    if form.phone_only:  # either of the two will do: neither is marked as needed
        form.email.label.text = _("E-mail (optional)")
    if form.validate_on_submit():
        phone = (form.phone.data or "").strip() or None
        email = (form.email.data or "").strip() or None
        try:
            register_account(g.tenant, email, form.name.data, form.password.data,
                             locale=str(get_locale() or "") or None, phone=phone)
            target = find_user(email or phone) if phone else None
            page = tokens.make(tokens.SMS_CODE, g.tenant, target) if target is not None else None
        except PamongError as exc:
            db.session.rollback()
            if exc.where == "phone":
                form.phone.errors.append(_("Not a phone number: %(phone)s", phone=phone))
            else:
                (form.password if exc.where == "password" else form.email).errors.append(
                    str(exc.local or _("This could not be done: check the form and try again.")))
        else:
            db.session.commit()
            if page is not None:
                return redirect(url_for("auth.verify_sms", token=page))
            return render_template("auth/register_sent.html", email=email)
    return render_template("auth/register.html", form=form, phone_only=form.phone_only), (400 if form.errors else 200)


@bp.route("/register/verify/<token>", methods=["GET", "POST"])
@limiter.limit(_rate, methods=["POST"])
@public
def verify(token: str):
    """A verification link: one button confirms the address (opening the link changes nothing,
    so a mail scanner that fetches it does not use it up)."""
    _need_tenant()
    try:
        user = tokens.peek(tokens.VERIFY, token, g.tenant)
    except tokens.TokenProblem as problem:
        return _link_problem(problem.kind, tokens.VERIFY)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            verify_account(g.tenant, token)
        except tokens.TokenProblem as problem:
            db.session.rollback()
            return _link_problem(problem.kind, tokens.VERIFY)
        db.session.commit()
        flash(_("Your e-mail address is confirmed. You can sign in now."))
        return redirect(url_for("auth.login"))
    return _private(render_template("auth/verify.html", form=form, email=user.email))


@bp.route("/register/verify-sms/<token>", methods=["GET", "POST"])
@limiter.limit(_rate, methods=["POST"])
@public
def verify_sms(token: str):
    """Type the code sent by SMS to confirm a new account (the page's address names the account;
    only the code proves the phone). Wrong codes count like wrong passwords."""
    _need_tenant()
    try:
        tokens.peek(tokens.SMS_CODE, token, g.tenant)
    except tokens.TokenProblem as problem:
        return _link_problem(problem.kind, tokens.VERIFY)
    form = SmsCodeForm()
    if form.validate_on_submit():
        try:
            check_sms_code(g.tenant, token, form.code.data)
        except tokens.TokenProblem as problem:
            db.session.rollback()
            return _link_problem(problem.kind, tokens.VERIFY)
        except PamongError as exc:
            db.session.rollback()
            form.code.errors.append(_("Wait a few minutes before trying again.") if exc.code == "waiting"
                                    else _("This is not the code we sent."))
        else:
            db.session.commit()
            flash(_("Your account is confirmed. You can sign in now."))
            return redirect(url_for("auth.login"))
    return _private((render_template("auth/verify_sms.html", form=form, resend=ConfirmForm(prefix="resend"),
                                     token=token), 400 if form.errors else 200))


@bp.route("/register/verify-sms/<token>/resend", methods=["POST"])
@limiter.limit(_rate)
@public
def resend_sms(token: str):
    """"Send the code again" on the code page: a new code to the same number, at most one per
    ``PAMONG_RESET_INTERVAL`` (the page says when one can be asked again). The answer does not
    tell whether the page's account waits for a code at all."""
    import math

    _need_tenant()
    try:
        user = tokens.peek(tokens.SMS_CODE, token, g.tenant)
    except tokens.TokenProblem as problem:
        return _link_problem(problem.kind, tokens.VERIFY)
    if not ConfirmForm(prefix="resend").validate_on_submit():
        abort(400)
    wait = sms_code_wait(g.tenant, user)
    if not wait:
        resend_sms_code(g.tenant, user)
        db.session.commit()
        flash(_("A new code is on its way by SMS."))
    else:
        flash(_("A code was sent recently. You can ask for a new one after %(minutes)s min.",
                minutes=max(1, math.ceil(wait / 60))))
    return redirect(url_for("auth.verify_sms", token=token))


@bp.route("/admin/users/<int:user_id>/invite", methods=["POST"])
@requires("core.admin")
def admin_invite(user_id: int):
    """A tenant admin sends a person with a role in the tenant a new link to set their password:
    the way the last invitation went (``invite_again``), by e-mail if the admin chose
    ``channel=email``, by SMS if they typed a phone number. Audited as ``auth.invitation_sent``."""
    from flask import request

    user = tenant_member(user_id)
    if user is None:
        abort(404)
    if user.is_operator and not current_user.is_operator:
        abort(403)  # a tenant admin does not reset the deployment's operators
    if user.password_hash:  # they can sign in, or use "Forgot password?": the link goes to them only
        flash(_("%(email)s has a password already: they can use \"Forgot password?\" on the sign-in page.",
                email=user.email), "error")
        return redirect(url_for("admin.users"))
    try:
        message = invite_again(g.tenant, user, current_user._get_current_object(),
                               channel=request.form.get("channel") or None,
                               phone=(request.form.get("phone") or "").strip() or None)
        db.session.commit()
        flash(_("An invitation was sent to %(email)s by SMS.", email=user.email) if message.channel == "sms"
              else _("An invitation was sent to %(email)s.", email=user.email))
    except PamongError as exc:
        db.session.rollback()
        problem = (_("only someone new, without a role in another service, can be invited by SMS")
                   if exc.code == "phone_not_allowed"
                   else _("that is not a phone number") if exc.where == "phone"
                   else str(exc.local) if exc.local else _("the message could not be queued"))
        flash(_("No invitation was sent: %(problem)s", problem=problem), "error")
    return redirect(url_for("admin.users"))
