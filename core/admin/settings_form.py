"""Turn a module's JSON Schema into form fields and the submitted form back into settings."""
from __future__ import annotations

import json

from flask_babel import gettext as _

from ..text import load_json


def fields(schema: dict, values: dict) -> list[dict]:
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
        out.append({
            "key": key, "widget": widget, "value": json.dumps(value, ensure_ascii=False, indent=1) if widget == "json" else value,
            "label": sub.get("title", key), "help": sub.get("description", ""), "choices": sub.get("enum", []),
        })
    return out


def parse(schema: dict, form) -> tuple[dict, dict]:
    """Return (settings, errors by key); types follow the schema."""
    settings, errors = {}, {}
    for key, sub in (schema.get("properties") or {}).items():
        kind = sub.get("type", "string")
        raw = form.get(key)
        if kind == "boolean":
            settings[key] = raw is not None
            continue
        if raw is None:
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
        except ValueError:  # BadJson too
            errors[key] = _("Not a valid value for this field.")
    return settings, errors
