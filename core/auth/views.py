"""Sign-in and sign-out (rate-limited sign-in, CSRF-protected forms), and an admin's
"sign out everywhere" for a person with a role in the tenant."""
import math

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from ..audit import record
from ..extensions import db, limiter
from . import throttle
from .forms import LoginForm, PasswordForm
from .next_url import safe_next
from .passwords import burn, verify_password
from .permissions import public, requires, signed_in
from .service import change_password, end_sessions, find_user, is_phone_account, sign_out_everywhere, tenant_member

bp = Blueprint("auth", __name__)


def _check(user, password: str) -> tuple[bool, bool]:
    """(password right, account waiting). Always one argon2 verification, whoever asks (10.9)."""
    if user is None or not user.active:
        verify_password(None, password)
        return False, False
    if throttle.waiting(user):
        burn(password)  # not checked while the account waits, but just as slow
        return False, True
    return verify_password(user, password), False


def _unverified(user) -> str:
    """What the sign-in page tells the owner of an unconfirmed address, and truly: a new link put in
    the outbox now, or (one went out less than ``PAMONG_RESET_INTERVAL`` ago, so none now) when
    signing in again will send one."""
    from .registration import send_verification, verification_wait

    if g.tenant is None:  # the link is the tenant's (deployment pages have no outbox)
        return _("Confirm your e-mail address first: open the link we sent to it.")
    if send_verification(g.tenant, user):
        db.session.commit()
        return _("Confirm your e-mail address first: a new link is on its way to it now.")
    minutes = max(1, math.ceil(verification_wait(g.tenant, user) / 60))
    return _("Confirm your e-mail address first: open the link we sent to it recently. You can get a new one "
             "by signing in again after %(minutes)s min.", minutes=minutes)


def _sms_code_page(user) -> str:
    """A phone-only account not yet confirmed, signing in with the right password: a new code by
    SMS (at most one per ``PAMONG_RESET_INTERVAL``) and the page to type it, which says which of
    the two happened (like ``_unverified`` for an e-mail address)."""
    from . import tokens
    from .registration import resend_sms_code, sms_code_wait

    if resend_sms_code(g.tenant, user):
        db.session.commit()
        flash(_("Your account is not confirmed yet: a new code is on its way to your number by SMS now."))
    else:
        minutes = max(1, math.ceil(sms_code_wait(g.tenant, user) / 60))
        flash(_("Your account is not confirmed yet: type the code we sent to your number recently. You can ask "
                "for a new one after %(minutes)s min.", minutes=minutes))
    return url_for("auth.verify_sms", token=tokens.make(tokens.SMS_CODE, g.tenant, user))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["PAMONG_LOGIN_RATE"], methods=["POST"])
@public
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = find_user(form.email.data)
        right, waiting = _check(user, form.password.data)
        if right and user.needs_verification:  # registered, address not confirmed yet: no sign-in
            if g.tenant is not None and is_phone_account(user):  # confirmed by a code sent by SMS
                return redirect(_sms_code_page(user))
            form.email.errors.append(_unverified(user))  # only with the right password: nothing more revealed
            return render_template("auth/login.html", form=form)
        if right:
            throttle.clear(user)
            login_user(user, remember=form.remember.data)
            if g.tenant is not None:
                record(g.tenant, user, "auth.login", "user", user.email)
            db.session.commit()
            # the deployment's operator, signed in at the deployment's address, lands on the console
            landing = "operator.home" if g.tenant is None and user.is_operator else "portal.home"
            return redirect(safe_next(request.args.get("next"), landing))
        if user is not None and user.active and not waiting:
            throttle.record_failure(user, g.tenant)
        # the same answer for an unknown address, a wrong password and an account that waits
        form.password.errors.append(_("Wrong e-mail address, mobile number or password."))
    return render_template("auth/login.html", form=form)


@bp.route("/password", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["PAMONG_LOGIN_RATE"], methods=["POST"])
@signed_in
def password():
    """Change one's password: every other session and remember cookie ends; this one goes on."""
    form = PasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        right, waiting = _check(user, form.current.data)
        if right:
            remember = bool(request.cookies.get(current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")))
            throttle.clear(user)
            change_password(user, form.new.data, user, g.tenant)
            login_user(user, remember=remember)  # this browser, with the new generation
            db.session.commit()
            flash(_("Your password is changed. You are signed out on every other device."))
            return redirect(url_for("portal.home"))
        if not waiting:
            throttle.record_failure(user, g.tenant)
        form.current.errors.append(_("Wrong password."))
    return render_template("auth/password.html", form=form)


@bp.route("/logout", methods=["POST"])
@public
def logout():
    """Sign out: this person's sessions end everywhere, their remember cookies too."""
    if current_user.is_authenticated:
        user = current_user._get_current_object()
        end_sessions(user)
        if g.tenant is not None:
            record(g.tenant, user, "auth.logout", "user", user.email)
        db.session.commit()
    logout_user()
    flash(_("You are signed out."))
    return redirect(url_for("portal.home"))


@bp.route("/admin/users/<int:user_id>/sign-out-everywhere", methods=["POST"])
@requires("core.admin")
def admin_sign_out_everywhere(user_id: int):
    """A tenant admin ends every session of a person with a role in the tenant (audited)."""
    user = tenant_member(user_id)
    if user is None:
        abort(404)
    if user.is_operator and not current_user.is_operator:
        abort(403)  # a tenant admin does not sign the deployment's operators out
    sign_out_everywhere(user, current_user._get_current_object(), g.tenant)
    db.session.commit()
    flash(_("%(email)s is signed out on every device.", email=user.email))
    return redirect(url_for("admin.users"))


from . import account_views  # noqa: E402,F401  (invitations, resets, registration: on this blueprint)
