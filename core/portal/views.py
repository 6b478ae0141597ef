"""The deployment's landing page, each tenant's home, the language switch and branding CSS."""
from flask import Blueprint, Response, current_app, g, redirect, render_template, request
from flask_login import current_user

from ..auth.next_url import safe_next
from ..auth.permissions import public
from ..extensions import db
from ..i18n import SUPPORTED, remember_locale
from ..tenancy.models import Tenant

bp = Blueprint("portal", __name__)


@bp.route("/")
@public
def home():
    if g.tenant is None:
        tenants = db.session.execute(db.select(Tenant).order_by(Tenant.kind, Tenant.name)).scalars().all()
        return render_template("portal/landing.html", tenants=tenants)
    manager = current_app.extensions["pamong"]
    metrics = []
    for answer in manager.collect(g.tenant, "dashboard_metrics", enabled=g.enabled_modules,
                                  app=current_app._get_current_object(), tenant=g.tenant):
        metrics += answer or []
    return render_template("portal/home.html", metrics=metrics)


@bp.route("/lang", methods=["GET", "POST"])
@public
def switch_language():
    """The language switch: a cookie of its own, so an anonymous visitor needs no session and no
    CSRF token to change it (issue 11.3: anonymous pages stay cacheable). A signed-in person's
    choice (POST, CSRF-checked) is also remembered on their account for their other devices."""
    values = request.form if request.method == "POST" else request.args
    locale = values.get("locale", "")
    allowed = g.tenant.locales if g.tenant is not None else SUPPORTED
    response = redirect(safe_next(values.get("next")))
    if locale in allowed:
        remember_locale(response, locale)
        if request.method == "POST" and current_user.is_authenticated and current_user.locale != locale:
            current_user.locale = locale  # remembered for the next sign-in, elsewhere too
            db.session.commit()
    return response


@bp.route("/branding.css")
@public
def branding_css():
    """The tenant's colours as CSS variables (served, so the CSP needs no inline styles)."""
    branding = (g.tenant.branding if g.tenant is not None else None) or {}
    primary = branding.get("primary_color", "#0b5394")
    accent = branding.get("accent_color", "#f1c232")
    css = f":root {{ --primary: {primary}; --accent: {accent}; }}\n"
    return Response(css, mimetype="text/css", headers={"Cache-Control": "public, max-age=300"})
