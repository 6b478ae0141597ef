"""Turn a module's JSON Schema into form fields and the submitted form back into settings.

The form carries the whole settings document: every field of the schema is posted (a checkbox
with a hidden companion, so "unchecked" and "not sent" differ). A field the POST leaves out is an
error shown on the form, never a silent reset to its default (issue 10.12).

One field per setting (issue 19.3), labelled and explained in the reader's language from the
schema's own words: a property may carry ``"x-label": {"id": "...", "en": "..."}`` and
``"x-help": {"id": "...", "en": "..."}``; without them its ``title`` / ``description`` (a lazy
gettext string, or English text shown only on an English page), and a humanised key last.

Widgets by schema shape:

- ``enum`` → a select; ``boolean`` → a checkbox; ``integer`` / ``number`` → a number; ``string`` → text;
- an array of objects → rows (each row its fields, a "remove" box; empty rows below to add one,
  and an "add row" submit button for more: no JavaScript needed); an object whose entries are named
  by a code (``additionalProperties``, e.g. agency contacts) → rows with the code as first field;
- an array of choices → checkboxes; an array of strings or numbers → one entry a line;
- an object with ``properties`` → its fields grouped;
- anything else, and every list or table in the "advanced" mode → JSON text.

Field names are the setting's path: ``categories.0.agency`` (``.__n`` the rows shown, ``.__del``
a row's remove box, ``.__key`` / ``.__value`` a named entry's code and value). A list's rows are
numbered after empty and removed rows are dropped, so an error names the row as it is shown again.

Errors (``dict`` field name → message) are in the reader's language: jsonschema's English messages
are replaced by one per validator kind naming the limit ("Paling besar 10."); broken JSON names its
line and column.
"""
from __future__ import annotations

import hashlib
import json
import re

from flask_babel import format_decimal, get_locale, gettext as _
from flask_babel.speaklater import LazyString

from ..text import load_json

VERSION_FIELD = "_settings_version"  # the stored document the form was opened on (a digest)
ADVANCED_FIELD = "_advanced"  # "1": lists and tables as JSON text
ADD_FIELD = "_add_row"  # the "add row" button: its value is the list's field name
ROWS, REMOVE, KEY, VALUE = "__n", "__del", "__key", "__value"
EMPTY_ROWS = 1  # empty rows offered under every list (one more per press of "add row")
MAX_FIELDS = 50_000  # fields one settings form may post (Flask's default of 1,000 is ~60 complaint categories)
MAX_ROWS = 500  # rows a posted list may claim (a bound on the work a form can ask for)
_REFS = "\0refs"  # in ``more``: the tenant's codes by kind (never a field name: a form cannot post NUL)


