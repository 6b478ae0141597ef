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
``Accept-Language``; it answers only requests with none of the cookies or headers above, so a
signed-in person is never served a cached page nor the reverse, and one tenant's page is never
served for another's host or path (the key holds both). A hit is answered by a WSGI layer in front of
Flask (``CachedAnswers``, after the proxy and path-prefix layers have fixed host and script root):
no request context, no tenant lookup, no database (issue 11's anonymous-home goal).
"""
from __future__ import annotations

from cachetools import TTLCache
from flask import Flask, current_app, g, request, session
from werkzeug.http import parse_cookie
from werkzeug.wrappers import Response
from werkzeug.wsgi import get_host

from .i18n import LOCALE_COOKIE

_SAFE = ("GET", "HEAD")
_MAX_ENTRIES = 2048
_STORE = "pamong_public_cache"  # app.extensions key: the TTLCache, or None when off


def _anonymous(app: Flask, environ: dict, cookies) -> bool:
    """A GET or HEAD without a session, a remember cookie or an ``Authorization`` header."""
    return (environ.get("REQUEST_METHOD") in _SAFE
            and app.config.get("SESSION_COOKIE_NAME", "session") not in cookies
            and app.config.get("REMEMBER_COOKIE_NAME", "remember_token") not in cookies
            and "HTTP_AUTHORIZATION" not in environ)


def _key(environ: dict, cookies) -> tuple:
    """Host, script root (the ``/t/<slug>`` prefix), path, query, language cookie, Accept-Language."""
    return (get_host(environ).lower(), environ.get("SCRIPT_NAME", ""), environ.get("PATH_INFO", ""),
            environ.get("QUERY_STRING", ""), cookies.get(LOCALE_COOKIE, ""),
            environ.get("HTTP_ACCEPT_LANGUAGE", ""))


class CachedAnswers:
    """The WSGI layer that answers an anonymous request from the in-process cache, before Flask."""

    def __init__(self, app: Flask, wsgi_app):
        self.app, self.wsgi_app = app, wsgi_app

    def __call__(self, environ, start_response):
        store = self.app.extensions.get(_STORE)
        if store is not None:
            cookies = parse_cookie(environ)
            if _anonymous(self.app, environ, cookies):
                hit = store.get(_key(environ, cookies))
                if hit is not None:
                    body, status, headers = hit
                    return Response(body, status=status, headers=headers)(environ, start_response)
        return self.wsgi_app(environ, start_response)


def init_public_cache(app: Flask) -> None:
    """Register the header step (after every view) and, when enabled, the in-process cache, whose
    answers ``CachedAnswers`` serves (``core.app`` puts it in front of Flask)."""
    ttl = int(app.config.get("PAMONG_ANON_CACHE_SECONDS", 0) or 0)
    app.extensions[_STORE] = TTLCache(maxsize=_MAX_ENTRIES, ttl=ttl) if ttl > 0 else None

    @app.after_request
    def public_headers(response):
        max_age = int(current_app.config.get("PAMONG_PUBLIC_MAX_AGE", 60) or 0)
        if (max_age <= 0 or response.status_code != 200
                or "Cache-Control" in response.headers or "Set-Cookie" in response.headers
                or not _anonymous(app, request.environ, request.cookies) or session.modified
                or request.endpoint == "static" or g.get("_pamong_session_user")):
            return response
        response.headers["Cache-Control"] = f"public, max-age={max_age}"
        response.vary.update(("Cookie", "Accept-Language"))
        store = app.extensions.get(_STORE)
        if store is not None and not response.is_streamed and response.direct_passthrough is False:
            headers = [(k, v) for k, v in response.headers.items() if k.lower() != "content-length"]
            store[_key(request.environ, request.cookies)] = (response.get_data(), response.status_code, headers)
        return response
