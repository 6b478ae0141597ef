"""Number patterns: how a tenant writes the numbers people quote (letters, permits, queue tickets).

A pattern is text with ``{placeholder}`` fields in Python's format syntax, restricted:

- ``{serial}``, ``{year}``, ``{month}``, ``{day}`` are integers and take a width, zero-padded or not
  (``{serial:06}`` -> ``000123``, ``{serial:3}``); ``{month_roman}`` is the month in Roman numerals
  (``XI``), as Indonesian official letter numbers write it (Permendagri 1/2023 on official scripts).
- every other placeholder is text the caller supplies (``{classification}``, ``{unit}``,
  ``{letter}``, ``{prefix}``) and takes no format spec;
- ``{serial}`` must appear; ``{{`` and ``}}`` are literal braces; attribute or index access
  (``{a.b}``, ``{a[0]}``), conversions (``{a!r}``) and positional fields (``{}``) are refused.

``check_pattern(pattern, placeholders, where)`` raises ``ValidationError`` naming ``where`` and
the offending placeholder; ``render(pattern, serial, local_date, **values)`` writes a number.

A module declares a setting that holds a pattern with ``number_pattern_setting(...)`` in its
``settings_schema()``; the core checks it whenever the settings are written (``tenant apply``, the
admin form, ``tenant enable``), so a wrong pattern never reaches a citizen.
"""
from __future__ import annotations

import functools
import re
import string
from datetime import date

from flask_babel import lazy_gettext as _l

from .errors import ValidationError

INTEGER_FIELDS = ("serial", "year", "month", "day")
STANDARD = INTEGER_FIELDS + ("month_roman",)
SCHEMA_MARK = "x-number-pattern"  # in a settings schema property: the extra placeholders it may use
_WIDTH = re.compile(r"^0?[1-9][0-9]?$")
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def month_roman(month: int) -> str:
    """1..12 -> "I".."XII"."""
    return _ROMAN[month - 1]


class _Problem(tuple):
    """What is wrong with a pattern: (English words, the same for people as a lazy string)."""


@functools.lru_cache(maxsize=256)
def _fields(pattern: str) -> tuple[tuple[str, str], ...] | _Problem:
    """The (name, spec) of each field, or a ``_Problem`` saying what is wrong."""
    try:
        parsed = list(string.Formatter().parse(pattern))
    except ValueError as exc:  # "Single '}' encountered", "expected '}' before end of string"
        return _Problem((f"unbalanced braces ({exc})",
                         _l("The number pattern %(pattern)s has a { or } without its pair (write {{ or }} for a "
                            "brace itself).", pattern=pattern)))
    out = []
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if name == "" or name.isdigit():
            return _Problem(("a placeholder needs a name ({} or {0} is not allowed)",
                             _l("In the number pattern %(pattern)s a placeholder has no name ({} or {0} is not "
                                "allowed).", pattern=pattern)))
        if conversion or not _NAME.match(name) or "{" in (spec or ""):
            written = f"{{{name}{'!' + conversion if conversion else ''}{':' + spec if spec else ''}}}"
            return _Problem((f"placeholder '{written}' is malformed",
                             _l("In the number pattern %(pattern)s the placeholder %(placeholder)s is not written "
                                "correctly.", pattern=pattern, placeholder=written)))
        out.append((name, spec or ""))
    return tuple(out)


def check_pattern(pattern: str, placeholders=(), where: str = "pattern") -> None:
    """Refuse a pattern that cannot number: ``placeholders`` are the caller's text fields (the
    standard ones are always allowed). Raises ``ValidationError(where=where, code="bad_pattern")``."""
    if not isinstance(pattern, str) or not pattern.strip():
        raise ValidationError("a number pattern must not be empty", where=where, code="bad_pattern",
                              local=_l("The number pattern must not be empty."))
    fields = _fields(pattern)
    if isinstance(fields, _Problem):
        raise ValidationError(f"number pattern '{pattern}': {fields[0]}", where=where, code="bad_pattern",
                              local=fields[1])
    allowed = set(STANDARD) | set(placeholders)
    for name, spec in fields:
        if name not in allowed:
            known = ", ".join("{" + p + "}" for p in sorted(allowed))
            raise ValidationError(
                f"number pattern '{pattern}': unknown placeholder '{{{name}}}' (known: {known})", where=where,
                code="bad_pattern",
                local=_l("The number pattern %(pattern)s uses %(placeholder)s, which is not a placeholder it knows "
                         "(known: %(known)s).", pattern=pattern, placeholder="{" + name + "}", known=known))
        if spec and (name not in INTEGER_FIELDS or not _WIDTH.match(spec)):
            raise ValidationError(
                f"number pattern '{pattern}': '{{{name}:{spec}}}' has a format it cannot take "
                "(only {serial}, {year}, {month} and {day} take a width such as :06)", where=where, code="bad_pattern",
                local=_l("In the number pattern %(pattern)s, %(placeholder)s has a format it cannot take (only "
                         "{serial}, {year}, {month} and {day} take a width such as :06).", pattern=pattern,
                         placeholder="{" + name + ":" + spec + "}"))
    if "serial" not in {name for name, _ in fields}:
        raise ValidationError(f"number pattern '{pattern}' has no {{serial}}", where=where, code="bad_pattern",
                              local=_l("The number pattern %(pattern)s has no {serial}.", pattern=pattern))


def render(pattern: str, serial: int, local: date, placeholders=(), **values: str) -> str:
    """The number ``serial`` written by ``pattern`` on the tenant's local date ``local``; ``values``
    fill the caller's placeholders (``unit="BKD"``). Raises ``ValidationError`` for a bad pattern
    or a placeholder with no value."""
    check_pattern(pattern, tuple(placeholders) + tuple(values), where="pattern")
    fill = {"serial": serial, "year": local.year, "month": local.month, "day": local.day,
            "month_roman": month_roman(local.month), **{k: str(v) for k, v in values.items()}}
    missing = [name for name, _ in _fields(pattern) if name not in fill]
    if missing:
        raise ValidationError(f"number pattern '{pattern}': no value for '{{{missing[0]}}}'", where="pattern",
                              code="bad_pattern")
    return pattern.format_map(fill)


def number_pattern_setting(default: str, placeholders=(), description: str = "") -> dict:
    """A settings-schema property holding a number pattern with the caller's ``placeholders``::

        "letter_pattern": number_pattern_setting("{classification}/{serial}/{unit}/{year}",
                                                 ["classification", "unit"], "Letter number")
    """
    check_pattern(default, placeholders, where="default")
    return {"type": "string", "minLength": 1, "maxLength": 100, "default": default,
            "description": description or "Number pattern", SCHEMA_MARK: list(placeholders)}


def pattern_problems(schema: dict, settings: dict, where: str) -> list[ValidationError]:
    """The refusal of each bad number pattern in ``settings`` (a value of the wrong type is the
    schema's to refuse, and skipped here)."""
    found = []
    for key, sub in (schema.get("properties") or {}).items():
        if not isinstance(sub, dict) or not isinstance(settings, dict) or key not in settings:
            continue
        if SCHEMA_MARK in sub and isinstance(settings[key], str):
            try:
                check_pattern(settings[key], sub[SCHEMA_MARK], where=f"{where}.{key}")
            except ValidationError as exc:
                found.append(exc)
        elif sub.get("type") == "object" and isinstance(settings[key], dict):
            found += pattern_problems(sub, settings[key], f"{where}.{key}")
    return found
