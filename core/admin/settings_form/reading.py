"""Parsing the posted form: the settings document read back from the fields (types from the schema,
every field required to be present, rows renumbered), each problem of reading on its field; and
``keep_written``, which keeps a saved-unchanged form from drifting from the tenant file."""
from __future__ import annotations

import json
import re

from flask_babel import gettext as _

from ...text import load_json
from .kinds import _complex, _entry_is_group, kind_of
from .protocol import KEY, MAX_ROWS, REMOVE, ROWS, VALUE


def parse(schema: dict, form) -> tuple[dict, dict]:
    """Return (settings, errors by field name); types follow the schema, every field must be present.

    A value that cannot be read (a number that is not one, broken JSON) is kept as the text typed, so
    the form shows it again beside its error. Nothing here is saved: the caller validates.
    """
    settings, errors = {}, {}
    for key, sub in (schema.get("properties") or {}).items():
        value = _read(key, sub, form, errors, top=True)
        if value is not _ABSENT:
            settings[key] = value
    return settings, errors


class _Absent:
    pass


_ABSENT = _Absent()


def _missing(name: str, errors: dict) -> None:
    errors.setdefault(name, _("This field was missing from the form; nothing was saved. Please check it and save again."))


def _read(name: str, sub: dict, form, errors: dict, top: bool = False, required: bool = False):
    """The value of field ``name``; ``_ABSENT`` for an optional field left empty inside a row."""
    kind = kind_of(sub)
    if kind == "checkbox":
        if name not in form:
            _missing(name, errors)
            return _ABSENT
        return any(v not in ("", "0", "false") for v in form.getlist(name))
    if kind == "choices":
        if name not in form:
            _missing(name, errors)
            return _ABSENT
        allowed = {str(c): c for c in sub["items"]["enum"]}
        picked = [v for v in form.getlist(name) if v != ""]
        return [allowed.get(v, v) for v in dict.fromkeys(picked)]
    if _complex(kind) and name in form:  # advanced: the list or table as JSON text
        return _json(name, form.get(name), errors)
    if kind == "group":
        needed = set(sub.get("required") or [])
        out = {}
        for k, s in sub["properties"].items():
            value = _read(f"{name}.{k}", s, form, errors, required=k in needed)
            if value is not _ABSENT:
                out[k] = value
        return out
    if kind in ("rows", "map"):
        return _rows(name, sub, kind, form, errors)
    if name not in form:
        _missing(name, errors)
        return _ABSENT
    raw = (form.get(name) or "").strip()
    if kind == "json":
        return _json(name, raw, errors)
    if kind == "text_or_json":  # text as typed; JSON when it is an object or a list
        return _json(name, raw, errors) if raw[:1] in ("{", "[") else raw
    if kind == "lines":
        if raw.startswith("["):
            return _json(name, raw, errors)
        items = [line.strip() for line in raw.splitlines() if line.strip()]
        item_type = sub["items"].get("type")
        if item_type in ("integer", "number"):
            out = []
            for item in items:
                number = _number(item, item_type)
                if number is None:
                    errors.setdefault(name, _("“%(value)s” is not a number.", value=item))
                    out.append(item)
                else:
                    out.append(number)
            return out
        return items
    if raw == "" and not top:
        return _ABSENT  # an optional field left empty in a row; a required one is reported by the check
    if kind == "select":
        for choice in sub["enum"]:
            if str(choice) == raw:
                return choice
        return raw  # the check names the choices
    if kind == "number":
        number = _number(raw, sub.get("type"))
        if number is None:
            errors.setdefault(name, _("Required.") if raw == "" else _("Write a whole number.")
                              if sub.get("type") == "integer" else _("Write a number."))
            return raw
        return number
    return raw


# a number as the settings form takes it: ASCII digits, a minus sign, and for a "number" one decimal
# comma or point; spaces between the digits (``1 000``) dropped. Nothing Python's ``int()`` or
# ``float()`` would take besides: no exponent (``1e9``), ``0x10``, ``1_000``, ``+``, ``inf``/``nan``
# or other scripts' digits (``١٢``).
_INTEGER = re.compile(r"-?[0-9]{1,18}")
_DECIMAL = re.compile(r"-?[0-9]{1,18}(?:[.,][0-9]{1,18})?")


def _number(raw: str, kind: str):
    text = raw.strip().replace(" ", "")
    if kind == "integer":
        return int(text) if _INTEGER.fullmatch(text) else None
    if not _DECIMAL.fullmatch(text):
        return None
    value = float(text.replace(",", "."))
    return int(value) if value.is_integer() and "." not in text and "," not in text else value


