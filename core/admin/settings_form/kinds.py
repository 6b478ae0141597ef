"""Shapes of the schema → field kinds: the widget each (sub)schema gets (see the package's docstring)."""
from __future__ import annotations


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
