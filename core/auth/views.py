"""Sign-in and sign-out (rate-limited sign-in, CSRF-protected forms)."""
from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from ..audit import record
from ..extensions import db, limiter
from .forms import LoginForm
from .next_url import safe_next
from .passwords import verify_password
from .permissions import public
from .service import find_user

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["PAMONG_LOGIN_RATE"], methods=["POST"])
@public
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = find_user(form.email.data)
        if user is not None and user.active and verify_password(user, form.password.data):
            login_user(user, remember=form.remember.data)
            if g.tenant is not None:
                record(g.tenant, user, "auth.login", "user", user.email)
            db.session.commit()
            return redirect(safe_next(request.args.get("next")))
        form.password.errors.append(_("Wrong e-mail or password."))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@public
def logout():
    if current_user.is_authenticated and g.tenant is not None:
        record(g.tenant, current_user._get_current_object(), "auth.logout", "user", current_user.email)
        db.session.commit()
    logout_user()
    flash(_("You are signed out."))
    return redirect(url_for("portal.home"))