def version(settings: dict | None) -> str:
    """A digest of a stored settings document: the form posts it back, so a save over someone
    else's newer change is refused instead of silently undoing it."""
    text = json.dumps(settings or {}, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# -- words ------------------------------------------------------------------------------------------

def _english() -> bool:
    return str(get_locale() or "id").startswith("en")


def _pick(texts) -> str:
    if isinstance(texts, dict):
        first, second = ("en", "id") if _english() else ("id", "en")
        return str(texts.get(first) or texts.get(second) or "")
    return str(texts or "")


def words(texts, default: str = "") -> str:
    """``{"id": ..., "en": ...}`` (or a plain / lazy string) in the reader's language."""
    return _pick(texts) or default


def humanise(key: str) -> str:
    """``reopen_days`` → ``Reopen days`` (only when the schema gives no label)."""
    text = str(key).replace("_", " ").replace("-", " ").strip()
    return text[:1].upper() + text[1:]


def label_of(key: str, sub: dict) -> str:
    """The setting's label in the reader's language (``x-label``, ``title``, the humanised key)."""
    if sub.get("x-label"):
        return _pick(sub["x-label"])
    if sub.get("title"):
        return str(sub["title"])
    return humanise(key)


def help_of(sub: dict) -> str:
    """The setting's help in the reader's language; an English-only ``description`` shows on
    English pages only (never English help on an Indonesian page)."""
    if sub.get("x-help"):
        return _pick(sub["x-help"])
    text = sub.get("description")
    if text and (isinstance(text, LazyString) or _english()):
        return str(text)
    return ""


# -- shapes -----------------------------------------------------------------------------------------

def kind_of(sub: dict) -> str:
    """The widget a (sub)schema gets: select, checkbox, number, text, lines, choices, rows, map,
    group, json, or text_or_json (a string type that may also be a JSON object or list)."""
    if not isinstance(sub, dict):
        return "json"
    if "enum" in sub:
        return "select"
    kind = sub.get("type")
    if isinstance(kind, list) and "string" in kind:
        return "text_or_json"  # e.g. a file's name, or the document itself (complaints' boundaries)
    if kind == "boolean":
        return "checkbox"
    if kind in ("integer", "number"):
        return "number"
    if kind == "string":
        return "text"
    if kind == "array":
        items = sub.get("items")
        if not isinstance(items, dict):
            return "json"
        if "enum" in items and sub.get("uniqueItems"):
            return "choices"
        if items.get("type") in ("string", "integer", "number") and "enum" not in items:
            return "lines"
        if items.get("type") == "object" and items.get("properties"):
            return "rows"
        return "json"
    if kind == "object":
        if sub.get("properties"):
            return "group"
        entry = sub.get("additionalProperties")
        if isinstance(entry, dict) and kind_of(entry) in ("group", "number", "text", "select", "checkbox"):
            return "map"
    return "json"


def _entry_is_group(sub: dict) -> bool:
    return kind_of(sub.get("additionalProperties")) == "group"


def _complex(kind: str) -> bool:
    return kind in ("rows", "map", "group", "json")


def _shown(value, kind: str) -> str:
    if value is None:
        return ""
    if kind == "number" and isinstance(value, bool):
        return str(value)
    if kind == "lines":
        return "\n".join(str(v) for v in value) if isinstance(value, list) else str(value)
    if kind in ("json", "text_or_json"):
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, indent=1)
    return str(value)


# -- the fields -------------------------------------------------------------------------------------

def fields(schema: dict, values: dict, posted=None, more: dict | None = None, advanced: bool = False,
           refs: dict | None = None) -> list[dict]:
    """The form's fields with ``values``; a JSON field the person ``posted`` shows what they typed.

    Each field: ``name`` (the form name), ``key``, ``widget``, ``label``, ``help``, ``required``
    and, by widget, ``value`` (the text shown), ``choices``, ``children`` (a group's fields) or
    ``rows`` (each ``{"name", "index", "children"}``) with ``columns`` (an empty row's fields).
    ``more`` gives extra empty rows by list name (the "add row" button). ``refs`` (kind → {code:
    name}) turns a property marked ``"x-ref": "<kind>"`` (and the codes of a table marked
    ``"x-ref-keys"``) into a select of what the tenant has; a stored code it no longer has stays
    shown, marked, so the check can name it.
    """
    more = dict(more or {})
    more[_REFS] = refs or {}
    out = []
    required = set(schema.get("required") or [])
    for key, sub in (schema.get("properties") or {}).items():
        value = values.get(key, sub.get("default")) if isinstance(values, dict) else None
        field = _field(key, key, sub, value, key in required, more, advanced, top=True)
        if field["widget"] == "json" and posted is not None and key in posted:
            field["value"] = posted.get(key)  # what they typed, also when it was wrong
        out.append(field)
    return out


