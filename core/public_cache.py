"""Anonymous pages that a proxy, a browser and the app itself may cache (issue 11.3).

A response is *public* when nothing personal can be in it: a GET or HEAD answered 200 to a request
that carried no session cookie, no remember cookie and no ``Authorization`` header, and that left
the session untouched (no CSRF token made, no flash kept) and set no cookie. Such a response gets
``Cache-Control: public, max-age=PAMONG_PUBLIC_MAX_AGE`` (seconds, default 60; 0 turns it off) and
``Vary: Cookie, Accept-Language`` (the language comes from the ``pamong_locale`` cookie or the
browser). Everything else keeps what the view or ``core.auth.session`` set (``private, no-store``
for a signed-in person). A view may refuse the public header by setting its own ``Cache-Control``.

``PAMONG_ANON_CACHE_SECONDS`` (default 0: off) also keeps public responses in this process for
that many seconds, keyed by host, script root, path, query string, language cookie and
``Accept-Language``; it answers only requests with none of the cookies or headers above, before the
tenant is even looked up, so a signed-in person is never served a cached page nor the reverse, and
one tenant's page is never served for another's host or path (the key holds both).
"""
from __future__ import annotations

from cachetools import TTLCache
from flask import Flask, current_app, g, request, session
from werkzeug.wrappers import Response

from .i18n import LOCALE_COOKIE

_SAFE = ("GET", "HEAD")
_MAX_ENTRIES = 2048
_STORE = "pamong_public_cache"  # app.extensions key: the TTLCache, or None when off


def _anonymous_request(app: Flask) -> bool:
    cookies = request.cookies
    return (request.method in _SAFE
            and app.config.get("SESSION_COOKIE_NAME", "session") not in cookies
            and app.config.get("REMEMBER_COOKIE_NAME", "remember_token") not in cookies
            and "Authorization" not in request.headers)


def _key() -> tuple:
    return (request.host.lower(), request.script_root, request.path, request.query_string,
            request.cookies.get(LOCALE_COOKIE, ""), request.headers.get("Accept-Language", ""))


def init_public_cache(app: Flask) -> None:
    """Register the header step (after every view) and, when enabled, the in-process cache (first
    of all ``before_request`` steps, so a hit costs no database work)."""
    ttl = int(app.config.get("PAMONG_ANON_CACHE_SECONDS", 0) or 0)
    app.extensions[_STORE] = TTLCache(maxsize=_MAX_ENTRIES, ttl=ttl) if ttl > 0 else None

    def cached_answer():
        store = app.extensions.get(_STORE)
        if store is None or not _anonymous_request(app):
            return None
        hit = store.get(_key())
        if hit is None:
            return None
        body, status, headers = hit
        g.pamong_cache_hit = True
        return Response(body, status=status, headers=headers)

    app.before_request_funcs.setdefault(None, []).insert(0, cached_answer)

    @app.after_request
    def public_headers(response):
        max_age = int(current_app.config.get("PAMONG_PUBLIC_MAX_AGE", 60) or 0)
        if (max_age <= 0 or g.get("pamong_cache_hit") or response.status_code != 200
                or "Cache-Control" in response.headers or "Set-Cookie" in response.headers
                or not _anonymous_request(app) or session.modified or request.endpoint == "static"
                or g.get("_pamong_session_user")):
            return response
        response.headers["Cache-Control"] = f"public, max-age={max_age}"
        response.vary.update(("Cookie", "Accept-Language"))
        store = app.extensions.get(_STORE)
        if store is not None and not response.is_streamed and response.direct_passthrough is False:
            headers = [(k, v) for k, v in response.headers.items() if k.lower() != "content-length"]
            store[_key()] = (response.get_data(), response.status_code, headers)
        return response
