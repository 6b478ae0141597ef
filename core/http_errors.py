"""Every HTTP error in the format its client asked for (DESIGN §5; issue 9 item 3, issue 10 item 8).

One handler answers every error status (400, 401, 403, 404, 405, 413, 415, 429, 500, ...), whether
a view raised it, routing did (404 of an unknown path, 405 of an unsupported method), the tenant
in ``/t/<slug>/`` does not exist, Flask-Limiter refused (429), the body was too large (413) or the
CSRF token was missing (400). The format follows the path inside the tenant's URL space (after
``/t/<slug>``, known tenant or not):

- a prefix registered through the ``error_formats`` hook: that renderer (the core's own
  ``/api/``: ``{"error": {"code", "message"}}``; complaints: Open311 GeoReport v2 at ``/open311/v2``);
- elsewhere: JSON as above when the client prefers ``application/json``, else the HTML page
  ``error.html``, which renders even when the request's URL adapter could not be built (a Host
  header Werkzeug refuses): links then fall back to the script root, and a bare page is the last
  resort.

An exception may carry ``pamong_code`` (a stable code) and ``pamong_message`` (a localised message);
otherwise the code is the status's (``STABLE``) and the message the status's own, or for 400, 415
and 422 the description the raising code gave (``BadRequest("body: not valid JSON")``).
"""
from __future__ import annotations

import logging
import re
from collections.abc import Callable
from html import escape

from flask import Flask, Response, current_app, g, render_template, request
from flask.globals import request_ctx
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

Renderer = Callable[[int, str, str], Response]

STABLE = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
    406: "not_acceptable", 409: "conflict", 410: "gone", 413: "too_large", 414: "uri_too_long",
    415: "unsupported_media_type", 422: "unprocessable", 429: "rate_limited", 431: "headers_too_large",
    500: "internal_error", 501: "not_implemented", 503: "unavailable",
}


def _message(status: int) -> str:
    messages = {
        400: lambda: _("The request could not be understood."),
        401: lambda: _("Please sign in or give a valid API token."),
        403: lambda: _("You do not have permission to open this page."),
        404: lambda: _("The page was not found."),
        405: lambda: _("This address does not accept that method."),
        413: lambda: _("The upload is too large."),
        415: lambda: _("This kind of content is not accepted here."),
        429: lambda: _("Too many attempts. Please wait a moment and try again."),
        500: lambda: _("Something went wrong on our side. Please try again later."),
    }
    if status in messages:
        return messages[status]()
    return _("The request could not be completed.") if status < 500 else messages[500]()


# -- which format ---------------------------------------------------------------------------------

_UNRESOLVED_PREFIX = re.compile(r"^/t/[^/]*")


class ErrorFormats:
    """Renderers by path prefix (or compiled pattern) inside the tenant's URL space."""

    def __init__(self):
        self._prefixes: list[tuple[str, Renderer]] = []
        self._patterns: list[tuple[re.Pattern, Renderer]] = []

    def add(self, where, render: Renderer) -> None:
        if isinstance(where, re.Pattern):
            self._patterns.append((where, render))
            return
        prefix = "/" + str(where).strip("/")
        self._prefixes.append((prefix, render))
        self._prefixes.sort(key=lambda entry: len(entry[0]), reverse=True)  # the longest prefix wins

    def find(self, path: str) -> Renderer | None:
        for prefix, render in self._prefixes:
            if path == prefix or path.startswith(prefix + "/"):
                return render
        for pattern, render in self._patterns:
            if pattern.match(path):
                return render
        return None


def tenant_path() -> str:
    """The request's path inside the tenant's URL space: ``/t/<slug>`` is left out even when the
    middleware did not take it (a slug no tenant could have)."""
    path = request.path
    if "pamong.slug" not in request.environ:
        path = _UNRESOLVED_PREFIX.sub("", path, count=1) or "/"
    return path


def _formats() -> ErrorFormats:
    return current_app.extensions["pamong.error_formats"]


# -- rendering ------------------------------------------------------------------------------------

def json_error(status: int, code: str, message: str) -> Response:
    """Pamong's JSON error: ``{"error": {"code", "message"}}`` with the HTTP status, serialised as
    ``jsonify`` (the API helper ``api_error``) serialises it, so an error raised and one returned
    read alike (compact, ``\\n`` last)."""
    response = current_app.json.response({"error": {"code": code, "message": message}})
    response.status_code = status
    return response


def _wants_json() -> bool:
    try:
        return request.accept_mimetypes.best == "application/json"
    except Exception:  # noqa: BLE001  (a header too odd to read: HTML)
        return False


def _ensure_url_adapter() -> None:
    """Werkzeug could not bind the URL map to this request (e.g. a Host label over 63 characters):
    bind it to a placeholder host, enough for the relative links an error page has."""
    ctx = request_ctx._get_current_object()
    if ctx.url_adapter is not None:
        return
    try:
        ctx.url_adapter = current_app.url_map.bind(
            "invalid-host.invalid", script_name=request.script_root or "/", url_scheme=request.scheme,
        )
    except Exception:  # noqa: BLE001  (then the templates' url_for falls back, see _safe_url_for)
        log.warning("no URL adapter for an error page", exc_info=True)