def _field(name: str, key: str, sub: dict, value, required: bool, more: dict, advanced: bool, top: bool = False) -> dict:
    kind = kind_of(sub)
    if advanced and _complex(kind):
        kind = "json"
    field = {"name": name, "key": key, "widget": kind, "label": label_of(key, sub), "help": help_of(sub),
             "required": required}
    known = more.get(_REFS, {}).get(sub.get("x-ref")) if kind == "text" else None
    if known is not None:
        field.update(_ref_select(known, value))
    elif kind == "select":
        field["choices"] = _choices(sub, sub["enum"])
        field["value"] = "" if value is None else value
        field["blank"] = not top or value not in sub["enum"]
    elif kind == "checkbox":
        field["value"] = bool(value) if not isinstance(value, str) else value not in ("", "0", "false")
    elif kind == "choices":
        field["choices"] = _choices(sub, sub["items"]["enum"], sub["items"])
        field["value"] = list(value) if isinstance(value, list) else []
    elif kind == "group":
        inner = value if isinstance(value, dict) else {}
        needed = set(sub.get("required") or [])
        field["children"] = [
            _field(f"{name}.{k}", k, s, inner.get(k, s.get("default")), k in needed, more, advanced)
            for k, s in sub["properties"].items()
        ]
    elif kind in ("rows", "map"):
        if kind == "rows":
            items = list(value) if isinstance(value, list) else []
        else:
            items = list(value.items()) if isinstance(value, dict) else []
        field["rows"] = [_row(name, i, sub, item, kind, more, advanced) for i, item in enumerate(items)]
        empty = EMPTY_ROWS + max(0, min(int(more.get(name, 0)), 50))
        start = len(items)
        field["rows"] += [_row(name, start + i, sub, None, kind, more, advanced, empty=True) for i in range(empty)]
    else:
        field["value"] = _shown(value, kind)
        if kind == "number":
            field["step"] = "1" if sub.get("type") == "integer" else "any"
            field["min"], field["max"] = sub.get("minimum"), sub.get("maximum")
    return field


def _ref_select(known: dict, value) -> dict:
    """A select of the tenant's codes (``code — name``); an unknown stored code stays, marked."""
    choices = [(code, f"{code} — {name}") for code, name in known.items()]
    if value and value not in known:
        choices.insert(0, (value, _("%(code)s (does not exist)", code=value)))
    return {"widget": "select", "choices": choices, "value": value or "", "blank": True}


def _choices(sub: dict, values, items: dict | None = None) -> list[tuple]:
    """(value, words) for each choice: ``"x-choices": {"<value>": {"id": ..., "en": ...}}`` on the
    property (or its items) names them; without it the value itself is shown."""
    words = sub.get("x-choices") or (items or {}).get("x-choices") or {}
    return [(value, _pick(words.get(str(value))) or str(value)) for value in values]


def labels(tree: list[dict], above: str = "") -> dict:
    """Every field name → its label with the lists and rows above it (for the error summary)."""
    out = {}
    for field in tree:
        here = f"{above} › {field['label']}" if above else field["label"]
        out[field["name"]] = here
        out.update(labels(field.get("children") or [], here))
        for row in field.get("rows") or []:
            row_label = f"{here} › " + _("row %(number)s", number=row["index"] + 1)
            out[row["name"]] = row_label
            out.update(labels(row["children"], row_label))
    return out


def _start(sub: dict):
    """What an empty row shows: the default of a box or of ticked choices (an empty row stays empty:
    boxes do not count), nothing typed in for the rest."""
    return sub.get("default") if kind_of(sub) in ("checkbox", "choices") else None


