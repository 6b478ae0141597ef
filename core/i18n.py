"""Languages and time (DESIGN §3, §8): Indonesian first, the tenant's locale and time zone.

Each module has its own gettext domain (``modules/<name>/translations/<locale>/LC_MESSAGES/<name>.mo``),
looked up over the core's catalogue, so a module's templates and code find both.
"""
from __future__ import annotations

from flask import current_app, g, has_request_context, request, session
from flask_babel import Domain, format_currency, format_datetime, get_locale

from .catalogues import ModuleDomain
from .config import ROOT

SUPPORTED = ("id", "en")
LOCALE_COOKIE = "pamong_locale"  # the visitor's language choice; no session needed (issue 11.3)


def remember_locale(response, locale: str) -> None:
    """Keep ``locale`` in the visitor's language cookie (a year; never read by JavaScript)."""
    response.set_cookie(LOCALE_COOKIE, locale, max_age=365 * 24 * 3600, path="/", httponly=True,
                        samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"])
CORE_TRANSLATIONS = ROOT / "core" / "translations"


def select_locale() -> str:
    tenant = getattr(g, "tenant", None) if has_request_context() else None
    allowed = list(tenant.locales) if tenant is not None else list(SUPPORTED)
    # the language cookie; the session of a deployment from before the cookie still counts
    chosen = (request.cookies.get(LOCALE_COOKIE) or session.get("locale")) if has_request_context() else None
    if chosen in allowed:
        return chosen
    if has_request_context():
        from flask_login import current_user

        if current_user and current_user.is_authenticated and current_user.locale in allowed:
            return current_user.locale  # the signed-in person's last choice, on any device
    if tenant is not None:
        return tenant.default_locale
    if has_request_context():
        return request.accept_languages.best_match(allowed) or "id"
    return "id"


def select_timezone() -> str:
    tenant = getattr(g, "tenant", None) if has_request_context() else None
    return tenant.timezone if tenant is not None else current_app.config["BABEL_DEFAULT_TIMEZONE"]


def module_domain(name: str, translations_dir) -> Domain:
    """The gettext domain of one module, falling back to the core's catalogue.

    A module without up-to-date ``.mo`` files (pip-installed, freshly rendered) has its ``.po``
    compiled on first use into the instance folder (``catalogues.py``).
    """
    return ModuleDomain(name, translations_dir, CORE_TRANSLATIONS)


def rupiah(amount: int) -> str:
    """Integer rupiah in the current locale (Rp 1.250.000 in Indonesian)."""
    if not isinstance(amount, int):
        raise TypeError("money is integer rupiah")
    return format_currency(amount, "IDR", format_type="standard", currency_digits=False, format="¤ #,##0")


def local_datetime(value, fmt: str = "medium") -> str:
    """A UTC datetime shown in the current tenant's time zone and locale."""
    if value is None:
        return ""
    if value.tzinfo is None:
        from datetime import timezone

        value = value.replace(tzinfo=timezone.utc)
    return format_datetime(value, fmt)


def now_utc():
    from .clock import now

    return now()


def current_locale() -> str:
    return str(get_locale() or "id")
