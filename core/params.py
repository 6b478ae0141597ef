"""Numbers and dates from a request, with bounds, checked in one place (issue 10 item 6).

Every numeric or date parameter a route reads goes through here, so that no value can reach
Python's ``datetime`` arithmetic, an ``OFFSET`` or a database column out of range:

- ``int_arg(name, default, min=, max=)``: ASCII digits with an optional sign, at most 18 of them,
  then ``min <= value <= max``;
- ``float_arg(name, min=, max=)``: a finite decimal number (no ``nan``/``inf``, at most 64
  characters), then the range; ``lat_arg``/``lon_arg`` are WGS 84 latitude (-90..90) and
  longitude (-180..180) in degrees;
- ``date_arg(name, min=, max=)``: ``YYYY-MM-DD`` within ``DATE_MIN``..``DATE_MAX``;
- ``month_arg(name, min=, max=)``: a month ``YYYY-MM`` (its first day) within the bounds' months;
  present but empty is refused too (a month is never silently replaced by another);
- ``check_datetime(value, name)``: an aware or naive datetime, checked on its own clock face
  *before* any shift between time zones, so that ``0001-01-01T00:00:00+01:00`` is refused
  instead of overflowing when converted to UTC.

The ``*_arg`` readers take ``request.args`` (or ``source``) and raise ``ParameterError``, an HTTP 400
that the error handlers (``core/http_errors.py``) answer in the route's own format (Pamong JSON
under ``/api/``, Open311 XML/JSON, an HTML page). The pure ``parse_*`` functions raise
``OutOfBounds`` (a ``ValueError``) for callers that report the problem their own way (a form, a
``ValidationError``). Each reader records the parameter it read for the request's endpoint in
``DECLARED`` (the URL-map test sends every one of them at and beyond its bounds).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime

from flask import has_request_context, request
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

# Far inside what datetime (years 1..9999), PostgreSQL and SQLite hold, so that a bound shifted
# by a time zone, a day or a 90-day window never overflows.
DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2999, 12, 31)
MAX_PAGE = 1_000_000  # with at most 1000 a page, an OFFSET below 10**9: inside every INTEGER
MAX_RAW_LENGTH = 64
MAX_ID = 2**31 - 1  # a database INTEGER (PostgreSQL ``integer``), the type of every id column

_INT = re.compile(r"[+-]?[0-9]{1,18}")
_FLOAT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MONTH = re.compile(r"([0-9]{4})-([0-9]{1,2})")


class OutOfBounds(ValueError):
    """A value that is not of its kind or not within its bounds; ``message`` says which, localised."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ParameterError(BadRequest):
    """HTTP 400 for one request parameter (``parameter``): ``pamong_code`` is the stable code, ``pamong_message``
    names the parameter and the problem (e.g. ``page: must be between 1 and 1000000``)."""

    def __init__(self, name: str, message: str, code: str = "invalid_parameter"):
        self.parameter = name
        self.pamong_code = code
        self.pamong_message = f"{name}: {message}"
        super().__init__(description=self.pamong_message)


@dataclass(frozen=True)
class Spec:
    """What a route reads: ``kind`` is "int", "float", "date" or "month"; bounds of that kind."""

    name: str
    kind: str
    min: object
    max: object


DECLARED: dict[str, dict[str, Spec]] = {}


def _record(spec: Spec) -> None:
    if has_request_context() and request.endpoint:
        DECLARED.setdefault(request.endpoint, {})[spec.name] = spec


def _between(minimum, maximum) -> str:
    return _("must be between %(min)s and %(max)s", min=minimum, max=maximum)


# -- pure parsers ----------------------------------------------------------------------------------

def parse_int(raw, minimum: int, maximum: int) -> int:
    """``raw`` (a str of ASCII digits, or an int) as an int within ``minimum..maximum``."""
    if isinstance(raw, bool):
        raise OutOfBounds(_("must be a whole number"))
    if isinstance(raw, int):
        value = raw
    else:
        text = str(raw).strip()
        if not _INT.fullmatch(text):
            raise OutOfBounds(_("must be a whole number"))
        value = int(text)
    if not minimum <= value <= maximum:
        raise OutOfBounds(_between(minimum, maximum))
    return value


def parse_float(raw, minimum: float, maximum: float) -> float:
    """``raw`` (a decimal str, an int or a float) as a finite float within ``minimum..maximum``.
    A JSON integer of 400 digits is refused here instead of overflowing ``float()``."""
    if isinstance(raw, bool):
        raise OutOfBounds(_("is not a number"))
    if isinstance(raw, int):
        if not minimum <= raw <= maximum:
            raise OutOfBounds(_between(f"{minimum:g}", f"{maximum:g}"))
        return float(raw)
    if isinstance(raw, float):
        value = raw
    else:
        text = str(raw).strip()
        if len(text) > 4 * MAX_RAW_LENGTH or not _FLOAT.fullmatch(text):
            raise OutOfBounds(_("is not a number"))
        value = float(text) if len(text) <= MAX_RAW_LENGTH else math.inf  # 400 digits: out of range
    if not math.isfinite(value) or not minimum <= value <= maximum:
        raise OutOfBounds(_between(f"{minimum:g}", f"{maximum:g}"))
    return value


def parse_date(raw: str, minimum: date = DATE_MIN, maximum: date = DATE_MAX) -> date:
    """``YYYY-MM-DD`` as a date within ``minimum..maximum``."""
    text = str(raw).strip()
    try:
        if not _DATE.fullmatch(text):
            raise ValueError
        value = date.fromisoformat(text)
    except ValueError:
        raise OutOfBounds(_("must be a date written YYYY-MM-DD")) from None
    if not minimum <= value <= maximum:
        raise OutOfBounds(_between(minimum.isoformat(), maximum.isoformat()))
    return value