def _row(name: str, index: int, sub: dict, item, kind: str, more: dict, advanced: bool, empty: bool = False) -> dict:
    prefix = f"{name}.{index}"
    if kind == "rows":
        schema = sub["items"]
        values = item if isinstance(item, dict) else {}
        needed = set(schema.get("required") or [])
        children = [
            _field(f"{prefix}.{k}", k, s, values.get(k, _start(s) if empty else s.get("default")), k in needed, more,
                   advanced)
            for k, s in schema["properties"].items()
        ]
    else:
        entry = sub["additionalProperties"]
        code, values = item if item is not None else ("", None)
        children = [{"name": f"{prefix}.{KEY}", "key": KEY, "widget": "text", "value": code, "required": True,
                     "label": _pick(sub.get("x-key-label")) or _("Code"), "help": ""}]
        known = more.get(_REFS, {}).get(sub.get("x-ref-keys"))
        if known is not None:
            children[0].update(_ref_select(known, code))
        if _entry_is_group(sub):
            inner = values if isinstance(values, dict) else {}
            children += [_field(f"{prefix}.{k}", k, s, inner.get(k), False, more, advanced)
                         for k, s in entry["properties"].items()]
        else:
            children.append({**_field(f"{prefix}.{VALUE}", VALUE, entry, values, True, more, advanced),
                             "label": _pick(sub.get("x-value-label")) or _("Value")})
    for child in children:  # a blank choice, so an empty row stays empty
        if child["widget"] == "select":
            child["blank"] = True
    return {"name": prefix, "index": index, "children": children, "empty": empty}


def page(schema: dict, values: dict, errors: dict, posted=None, more: dict | None = None,
         advanced: bool | None = None) -> dict:
    """What ``templates/admin/module_settings.html`` needs besides the spec and version: the fields,
    the errors placed on them, the labels for the error summary and the mode (advanced: lists and
    tables as JSON, from ``?advanced=1`` or the posted ``_advanced``)."""
    from flask import request

    if advanced is None:
        advanced = (request.values.get(ADVANCED_FIELD) == "1") or request.args.get("advanced") == "1" or (
            posted is not None and any(key in posted and _complex(kind_of(sub))  # a list posted as JSON
                                       for key, sub in (schema.get("properties") or {}).items()))
    tree = fields(schema, values, posted, more=more, advanced=advanced, refs=_refs(schema))
    return {"fields": tree, "errors": place(errors, tree), "field_labels": labels(tree), "advanced": advanced,
            "add_field": ADD_FIELD, "advanced_field": ADVANCED_FIELD}


def as_form(schema: dict, settings: dict, advanced: bool = False) -> list[tuple[str, str]]:
    """The (name, value) pairs the form shows for ``settings`` would post as it stands (with the
    empty rows): what a test or a script posts to save a document through the form."""
    pairs: list[tuple[str, str]] = []

    def walk(tree):
        for f in tree:
            kind = f["widget"]
            if kind in ("rows", "map"):
                pairs.append((f"{f['name']}.{ROWS}", str(len(f["rows"]))))
                for row in f["rows"]:
                    walk(row["children"])
            elif kind == "group":
                walk(f["children"])
            elif kind == "checkbox":
                pairs.append((f["name"], ""))
                if f["value"]:
                    pairs.append((f["name"], "on"))
            elif kind == "choices":
                pairs.append((f["name"], ""))
                pairs.extend((f["name"], str(v)) for v in f["value"])
            else:
                pairs.append((f["name"], "" if f.get("value") is None else str(f["value"])))

    walk(fields(schema, settings, advanced=advanced))
    return pairs


def _tenant():
    """The request's tenant (``g.tenant``), or None outside a tenant's request."""
    from flask import g, has_app_context

    return getattr(g, "tenant", None) if has_app_context() else None


def _refs(schema: dict) -> dict:
    """kind → {code: name} of the current tenant, for every kind the schema refers to."""
    from ..settings import known_codes

    kinds: set = set()

    def walk(sub):
        if isinstance(sub, dict):
            kinds.update(k for k in (sub.get("x-ref"), sub.get("x-ref-keys")) if k)
            for value in sub.values():
                walk(value)
        elif isinstance(sub, list):
            for value in sub:
                walk(value)

    walk(schema)
    tenant = _tenant()
    return {kind: known_codes(tenant, kind) for kind in sorted(kinds)} if tenant is not None and kinds else {}


def names(tree: list[dict]) -> set[str]:
    """Every name an error can be shown at (fields, groups, lists and their rows)."""
    out = set()
    for field in tree:
        out.add(field["name"])
        out |= names(field.get("children") or [])
        for row in field.get("rows") or []:
            out.add(row["name"])
            out |= names(row["children"])
    return out