def _rows(name: str, sub: dict, kind: str, form, errors: dict):
    """A list (or a table named by codes) from its rows: empty rows and rows marked for removal are
    dropped; the rest are renumbered, their errors named by the new number."""
    try:
        count = int(form.get(f"{name}.{ROWS}", ""))
    except ValueError:
        _missing(name, errors)
        return _ABSENT
    count = max(0, min(count, MAX_ROWS))
    out_list, out_map = [], {}
    filled = _filled_rows(name, form)
    for i in range(count):
        prefix = f"{name}.{i}"
        if form.get(f"{prefix}.{REMOVE}") or i not in filled:
            continue
        index = len(out_list) if kind == "rows" else len(out_map)
        target = f"{name}.{index}"
        row_errors: dict = {}
        if kind == "rows":
            schema = sub["items"]
            needed = set(schema.get("required") or [])
            row = {}
            for k, s in schema["properties"].items():
                value = _read(f"{prefix}.{k}", s, form, row_errors, required=k in needed)
                if value is not _ABSENT and (k in needed or not _as_absent(value, s)):
                    row[k] = value
            out_list.append(row)
        else:
            code = (form.get(f"{prefix}.{KEY}") or "").strip()
            entry = sub["additionalProperties"]
            if _entry_is_group(sub):
                value = {}
                for k, s in entry["properties"].items():
                    v = _read(f"{prefix}.{k}", s, form, row_errors)
                    if v is not _ABSENT:
                        value[k] = v
            else:
                value = _read(f"{prefix}.{VALUE}", entry, form, row_errors)
                if value is _ABSENT:
                    row_errors.setdefault(f"{prefix}.{VALUE}", _("Required."))
                    value = ""
            if not code:
                row_errors.setdefault(f"{prefix}.{KEY}", _("Required."))
                code = f"?{i + 1}"
            elif code in out_map:
                row_errors.setdefault(f"{prefix}.{KEY}", _("This code appears twice."))
                code = f"{code}?{i + 1}"
            out_map[code] = value
        for field, message in row_errors.items():  # renamed to the row's new number
            errors.setdefault(target + field[len(prefix):], message)
    return out_list if kind == "rows" else out_map


def _as_absent(value, sub: dict) -> bool:
    """An optional value in a row that means what leaving it out means: its default, or (without
    one) an empty list, an empty table or an unticked box. Left out, so a row saved as it was shown
    is stored as it was."""
    if "default" in sub:
        return value == sub["default"]
    return value in ([], {}) or value is False


def keep_written(schema: dict, settings, stored):
    """``settings`` read from the form, with the optional values the ``stored`` document wrote out
    that mean the same as leaving them out (``required = false``, an empty list, a default) put
    back where the form left them out, so saving a form unchanged stores what the tenant file says
    (no drift from ``tenant export``, no audit entry for nothing). Rows are matched by position,
    named entries by name; only values equal in meaning are put back."""
    if isinstance(settings, list) and isinstance(stored, list) and isinstance(schema.get("items"), dict):
        for new, old in zip(settings, stored):
            keep_written(schema["items"], new, old)
    elif isinstance(settings, dict) and isinstance(stored, dict):
        props = schema.get("properties") or {}
        entry = schema.get("additionalProperties")
        for key, old in stored.items():
            sub = props.get(key, entry if isinstance(entry, dict) else None)
            if not isinstance(sub, dict):
                continue
            if key in settings:
                keep_written(sub, settings[key], old)
            elif props and key in props and key not in (schema.get("required") or []) and _as_absent(old, sub):
                settings[key] = old
    return settings


def _filled_rows(name: str, form) -> set[int]:
    """The numbers of the rows of list ``name`` where something was typed (one pass over the form).
    A checkbox (its hidden "" companion, then what is ticked) and the counters of the lists inside
    a row do not count, so an empty row offered for adding stays empty."""
    start, out = name + ".", set()
    for key in form.keys():
        if not key.startswith(start) or key.endswith("." + ROWS):
            continue
        head = key[len(start):].split(".", 1)[0]
        if not head.isdigit() or int(head) in out:
            continue
        values = form.getlist(key)
        if len(values) > 1 and values[0] == "":
            continue
        if any((v or "").strip() for v in values):
            out.add(int(head))
    return out


def _json(name: str, raw, errors: dict):
    text = (raw or "").strip() or "null"
    try:
        json.loads(text)
    except RecursionError:
        errors.setdefault(name, _("Nested too deeply."))
        return raw
    except json.JSONDecodeError as exc:
        errors.setdefault(name, _("Not valid JSON: line %(line)s, column %(column)s.", line=exc.lineno, column=exc.colno))
        return raw
    except ValueError:
        errors.setdefault(name, _("Not a valid value for this field."))
        return raw
    try:
        return load_json(text, where=name)  # bounded nesting, cleaned text
    except (ValueError, RecursionError):  # BadJson too
        errors.setdefault(name, _("Nested too deeply."))
        return raw
