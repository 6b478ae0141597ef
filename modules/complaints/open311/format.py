"""Open311 GeoReport v2 on the wire: XML and JSON bodies, errors, W3C date-times, list parameters.

XML: ``<?xml version="1.0" encoding="utf-8"?>``, no namespace, ``text/xml; charset=utf-8``; absent
values are empty elements. JSON: the same data (root arrays for lists), absent values ``null``.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from xml.etree import ElementTree as ET
from zoneinfo import ZoneInfo

from flask import Response

from core.kit import OutOfBounds, check_datetime, local_iso

FORMATS = ("xml", "json")
# the element name of each list's items, by the list's own element name
ITEMS = {
    "services": "service", "service_requests": "request", "attributes": "attribute", "values": "value",
    "errors": "error", "endpoints": "endpoint", "formats": "format", "notes": "note", "photos": "photo",
    "service_request_updates": "request_update",
}


class Open311Error(Exception):
    """One or more spec errors: ``[(code, description)]`` with the HTTP status to answer."""

    def __init__(self, status: int, description: str, code: int | None = None, more: tuple = ()):
        super().__init__(description)
        self.status = status
        self.errors = [(code or status, description)] + [(code or status, text) for text in more]

    @classmethod
    def refusal(cls, exc) -> "Open311Error":
        """A service's refusal as a 400: each of its problems (``core.kit.Problems``) its own error."""
        said = [f"{p.where}: {p.message}" if p.where else p.message for p in getattr(exc, "problems", None) or [exc]]
        return cls(400, said[0], more=tuple(said[1:]))


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _build(parent: ET.Element, name: str, value) -> None:
    element = ET.SubElement(parent, name)
    if isinstance(value, dict):
        for key, sub in value.items():
            _build(element, key, sub)
    elif isinstance(value, (list, tuple)):
        for sub in value:
            _build(element, ITEMS.get(name, "item"), sub)
    else:
        text = _text(value)
        if text is not None:
            element.text = text


def to_xml(root: str, value) -> bytes:
    holder = ET.Element("holder")
    _build(holder, root, value)
    body = ET.tostring(holder[0], encoding="unicode", short_empty_elements=True)
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body).encode("utf-8")


def respond(fmt: str, root: str, value, status: int = 200) -> Response:
    if fmt == "json":
        body = json.dumps(value, ensure_ascii=False).encode("utf-8")
        return Response(body, status=status, content_type="application/json; charset=utf-8")
    return Response(to_xml(root, value), status=status, content_type="text/xml; charset=utf-8")


def error_response(fmt: str, exc: Open311Error) -> Response:
    errors = [{"code": code, "description": description} for code, description in exc.errors]
    return respond(fmt if fmt in FORMATS else "xml", "errors", errors, exc.status)


def error_in_path_format(status: int, code: str, message: str) -> Response:
    """Any HTTP error under ``/open311/v2`` (the module's ``error_formats`` hook): the spec's error
    list, in XML or JSON by the path's extension (XML, the mandatory format, otherwise)."""
    from flask import request

    fmt = "json" if request.path.endswith(".json") else "xml"
    return error_response(fmt, Open311Error(status, message))


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise Open311Error(400, f"unknown format '{fmt}': use .xml or .json")
    return fmt


def w3c(value: datetime | None, zone: str) -> str | None:
    """A W3C date-time in the tenant's zone, to the second: ``2026-03-01T10:00:00+08:00`` (the core's
    ``local_iso``, as the JSON API and the CSV give times)."""
    return local_iso(value, zone)


def parse_w3c(raw: str, name: str, zone: str) -> datetime:
    """Accept ``Z``, ``±HH:MM``, fractional seconds, a ``+`` that arrived as a space, or a date alone
    (midnight in the tenant's zone); anything else is a 400."""
    text = raw.strip()
    if len(text) > 10 and " " in text[10:]:
        head, tail = text[:10], text[10:]
        text = head + tail.replace(" ", "+")
    try:
        if len(text) < 10 or text[4] != "-" or text[7] != "-":
            raise ValueError
        value = datetime.fromisoformat(text.replace("z", "Z"))
    except (ValueError, IndexError):
        raise Open311Error(400, f"{name} is not a W3C date-time (e.g. 2026-03-01T10:00:00+08:00)") from None
    try:
        check_datetime(value)  # on its own clock face, before the shift to UTC can overflow
    except OutOfBounds as exc:
        raise Open311Error(400, f"{name}: {exc.message}") from None
    if value.tzinfo is None:
        if len(text) != 10:
            raise Open311Error(400, f"{name} needs a time zone (Z or +HH:MM)")
        value = value.replace(tzinfo=ZoneInfo(zone))
    return value.astimezone(timezone.utc)


def comma_list(raw: str | None) -> list[str]:
    return [part.strip() for part in (raw or "").split(",") if part.strip()]
