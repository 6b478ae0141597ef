"""Rendering: the form's fields from the schema and the values (what the template shows), the labels
for the error summary, the errors placed on the fields shown, and the (name, value) pairs a form
as shown would post (``as_form``)."""
from __future__ import annotations

import json

from flask_babel import gettext as _

from ...tenant_secrets import literal
from .kinds import _complex, _entry_is_group, kind_of
from .language import _pick, help_of, label_of
from .protocol import ADD_FIELD, ADVANCED_FIELD, EMPTY_ROWS, KEY, ROWS, VALUE, _REFS, _tenant


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
        if literal(sub, value) or (posted is not None and literal(sub, posted.get(key))):
            field["value"] = ""  # a secret written in place (refused, or stored before): never shown
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


def _refs(schema: dict) -> dict:
    """kind → {code: name} of the current tenant, for every kind the schema refers to."""
    from ...settings import known_codes

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
