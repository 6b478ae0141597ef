"""The deployment behind its proxies: who the client is, whether the request came over TLS, and
the public address of this deployment (never the request's ``Host`` header).

``PAMONG_TRUSTED_PROXIES`` (a whole number, default 0) is the number of proxy hops in front of the
app that set ``X-Forwarded-For``, ``X-Forwarded-Proto`` and ``X-Forwarded-Host``; Werkzeug's
``ProxyFix`` then takes the client address, scheme and host from the hop that many places from the
right, so rate limits, audit entries and logs see the real client and HSTS sees TLS. With 0 the
forwarded headers are ignored (a client could write them itself). Read per request, so a test may
change it on a running app.

``PAMONG_PUBLIC_URL`` (e.g. ``https://layanan.example.go.id``) is the address of the deployment's
own host; see ``public_root()``.
"""
from __future__ import annotations

from flask import current_app, g, request
from werkzeug.middleware.proxy_fix import ProxyFix

from .errors import PamongError


def trusted_proxies(raw) -> int:
    """``PAMONG_TRUSTED_PROXIES`` as a number of hops (0..10); PamongError names the setting."""
    try:
        hops = int(str(raw).strip() or "0")
    except ValueError:
        hops = -1
    if not 0 <= hops <= 10:
        raise PamongError(f"'{raw}' is not a number of proxy hops (0 to 10)", where="PAMONG_TRUSTED_PROXIES")
    return hops


class TrustedProxies:
    """WSGI middleware: ProxyFix with ``app.config["PAMONG_TRUSTED_PROXIES"]`` hops, or nothing."""

    def __init__(self, app, wsgi_app):
        self.app = app
        self.wsgi_app = wsgi_app
        self._fixers: dict[int, ProxyFix] = {}

    def __call__(self, environ, start_response):
        hops = self.app.config.get("PAMONG_TRUSTED_PROXIES", 0)
        if not hops:
            return self.wsgi_app(environ, start_response)
        fixer = self._fixers.get(hops)
        if fixer is None:
            fixer = self._fixers[hops] = ProxyFix(self.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
        return fixer(environ, start_response)


def _port_suffix(scheme: str) -> str:
    # the port the server was reached on (from the socket, not from a header)
    port = str(request.environ.get("SERVER_PORT", ""))
    if not port.isdigit() or (scheme, port) in (("http", "80"), ("https", "443")):
        return ""
    return f":{port}"


def public_root() -> str:
    """The public address of the current request's URL space, ending in ``/``.

    On a tenant's own domain (host mode): ``<scheme>://<that domain>/``, the one of the tenant's
    domains the request was resolved by (else its first). Otherwise
    (``/t/<slug>/``, or the deployment-wide routes): ``PAMONG_PUBLIC_URL`` + the path prefix, and
    without that setting ``<scheme>://localhost[:port]`` (fine for a demo; set it in production).
    Never copies the ``Host`` header, which any client may write (issue 10.14).
    """
    scheme = request.scheme
    tenant = getattr(g, "tenant", None)
    host_mode = tenant is not None and not request.environ.get("pamong.slug") and not g.get("deployment_wide")
    if host_mode and tenant.domains:
        hosts = [d.host for d in tenant.domains]
        asked = request.host.rsplit(":", 1)[0].lower()  # the resolver matched it against ``hosts``
        return f"{scheme}://{asked if asked in hosts else hosts[0]}{_port_suffix(scheme)}/"
    base = (current_app.config.get("PAMONG_PUBLIC_URL") or "").rstrip("/")
    if not base:
        base = f"{scheme}://localhost{_port_suffix(scheme)}"
    return f"{base}{request.script_root}/"
