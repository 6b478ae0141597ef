"""Turn a module's JSON Schema into form fields and the submitted form back into settings.

The form carries the whole settings document: every field of the schema is posted (a checkbox
with a hidden companion, so "unchecked" and "not sent" differ). A field the POST leaves out is an
error shown on the form, never a silent reset to its default (issue 10.12).
"""
from __future__ import annotations

import hashlib
import json

from flask_babel import gettext as _

from ..text import load_json

VERSION_FIELD = "_settings_version"  # the stored document the form was opened on (a digest)


def version(settings: dict | None) -> str:
    """A digest of a stored settings document: the form posts it back, so a save over someone
    else's newer change is refused instead of silently undoing it."""
    text = json.dumps(settings or {}, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def fields(schema: dict, values: dict, posted=None) -> list[dict]:
    """The form's fields with ``values``; a field the person ``posted`` shows what they typed."""
    out = []
    for key, sub in (schema.get("properties") or {}).items():
        kind = sub.get("type", "string")
        if "enum" in sub:
            widget = "select"
        elif kind == "boolean":
            widget = "checkbox"
        elif kind in ("integer", "number"):
            widget = "number"
        elif kind == "string":
            widget = "text"
        else:
            widget = "json"
        value = values.get(key, sub.get("default"))
        if posted is not None and key in posted and widget != "checkbox":
            shown = posted.get(key)  # what they typed, also when it was wrong
        else:
            shown = json.dumps(value, ensure_ascii=False, indent=1) if widget == "json" else value
        out.append({
            "key": key, "widget": widget, "value": shown,
            "label": sub.get("title", key), "help": sub.get("description", ""), "choices": sub.get("enum", []),
        })
    return out


def parse(schema: dict, form) -> tuple[dict, dict]:
    """Return (settings, errors by key); types follow the schema, every field must be present."""
    settings, errors = {}, {}
    for key, sub in (schema.get("properties") or {}).items():
        kind = sub.get("type", "string")
        if key not in form:
            errors[key] = _("This field was missing from the form; nothing was saved. Please check it and save again.")
            continue
        raw = form.get(key)
        if kind == "boolean":
            settings[key] = any(v not in ("", "0", "false") for v in form.getlist(key))
            continue
        raw = raw.strip()
        try:
            if kind == "integer":
                settings[key] = int(raw)
            elif kind == "number":
                settings[key] = float(raw)
            elif kind == "string":
                settings[key] = raw
            else:
                settings[key] = load_json(raw or "null", where=key)  # bounded nesting, cleaned text
        except (ValueError, RecursionError):  # BadJson too
            errors[key] = _("Not a valid value for this field.")
    return settings, errors


def field_of(where: str, schema: dict) -> str:
    """The form field an error's ``where`` (``modules.<m>.settings.<key>[.<more>]``) belongs to, or ""."""
    path = where.split(".settings.", 1)[-1] if ".settings." in where else ""
    key = path.split(".", 1)[0]
    return key if key in (schema.get("properties") or {}) else ""
