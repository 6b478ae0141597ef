"""Flask-Login wiring: sessions are signed cookies (the web tier is stateless), revocable per person.

The id kept in the session cookie and in the remember cookie is Flask-Login's alternative id
``"<user id>:<session generation>"`` (``User.get_id``). Every request loads the user and compares
the generation, so sign-out, a password change or an admin's "sign out everywhere" (each gives the
user a new generation) ends every session and remember cookie of that person on every device at
their next request (issue 10.2; OWASP Session Management Cheat Sheet, "Session expiration").

Responses to a signed-in person, and any response that used or ended such a session, carry
``Cache-Control: private, no-store`` so no shared or browser cache keeps personal pages (10.14).
"""
import hmac

from flask import g, request, session
from flask_babel import lazy_gettext as _l

from ..extensions import db
from .models import User

NO_STORE = "private, no-store"


def load_by_alternative_id(alt_id: str):
    """The active user whose ``get_id()`` is ``alt_id``, else None (stale generation, unknown id)."""
    user_id, sep, generation = (alt_id or "").partition(":")
    if not sep or not generation or not user_id.isdigit() or len(user_id) > 15:
        return None  # also every cookie from before generations existed (a bare id)
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.needs_verification:  # registered, not yet confirmed
        return None
    if not hmac.compare_digest(user.session_generation, generation):
        return None
    return user


def init_login(app, login_manager) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(alt_id: str):
        g._pamong_session_user = True  # a session or remember cookie named a user
        return load_by_alternative_id(alt_id)

    @app.after_request
    def personal_pages_are_not_cached(response):
        cookie = app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
        if request.endpoint == "static":  # the app's own CSS and images: nothing personal
            return response
        if (g.get("_pamong_session_user") or "_user_id" in session or request.cookies.get(cookie)
                or session.get("_remember") == "clear"):
            response.headers["Cache-Control"] = NO_STORE
            response.headers.pop("Expires", None)
        return response