def _safe_url_for(endpoint: str, **values) -> str:
    from flask import url_for

    try:
        return url_for(endpoint, **values)
    except Exception:  # noqa: BLE001
        root = request.script_root.rstrip("/") if request else ""
        if endpoint == "static" and "filename" in values:
            return f"{root}/static/{values['filename']}"
        return f"{root}/"


_BARE = (
    '<!doctype html>\n<html><head><meta charset="utf-8"><title>{status}</title></head>'
    "<body><h1>{status}</h1><p>{message}</p></body></html>\n"
)


def html_error(status: int, code: str, message: str) -> Response:
    """The ``error.html`` page; a bare page if even that cannot render."""
    _ensure_url_adapter()
    try:
        body = render_template("error.html", code=status, message=message, url_for=_safe_url_for)
    except Exception:  # noqa: BLE001
        log.exception("error page for %s could not render", status)
        body = _BARE.format(status=status, message=escape(message))
    return Response(body, status=status, content_type="text/html; charset=utf-8")


def render_error(status: int, code: str, message: str) -> Response:
    """The error in the format of the request's path (see the module's docstring); a lazy message
    (``lazy_gettext``) is said as text first, so every module's renderer gets a ``str``."""
    message = str(message)
    render = None
    try:
        render = _formats().find(tenant_path())
    except Exception:  # noqa: BLE001
        log.exception("no error format for this path")
    if render is not None:
        try:
            return render(status, code, message)
        except Exception:  # noqa: BLE001
            log.exception("the error renderer for %s failed", tenant_path())
    if _wants_json():
        return json_error(status, code, message)
    return html_error(status, code, message)


def _rollback() -> None:
    from .extensions import db

    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001
        log.warning("rollback after an error failed", exc_info=True)


_KEEP_HEADERS = {"content-type", "content-length"}


def _told(exc: HTTPException, status: int) -> str | None:
    """What our own code said about bad input (``BadRequest("body: ...")``), not Werkzeug's
    generic sentence; only for statuses about the request's content."""
    description = getattr(exc, "description", None)
    if status in (400, 415, 422) and isinstance(description, str) and description != type(exc).description:
        return description
    return None


def ensure_tenant() -> None:
    """Resolve the request's tenant when an error came before ``resolve_tenant`` ran (a body over
    ``MAX_CONTENT_LENGTH`` is refused by CSRF protection, which reads the form first), so the error
    page carries the tenant's branding and language; a failure here leaves the page tenant-less."""
    if "tenant" in g:
        return
    from .tenancy.resolve import resolve_tenant

    try:
        resolve_tenant()
    except Exception:  # noqa: BLE001  (an unknown tenant, a database error: the page without it)
        g.tenant = None


def handle_http_error(exc: HTTPException):
    """Flask's handler for every HTTPException (500 included, which wraps an unhandled error)."""
    status = exc.code or 500
    if status < 400:  # redirects raised by routing are answers, not errors
        return exc
    if status >= 500:
        _rollback()
    if status == 413:
        ensure_tenant()
    code = getattr(exc, "pamong_code", None) or STABLE.get(status, f"http_{status}")
    message = getattr(exc, "pamong_message", None) or _told(exc, status) or _message(status)
    response = render_error(status, code, message)
    try:
        for key, value in exc.get_headers():
            if key.lower() not in _KEEP_HEADERS:
                response.headers[key] = value
    except Exception:  # noqa: BLE001
        pass
    return response


def configure_errors(app: Flask) -> None:
    """Collect each plugin's ``error_formats`` and answer every HTTP error through one handler."""
    from flask_wtf.csrf import CSRFError

    from .errors import ModuleError

    formats = ErrorFormats()
    manager = app.extensions["pamong"]
    # modules first: for the same prefix, a module's format is found before the core's
    sources = [(name, spec.plugin) for name, spec in manager.modules.items()]
    sources.append(("core", manager.pm.get_plugin("core")))
    for name, plugin in sources:
        for entry in manager.call(plugin, "error_formats", app=app) or []:
            where, render = (entry or {}).get("prefix"), (entry or {}).get("render")
            if not isinstance(where, (str, re.Pattern)) or not callable(render):
                raise ModuleError(f"module '{name}': each error_formats() entry needs a 'prefix' "
                                  "(a path or a re.Pattern) and a callable 'render'")
            formats.add(where, render)
    app.extensions["pamong.error_formats"] = formats

    def csrf_error(exc: CSRFError):
        exc.pamong_code = "csrf_failed"
        exc.pamong_message = _("The form expired. Please try again.")
        return handle_http_error(exc)

    app.register_error_handler(CSRFError, csrf_error)
    # an unhandled exception reaches this handler too, as InternalServerError (500)
    app.register_error_handler(HTTPException, handle_http_error)
