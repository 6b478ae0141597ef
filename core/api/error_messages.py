"""pydantic's validation errors in the request's language (an API answer's ``message``).

pydantic words its errors in English only ("Input should be a valid integer"). The API answers
with a stable ``code`` for programs and a ``message`` for people, so the message goes through
Babel like every other string: WTForms' messages where one says the same thing (they are already
in the core catalogue, ``core/form_messages.py``), a few of our own for the rest, and "Invalid
input." for an error type not listed here. A custom validator's own message (``value_error``) is
kept as it was written (its author translates it).
"""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext


def _items(n: int, most: bool) -> str:
    if most:
        return ngettext("Must have at most %(num)d item.", "Must have at most %(num)d items.", n)
    return ngettext("Must have at least %(num)d item.", "Must have at least %(num)d items.", n)


def message(error: dict) -> str:
    """One pydantic error (``ValidationError.errors()`` item: ``type``, ``ctx``, ``msg``) in words."""
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return _("Not a valid integer value.")
    if kind in ("float_type", "float_parsing", "decimal_type", "decimal_parsing"):
        return _("Not a valid decimal value.")
    if kind in ("string_type", "string_unicode"):
        return _("Must be text.")
    if kind in ("bool_type", "bool_parsing"):
        return _("Must be true or false.")
    if kind in ("list_type", "tuple_type", "set_type"):
        return _("Must be a list.")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return _("Must be a JSON object.")
    if kind in ("date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"):
        return _("Not a valid date value.")
    if kind.startswith("datetime_") or kind.startswith("timezone_"):
        return _("Not a valid datetime value.")
    if kind == "string_too_short":
        n = int(ctx.get("min_length", 1))
        return ngettext("Field must be at least %(min)d character long.",
                        "Field must be at least %(min)d characters long.", n, min=n)
    if kind == "string_too_long":
        n = int(ctx.get("max_length", 0))
        return ngettext("Field cannot be longer than %(max)d character.",
                        "Field cannot be longer than %(max)d characters.", n, max=n)
    if kind in ("too_short", "too_long"):
        return _items(int(ctx.get("min_length" if kind == "too_short" else "max_length", 0)), kind == "too_long")
    if kind == "greater_than_equal":
        return _("Number must be at least %(min)s.", min=ctx.get("ge"))
    if kind == "greater_than":
        return _("Number must be more than %(min)s.", min=ctx.get("gt"))
    if kind == "less_than_equal":
        return _("Number must be at most %(max)s.", max=ctx.get("le"))
    if kind == "less_than":
        return _("Number must be less than %(max)s.", max=ctx.get("lt"))
    if kind in ("literal_error", "enum"):
        # pydantic joins the last two in English ("'a', 'b' or 'c'"): a list reads the same in any language
        values = str(ctx.get("expected", "")).replace("' or '", "', '")
        return _("Invalid value, must be one of: %(values)s.", values=values)
    if kind == "string_pattern_mismatch":
        return _("Not in the expected format.")
    if kind == "extra_forbidden":
        return _("Not a field of this request.")
    if kind in ("value_error", "assertion_error"):
        text = str(error.get("msg", ""))
        for prefix in ("Value error, ", "Assertion failed, "):
            text = text.removeprefix(prefix)
        return text or _("Invalid input.")
    return _("Invalid input.")
