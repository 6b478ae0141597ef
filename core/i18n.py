"""Languages and time (DESIGN §3, §8): Indonesian first, the tenant's locale and time zone.

Each module has its own gettext domain (``modules/<name>/translations/<locale>/LC_MESSAGES/<name>.mo``),
looked up over the core's catalogue, so a module's templates and code find both.
"""
from __future__ import annotations

import re
from datetime import date, timezone
from decimal import Decimal, localcontext
from functools import lru_cache
from zoneinfo import ZoneInfo

import flask_babel
from babel import dates as babel_dates
from flask import current_app, g, has_request_context, request, session
from flask_babel import Domain, format_date, format_datetime, format_decimal, format_percent, get_locale, get_timezone

from flask.globals import _cv_app
from markupsafe import Markup, escape

from .catalogues import ModuleDomain
from .config import ROOT
from .tenancy.zones import zone_name

SUPPORTED = ("id", "en")
LOCALE_COOKIE = "pamong_locale"  # the visitor's language choice; no session needed (issue 11.3)


def remember_locale(response, locale: str) -> None:
    """Keep ``locale`` in the visitor's language cookie (a year; never read by JavaScript)."""
    response.set_cookie(LOCALE_COOKIE, locale, max_age=365 * 24 * 3600, path="/", httponly=True,
                        samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"])
CORE_TRANSLATIONS = ROOT / "core" / "translations"


def select_locale() -> str:
    """The page's language, first that applies: the visitor's explicit choice (the language switch's
    cookie; the session of a deployment from before the cookie), the signed-in person's last choice,
    the browser's ``Accept-Language`` among the tenant's languages, the tenant's default ("id" when
    no tenant). Anonymous pages that differ by ``Accept-Language`` say so (``Vary``, and the in-app
    cache's key: ``core.public_cache``)."""
    tenant = getattr(g, "tenant", None) if has_request_context() else None
    allowed = list(tenant.locales or ()) if tenant is not None else list(SUPPORTED)
    if not has_request_context():
        return tenant.default_locale if tenant is not None else "id"
    chosen = request.cookies.get(LOCALE_COOKIE) or session.get("locale")
    if chosen in allowed:
        return chosen
    from flask_login import current_user

    if current_user and current_user.is_authenticated and current_user.locale in allowed:
        return current_user.locale  # the signed-in person's last choice, on any device
    # a first-time visitor: the browser's languages, among the tenant's own (issue: a visitor with
    # Accept-Language: en was given Indonesian); a browser that asks for none of them gets the default
    if request.headers.get("Accept-Language"):
        best = request.accept_languages.best_match(allowed)
        if best:
            return best
    return tenant.default_locale if tenant is not None else "id"


def select_timezone() -> str:
    tenant = getattr(g, "tenant", None) if has_request_context() else None
    return tenant.timezone if tenant is not None else current_app.config["BABEL_DEFAULT_TIMEZONE"]


def _escaped_html(self) -> Markup:
    return escape(str(self))


# A lazy message is text, not markup. Flask-Babel's ``LazyString.__html__`` returns the text as it
# is, so Jinja and WTForms took every lazy message for safe HTML: ``_l("'%(name)s' is not a PDF
# file.", name=typed)`` shown as ``{{ error }}`` ran whatever markup was typed (an XSS, found in
# e-office), and a message such as "DAFTAR <poli> <tanggal>" lost its words as unknown tags.
# Escaped here once, for the core and every module, whichever import of ``lazy_gettext`` made it.
flask_babel.LazyString.__html__ = _escaped_html


def module_domain(name: str, translations_dir) -> Domain:
    """The gettext domain of one module, falling back to the core's catalogue.

    A module without up-to-date ``.mo`` files (pip-installed, freshly rendered) has its ``.po``
    compiled on first use into the instance folder (``catalogues.py``).
    """
    return ModuleDomain(name, translations_dir, CORE_TRANSLATIONS)


def request_translations():
    """The catalogue Flask-Babel's ``get_translations()`` gives (the request's domain and locale),
    remembered for the request: a page translates a hundred strings, and Flask-Babel looks the
    domain, the locale and its name up again for each (issue 11.4). A new domain (a module's
    guard) or a refreshed locale is a new pair of objects, so the memo is taken afresh."""
    ctx = _cv_app.get(None)
    if ctx is None:
        return flask_babel.get_translations()
    state = ctx.g.__dict__.get("_flask_babel")
    memo = ctx.g.__dict__.get("_pamong_translations")
    if memo is not None and state is not None and memo[0] is getattr(state, "babel_domain", None) \
            and memo[1] is getattr(state, "babel_locale", None):
        return memo[2]
    translations = flask_babel.get_translations()
    state = ctx.g.__dict__.get("_flask_babel")
    if state is not None and getattr(state, "babel_locale", None) is not None:
        ctx.g._pamong_translations = (getattr(state, "babel_domain", None), state.babel_locale, translations)
    return translations


def install_template_gettext(app) -> None:
    """Templates' ``_``/``gettext``/``ngettext``/``pgettext`` through ``request_translations``
    (the same catalogues and newstyle formatting as Flask-Babel's own, installed in their place)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
    )


def rupiah(amount: int | Decimal) -> str:
    """Rupiah as Indonesia writes them, the digits grouped as the reader's language does:
    "Rp 1.250.000" (id), "Rp 1,250,000" (en; CLDR's English "IDR 1,250,000" is not what an
    Indonesian reader of English expects), "-Rp 25.000".

    ``amount`` is an ``int`` or a ``Decimal`` of any size a form can give (up to ``MAX_DIGITS``
    digits: Python's own limit on reading an int from text): every digit is written, never rounded
    by the decimal context's 28-digit precision (a trial: amounts above 10^28 raised). A Decimal
    with a fraction keeps its fraction digits as given ("Rp 1.250,50"), one with a whole value is
    written as a whole number; -0 is "Rp 0". Not a number (float, bool, text): ``TypeError``; NaN,
    an infinity or more than ``MAX_DIGITS`` digits: ``ValueError``."""
    if isinstance(amount, bool) or not isinstance(amount, (int, Decimal)):
        raise TypeError("money is rupiah: an int or a Decimal")
    places = 0
    if isinstance(amount, Decimal):
        if not amount.is_finite():
            raise ValueError(f"money must be a finite amount, not {amount}")
        if amount != amount.to_integral_value():
            places = -amount.as_tuple().exponent  # the fraction digits as given
        whole = max(amount.adjusted() + 1, 1)
    else:
        whole = len(str(abs(amount))) if abs(amount) < _TOO_MANY else MAX_DIGITS + 1
    if whole + places > MAX_DIGITS:
        raise ValueError(f"money has more than {MAX_DIGITS} digits")
    with localcontext() as context:
        context.prec = max(context.prec, whole + places + 2)  # every digit: never rounded to 28
        if isinstance(amount, Decimal) and not places:
            amount = amount.quantize(Decimal(1))  # 1E+3 and 1000.00 as 1000
        return format_decimal(amount or 0, format="'Rp' #,##0" + ("." + "0" * places if places else ""))


MAX_DIGITS = 4300  # sys.get_int_max_str_digits()'s default: the longest int a form's text reads as
_TOO_MANY = 10 ** MAX_DIGITS


def month_name(month: str, pattern: str = "MMM y", locale: str | None = None) -> str:
    """A "YYYY-MM" month in the reader's language (``locale``, default the page's): "Des 2026" (id),
    "Dec 2026" (en); ``pattern`` a Babel date pattern ("MMM" for "Des", "MMMM y" for "Desember
    2026"), never "2026-12". A key of another form is returned as it is."""
    if not isinstance(month, str) or not _MONTH.fullmatch(month) or not 1 <= int(month[5:]) <= 12:
        return month
    first = date(int(month[:4]), int(month[5:]), 1)
    if locale:
        return babel_dates.format_date(first, pattern, locale=locale[:2])
    return format_date(first, pattern, rebase=False)


def month_axis(months: list[str], locale: str | None = None) -> list[tuple[str, str]]:
    """A chart's labels for "YYYY-MM" months, short enough for a 360 px phone: (the short month
    name, the year or ""), the year given with the first month and with each January."""
    return [(month_name(m, "MMM", locale), m[:4] if i == 0 or m[5:7] == "01" else "") for i, m in enumerate(months)]


_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")


# Numbers as the reader's language writes them: Indonesian "4,0" and "1.250" where English has
# "4.0" and "1,250" (CLDR, through Flask-Babel's locale). Every number that reaches a page goes
# through one of these (also Jinja filters, core/templating.py): never str() or "%.1f", which
# always write the English point. Attribute values that a machine reads (SVG coordinates, form
# values, data-* for scripts) keep Python's own spelling.

def local_decimal(value, digits: int | None = 1) -> str:
    """A measured figure (an average, a median, hours, KB) with ``digits`` fraction digits, always
    written: ``4,0`` (id), ``4.0`` (en); ``digits=None``: up to three, as needed. None gives ""."""
    if value is None:
        return ""
    if digits is None:
        return format_decimal(value)
    return format_decimal(value, format="#,##0" + ("." + "0" * digits if digits > 0 else ""))


def local_number(value) -> str:
    """A count with the language's grouping (``1.250`` id, ``1,250`` en); a fractional value as
    ``local_decimal(value, None)``; text (a figure a module already wrote) is returned as it is."""
    if value is None:
        return ""
    if isinstance(value, bool) or isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return format_decimal(value, format="#,##0")
    return format_decimal(value)


def local_percent(share, digits: int = 0) -> str:
    """A share (0.756) as a percentage in the reader's language: ``76%``, or with ``digits``
    ``75,6%`` (id) / ``75.6%`` (en). None gives ""."""
    if share is None:
        return ""
    return format_percent(share, format="#,##0" + ("." + "0" * digits if digits > 0 else "") + "%")


# the Jinja filters (core/templating.py); modules reach the functions through core.kit
NUMBER_FILTERS = {"decimal": local_decimal, "number": local_number, "percent": local_percent}


# Dates as Indonesia writes them, in both languages: day, month, year, a 24-hour clock, never the
# US "11/30/26, 2:05 PM" nor a two-digit year (issue 20.6). English follows the Indonesian-English
# (and British) order "30 Nov 2026 14:05"; Indonesian keeps CLDR's own time separator "14.05"
# (PUEBI writes times with a full stop). The zone is not in these patterns: ``local_datetime`` adds
# the tenant's WIB/WITA/WIT itself. Formats not listed here are CLDR's for the locale.
DATE_FORMATS = {
    "en": {
        "date.short": "d MMM y", "date.medium": "d MMM y", "date.long": "d MMMM y", "date.full": "EEEE, d MMMM y",
        "time.short": "HH:mm", "time.medium": "HH:mm:ss", "time.long": "HH:mm:ss", "time.full": "HH:mm:ss",
        "datetime.short": "d MMM y HH:mm", "datetime.medium": "d MMM y HH:mm", "datetime.long": "d MMMM y HH:mm",
        "datetime.full": "EEEE, d MMMM y HH:mm",
    },
    "id": {
        "date.short": "d MMM y", "time.long": "HH.mm.ss", "time.full": "HH.mm.ss",
        "datetime.short": "d MMM y HH.mm", "datetime.medium": "d MMM y HH.mm", "datetime.long": "d MMMM y HH.mm",
        "datetime.full": "EEEE, d MMMM y HH.mm",
    },
}


class LocaleDateFormats(dict):
    """Flask-Babel's ``date_formats`` answered per request locale from ``DATE_FORMATS``, so that
    ``format_date``/``format_datetime``/``format_time`` (and their Jinja filters) everywhere, in
    every module, write dates the same way. Keys and defaults as Flask-Babel's own mapping."""

    def __getitem__(self, key):
        locale = get_locale()
        language = locale.language if locale is not None else "id"
        found = DATE_FORMATS.get(language, {}).get(key)
        return found if found is not None else super().__getitem__(key)


def _current_zone() -> str:
    """The IANA name of the zone dates are shown in (the tenant's; Flask-Babel's timezone)."""
    from flask import has_app_context

    if has_app_context():
        return str(get_timezone())
    return "Asia/Jakarta"


def local_datetime(value, fmt: str = "medium", zone: bool = True) -> str:
    """A UTC datetime in the current tenant's time zone and locale, with the zone's name:
    "30 Nov 2026 22.05 WITA" (id), "30 Nov 2026 22:05 WITA" (en). ``fmt``: "short", "medium",
    "long", "full" (``DATE_FORMATS``) or a Babel pattern; ``zone=False`` leaves the name off.
    Also the Jinja filter ``local_datetime``: ``{{ c.created_at|local_datetime("short") }}``."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    ctx = _cv_app.get(None)
    state = ctx.g.__dict__.get("_flask_babel") if ctx is not None else None
    locale = getattr(state, "babel_locale", None) or get_locale()  # what Flask-Babel chose for the request
    if locale is None:  # outside a request: Flask-Babel's defaults
        text = format_datetime(value, fmt)
        return f"{text} {zone_name(_current_zone(), value)}" if zone else text
    # straight to Babel with the request's locale and zone (Flask-Babel's own path costs about as much
    # again per call, which a 50-row list pays 100 times: issue 11.4)
    tz = getattr(state, "babel_tzinfo", None) or get_timezone()
    text = babel_dates.format_datetime(value, _pattern(locale.language, fmt), tzinfo=tz, locale=locale)
    return f"{text} {zone_name(str(tz), value)}" if zone else text


def datetime_formatter(fmt: str = "medium", zone: bool = True):
    """``local_datetime`` with the request's locale, zone and pattern looked up once: a callable
    (UTC datetime or None -> text, the same text as ``local_datetime(value, fmt, zone)``) for a page
    that writes many times (a list of 50 rows writes 100: issue 11.4). Outside a request, and for
    a name Babel must resolve itself, it is ``local_datetime``."""
    ctx = _cv_app.get(None)
    state = ctx.g.__dict__.get("_flask_babel") if ctx is not None else None
    locale = getattr(state, "babel_locale", None) or get_locale()
    pattern = _pattern(locale.language, fmt) if locale is not None else fmt
    if locale is None or pattern in _NAMED:
        return lambda value: local_datetime(value, fmt, zone)
    tz = getattr(state, "babel_tzinfo", None) or get_timezone()
    compiled, tz_key = babel_dates.parse_pattern(pattern), str(tz)

    def format(value) -> str:
        if value is None:
            return ""
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        text = compiled.apply(value.astimezone(tz), locale)
        return f"{text} {zone_name(tz_key, value)}" if zone else text

    return format


@lru_cache(maxsize=64)
def _pattern(language: str, fmt: str) -> str:
    """The Babel pattern of ``fmt`` ("short", ... or a pattern) for dates with times in ``language``:
    ``DATE_FORMATS`` where it has one, else the name itself (Babel then takes CLDR's)."""
    return DATE_FORMATS.get(language, {}).get(f"datetime.{fmt}", fmt) if fmt in _NAMED else fmt


_NAMED = ("short", "medium", "long", "full")


def local_iso(value, zone: str | None = None) -> str | None:
    """A datetime as ISO 8601 in the tenant's offset, to the second, as Open311 gives it
    (``2026-11-30T22:05:00+08:00``): for JSON and CSV. ``zone``: an IANA name (default: the current
    tenant's). None stays None; a naive value is taken as UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(ZoneInfo(zone or _current_zone())).isoformat(timespec="seconds")


def now_utc():
    from .clock import now

    return now()


def current_locale() -> str:
    return str(get_locale() or "id")