def place(errors: dict, tree: list[dict]) -> dict:
    """``errors`` moved to the nearest field shown (an error inside a list edited as JSON lands on
    the list, its message prefixed with the rest of the path)."""
    shown, out = names(tree), {}
    for name, message in errors.items():
        target, rest = name, []
        while target and target not in shown and target != "_form":
            target, _dot, tail = target.rpartition(".")
            rest.insert(0, tail)
        if not target:
            target = "_form"
        if rest:
            message = f"{'.'.join(_human_path(rest))}: {message}"
        if target in out:
            out[target] = f"{out[target]} {message}"
        else:
            out[target] = message
    return out


def _human_path(parts: list[str]) -> list[str]:
    return [str(int(p) + 1) if p.isdigit() else p for p in parts if p not in (KEY, VALUE)]


# -- reading a posted form --------------------------------------------------------------------------

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


def _number(raw: str, kind: str):
    text = raw.strip().replace(" ", "")
    try:
        if kind == "integer":
            return int(text)
        value = float(text.replace(",", "."))
        if value != value or value in (float("inf"), float("-inf")):
            return None
        return int(value) if value.is_integer() and "." not in text and "," not in text else value
    except ValueError:
        return None


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


# -- checking against the schema, in the reader's language ----------------------------------------

def check(schema: dict, settings: dict, tenant=None) -> dict:
    """Every problem jsonschema finds in ``settings`` (defaults filled in), and every reference
    (``"x-ref"``, ``"x-ref-keys"``) to a code the ``tenant`` (default: the request's) does not have,
    as translated messages by field name; an empty dict when the document is valid.

    The references are checked on whatever parts are well-formed also when the schema finds
    problems elsewhere, so a person sees a value out of range and an unknown agency in one pass
    (issue 19.3); a field the schema already refuses keeps only that message."""
    from jsonschema import Draft202012Validator

    from ..settings import _fill_defaults

    schema = {"additionalProperties": False, **schema}
    document = _fill_defaults(schema, settings)
    out: dict = {}
    try:
        found = list(Draft202012Validator(schema).iter_errors(document))
    except RecursionError:
        return {"_form": _("Nested too deeply.")}
    for err in sorted(found, key=lambda e: (len(e.absolute_path), [str(p) for p in e.absolute_path])):
        path = list(err.absolute_path)
        if err.validator == "required" and isinstance(err.instance, dict):
            for missing in err.validator_value:
                if missing not in err.instance:
                    out.setdefault(name_of(schema, document, path + [missing]), _("Required."))
            continue
        out.setdefault(name_of(schema, document, path), message_of(err))
    tenant = tenant if tenant is not None else _tenant()
    if tenant is not None:
        for name, message in _reference_errors(tenant, schema, document).items():
            out.setdefault(name, message)
    return out


def _reference_errors(tenant, schema: dict, document) -> dict:
    """Field name → the reader's message for every code ``document`` names that ``tenant`` lacks."""
    from ..settings import reference_errors

    out: dict = {}
    for path, ref, error in reference_errors(tenant, schema, document, "settings"):
        name = name_of(schema, document, list(path))
        if ref == "x-ref-keys" and name.endswith("." + VALUE):  # a table of plain values: its code is wrong
            name = name[: -len(VALUE)] + KEY
        out.setdefault(name, str(error.local or error.message))
    return out


def merge(read: dict, checked: dict) -> dict:
    """The errors of reading the form (``parse``) and of checking what was read (``check``): a field
    that could not be read keeps only its own message (not also the type error of the text kept)."""
    out = dict(read)
    for name, message in checked.items():
        if not any(name == r or name.startswith(r + ".") for r in read):
            out[name] = message
    return out


