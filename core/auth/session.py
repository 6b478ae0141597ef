"""Flask-Login wiring: users load by id; sessions are signed cookies (the web tier is stateless)."""
from flask_babel import lazy_gettext as _l

from ..extensions import db
from .models import User


def init_login(app, login_manager) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str):
        user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
        return user if user is not None and user.active else None