def parse_month(raw, minimum: date = DATE_MIN, maximum: date = DATE_MAX) -> date:
    """``YYYY-MM`` (a one-digit month too) as the month's first day, within the months of
    ``minimum..maximum``; ``OutOfBounds`` names the expected form (trial of issue 16: 2026-13)."""
    found = _MONTH.fullmatch(str(raw).strip())
    year, month = (int(found.group(1)), int(found.group(2))) if found else (0, 0)
    value = date(year, month, 1) if year and 1 <= month <= 12 else None  # year 0000: no date at all
    if value is None or not minimum.replace(day=1) <= value <= maximum:
        raise OutOfBounds(_("must be a month written YYYY-MM from %(min)s to %(max)s (e.g. 2026-11)",
                            min=f"{minimum:%Y-%m}", max=f"{maximum:%Y-%m}"))
    return value


def check_datetime(value: datetime, minimum: date = DATE_MIN, maximum: date = DATE_MAX) -> datetime:
    """``value`` unchanged if its own date (before any conversion between zones) is within bounds;
    ``OutOfBounds`` otherwise. Call it before ``astimezone``."""
    if not minimum <= value.date() <= maximum:
        raise OutOfBounds(_between(minimum.isoformat(), maximum.isoformat()))
    return value


# -- readers of the request ------------------------------------------------------------------------

def _raw(name: str, source) -> str:
    values = request.args if source is None else source
    return (values.get(name) or "").strip()


def int_arg(name: str, default: int, *, min: int = 1, max: int = MAX_PAGE,  # noqa: A002
            code: str = "invalid_parameter", source=None) -> int:
    """The whole number ``name`` of the query (or ``source``), ``default`` when absent or empty."""
    _record(Spec(name, "int", min, max))
    raw = _raw(name, source)
    if not raw:
        return default
    try:
        return parse_int(raw, min, max)
    except OutOfBounds as exc:
        raise ParameterError(name, exc.message, code) from None


def page_arg(name: str = "page", source=None) -> int:
    """A page number: 1 (the default) to ``MAX_PAGE``."""
    return int_arg(name, 1, min=1, max=MAX_PAGE, source=source)


def float_arg(name: str, *, min: float, max: float, code: str = "invalid_parameter",  # noqa: A002
              source=None) -> float | None:
    """The number ``name`` of the query (or ``source``), None when absent or empty."""
    _record(Spec(name, "float", min, max))
    raw = _raw(name, source)
    if not raw:
        return None
    try:
        return parse_float(raw, min, max)
    except OutOfBounds as exc:
        raise ParameterError(name, exc.message, code) from None


def lat_arg(name: str = "lat", source=None) -> float | None:
    return float_arg(name, min=-90, max=90, code="invalid_coordinate", source=source)


def lon_arg(name: str = "long", source=None) -> float | None:
    return float_arg(name, min=-180, max=180, code="invalid_coordinate", source=source)


def date_arg(name: str, *, min: date = DATE_MIN, max: date = DATE_MAX,  # noqa: A002
             code: str = "invalid_date", source=None) -> date | None:
    """The date ``name`` (``YYYY-MM-DD``) of the query (or ``source``), None when absent or empty."""
    _record(Spec(name, "date", min, max))
    raw = _raw(name, source)
    if not raw:
        return None
    try:
        return parse_date(raw, min, max)
    except OutOfBounds as exc:
        raise ParameterError(name, exc.message, code) from None


def month_arg(name: str = "month", *, min: date = DATE_MIN, max: date = DATE_MAX,  # noqa: A002
              code: str = "invalid_month", source=None, required: bool = False) -> date | None:
    """The month ``name`` (``YYYY-MM``) of the query (or ``source``) as its first day, None when
    absent and not ``required``; present but empty, or no such month, is a ``ParameterError``
    (never another month in its place)."""
    _record(Spec(name, "month", min, max))
    values = request.args if source is None else source
    if name not in values and not required:
        return None
    try:
        return parse_month(values.get(name) or "", min, max)
    except OutOfBounds as exc:
        raise ParameterError(name, exc.message, code) from None


def declare(name: str, kind: str, minimum=DATE_MIN, maximum=DATE_MAX) -> None:
    """Record that the request's endpoint reads ``name`` of ``kind`` ("int", "float", "date" or
    "datetime") with its own reader that applies these bounds through the ``parse_*`` functions
    (e.g. a form that shows the problem instead of answering 400)."""
    _record(Spec(name, kind, minimum, maximum))


def declare_datetime(name: str, minimum: date = DATE_MIN, maximum: date = DATE_MAX) -> None:
    """Record that the request's endpoint reads the date-time ``name`` (parsed by a standard's own
    reader, e.g. Open311's W3C date-times, which calls ``check_datetime``)."""
    declare(name, "datetime", minimum, maximum)


# -- numbers in the path ---------------------------------------------------------------------------

class BoundedIntConverter(IntegerConverter):
    """``<int:...>`` of every route: at most ``MAX_ID`` unless the rule says otherwise; a larger
    number matches no route (404) instead of overflowing the database's ``integer``."""

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=MAX_ID if max is None else max,
                         signed=signed)


def init_app(app) -> None:
    """Install the bounded ``int`` converter; call before any blueprint is registered."""
    app.url_map.converters["int"] = BoundedIntConverter