def name_of(schema: dict, document, path: list) -> str:
    """The field name of a setting's ``path`` (``["agency_contacts", "DLH", "email"]`` →
    ``agency_contacts.0.email``): a table named by codes is numbered as its rows are shown."""
    parts, sub, value = [], schema, document
    for depth, step in enumerate(path):
        kind = kind_of(sub) if sub is not schema else "group"
        if kind == "map" and isinstance(value, dict):
            keys = list(value.keys())
            index = keys.index(step) if step in keys else step
            parts.append(str(index))
            entry = sub.get("additionalProperties") or {}
            value = value.get(step)
            parts.append(VALUE if not _entry_is_group(sub) else KEY if depth == len(path) - 1 else None)
            if parts[-1] is None:
                parts.pop()
            sub = entry
            continue
        parts.append(str(step))
        if isinstance(sub, dict) and sub.get("type") == "array":
            sub = sub.get("items") or {}
            value = value[step] if isinstance(value, list) and isinstance(step, int) and step < len(value) else None
        elif isinstance(sub, dict):
            sub = (sub.get("properties") or {}).get(step) or {}
            value = value.get(step) if isinstance(value, dict) else None
        else:
            sub, value = {}, None
    return ".".join(parts) or "_form"


def _limit(value) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return format_decimal(value)
        except Exception:  # noqa: BLE001 — outside a request: plain digits
            return str(value)
    return str(value)


def message_of(err) -> str:
    """One translated sentence for a jsonschema error, by its validator kind, naming the limit."""
    kind, limit = err.validator, err.validator_value
    if kind == "minimum":
        return _("At least %(limit)s.", limit=_limit(limit))
    if kind == "maximum":
        return _("At most %(limit)s.", limit=_limit(limit))
    if kind == "exclusiveMinimum":
        return _("More than %(limit)s.", limit=_limit(limit))
    if kind == "exclusiveMaximum":
        return _("Less than %(limit)s.", limit=_limit(limit))
    if kind == "minLength":
        return _("Required.") if limit == 1 else _("At least %(limit)s characters.", limit=_limit(limit))
    if kind == "maxLength":
        return _("At most %(limit)s characters.", limit=_limit(limit))
    if kind == "minItems":
        return _("At least %(limit)s rows.", limit=_limit(limit))
    if kind == "maxItems":
        return _("At most %(limit)s rows.", limit=_limit(limit))
    if kind == "uniqueItems":
        return _("An entry appears more than once.")
    if kind == "pattern":
        return _("Not in the expected form.")
    if kind == "format":
        return _("Not in the expected form.")
    if kind in ("enum", "const"):
        choices = limit if kind == "enum" else [limit]
        return _("Choose one of: %(choices)s.", choices=", ".join(str(c) for c in choices))
    if kind == "type":
        kinds = limit if isinstance(limit, list) else [limit]
        words = {
            "integer": _("a whole number"), "number": _("a number"), "string": _("text"),
            "boolean": _("yes or no"), "array": _("a list"), "object": _("a table"), "null": _("empty"),
        }
        return _("Must be %(kind)s.", kind=" / ".join(str(words.get(k, k)) for k in kinds))
    if kind == "additionalProperties":
        extra = sorted(set(err.instance) - set((err.schema.get("properties") or {}))) if isinstance(err.instance, dict) else []
        return _("Unknown key: %(keys)s.", keys=", ".join(map(str, extra)))
    return _("Not a valid value for this field.")


def field_of(where: str, schema: dict, document=None) -> str:
    """The form field an error's ``where`` (``modules.<m>.settings.<key>[.<more>]``) belongs to, or ""."""
    path = where.split(".settings.", 1)[-1] if ".settings." in where else ""
    path = re.sub(r"\[(\d+)\]", r".\1", path)  # types[0].code → types.0.code
    key = path.split(".", 1)[0]
    if key not in (schema.get("properties") or {}):
        return ""
    if document is None:
        return key
    parts = [int(p) if p.isdigit() else p for p in re.split(r"\.", path) if p]
    return name_of(schema, document, parts)
