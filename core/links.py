"""Links that leave the app (in SMS and e-mail): the address a tenant is really served at.

``tenant_url(tenant, path)`` is the one place a message's link is built. The base, first found:

1. the tenant's own ``public_url`` (tenant TOML, e.g. ``"https://layanan.makassarkota.go.id"``),
   used as given (it may carry a port or a path prefix);
2. host mode, the tenant has domains: ``<scheme>://<its first domain, in name order><port>``, the
   scheme and port being those of the deployment's ``PAMONG_PUBLIC_URL`` (https and no port
   without it);
3. path mode: ``PAMONG_PUBLIC_URL`` + ``/t/<slug>`` (``http://localhost`` without it).

``pamong demo`` sets ``PAMONG_PUBLIC_URL`` to the address it serves on (``http://127.0.0.1:PORT``)
unless the environment gives one, so demo links open. No request is needed: messages are also
built by the worker and the CLI. Never the request's ``Host`` header (issue 10.14).
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, has_app_context


def _deployment_url() -> str:
    raw = current_app.config.get("PAMONG_PUBLIC_URL", "") if has_app_context() else ""
    return (raw or "").strip().rstrip("/")


def tenant_base_url(tenant) -> str:
    """The absolute address of ``tenant``'s URL space, without a trailing ``/``."""
    own = (getattr(tenant, "public_url", "") or "").strip().rstrip("/")
    if own:
        return own
    deployment = _deployment_url()
    domains = sorted(d.host for d in (getattr(tenant, "domains", None) or []))
    if domains:
        parts = urlsplit(deployment) if deployment else None
        scheme = parts.scheme if parts and parts.scheme else "https"
        port = f":{parts.port}" if parts and parts.port else ""
        return f"{scheme}://{domains[0]}{port}"
    return f"{deployment or 'http://localhost'}/t/{tenant.slug}"


def tenant_url(tenant, path: str) -> str:
    """``path`` (from the tenant's URL space root, e.g. ``/complaints/track/X``) as an absolute URL."""
    return tenant_base_url(tenant) + "/" + path.lstrip("/")
