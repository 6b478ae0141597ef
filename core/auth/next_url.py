"""Where to send a person after a form: ``next`` and other redirect targets taken from user input.

Only a path of this deployment is ever a target (issue 10.1, open redirect; OWASP "Unvalidated
Redirects and Forwards"). Browsers resolve a ``Location`` by the WHATWG URL standard, which turns
``\\`` into ``/``, drops tabs and newlines and strips leading spaces and controls, so ``////x``,
``/\\x`` or ``/\\t/x`` all mean the host ``x``. Rather than predicting every such reading, a target is
accepted only when it is plainly a path: it starts with exactly one ``/``, holds no backslash, no
control, format or whitespace character, still does after any number of percent-decodings, and
matches a route of the app. Anything else gives the default page.
"""
from __future__ import annotations

import unicodedata
from urllib.parse import quote, unquote, urlsplit

from flask import current_app, request, url_for
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

MAX_LENGTH = 2048
_DECODE_ROUNDS = 4  # ``%25252F``: every round peels one layer; more than this is refused
_SAFE = "/?&=%#+:@!$'()*,;~-._[]"  # kept as they are when the target is quoted into the header


def _plain_path(value: str) -> bool:
    if not value.startswith("/") or value[1:2] in ("/", "\\"):
        return False
    for ch in value:
        if ch == "\\" or ch.isspace() or unicodedata.category(ch)[0] in ("C", "Z"):
            return False
    return True


def _every_decoding_is_plain(value: str) -> bool:
    for _ in range(_DECODE_ROUNDS):
        if not _plain_path(value):
            return False
        decoded = unquote(value)
        if decoded == value:
            return True
        value = decoded
    return False  # still encoded after every round: nobody writes links like that


def _routes_here(path: str) -> bool:
    adapter = current_app.url_map.bind(request.host, script_name=request.script_root or "/")
    try:
        adapter.match(unquote(path), method="GET")
    except RequestRedirect:
        return True  # e.g. the same route with its trailing slash
    except HTTPException:
        return False
    return True


def safe_next(target: str | None, default: str = "portal.home") -> str:
    """A URL to redirect to: ``target`` (a path inside this tenant's URL space, e.g. ``/admin/users``
    or ``/complaints/track/MKS-1?x=1``) with the tenant's path prefix in front, or ``url_for(default)``
    when ``target`` is empty, too long or anything but a plain path of this app."""
    if not target or len(target) > MAX_LENGTH or not _every_decoding_is_plain(target):
        return url_for(default)
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not _routes_here(parts.path):
        return url_for(default)
    return (request.script_root or "") + quote(target, safe=_SAFE)
