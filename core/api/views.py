"""The core's JSON API: the OpenAPI document, its documentation page, and the tenant's description.

``/api/v1/openapi.json`` is per tenant: at a tenant's address (its domain or ``/t/<slug>``) it
lists the core's endpoints and those of the modules the tenant has enabled, with ``servers`` the
tenant's base address (``core.links.tenant_base_url``: the tenant's ``public_url``, else its
domain, else ``PAMONG_PUBLIC_URL`` + ``/t/<slug>``) and every path relative to it
(``/api/v1/...``). Asked for through the path address (``/t/<slug>/api/v1/openapi.json``), the
first server is that same base as a relative URL (``/t/<slug>``, resolved against the document's
own address, never from the ``Host`` header): Swagger UI's "Try it out" on that page then calls its
own origin, which the page's Content-Security-Policy allows. At the deployment's own address (no
tenant) it lists every installed module, with servers whose ``tenant`` variable names the tenants
served under ``/t/<slug>``: relative first, then under ``PAMONG_PUBLIC_URL``.
``/api/v1/docs`` shows the document with Swagger UI, served by the app (the PyPI package
``swagger-ui-py`` ships the bundle; no CDN).
"""
from __future__ import annotations

import importlib.util
import os

from flask_babel import force_locale
from flask_babel import gettext as _
from flask import Blueprint, abort, current_app, g, jsonify, render_template, request, send_from_directory, url_for

from ..auth.permissions import public
from .auth import api_error, api_scope
from .schemas import ApiOutput, build_paths, operation

bp = Blueprint("api", __name__)


class TenantDescription(ApiOutput):
    """The tenant this address serves."""

    slug: str
    name: str
    kind: str
    timezone: str
    locales: list[str]
    modules: list[str]


ERROR_SCHEMA = {
    "type": "object", "required": ["error"],
    "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {
        "code": {"type": "string", "description": "Stable, machine-readable (e.g. invalid_json, required, "
                                                  "unauthorized, insufficient_scope, not_found)"},
        "message": {"type": "string", "description": "What is wrong, for a developer"},
        "where": {"type": ["string", "null"], "description": "The field or parameter, where one is at fault"},
    }}},
}

DESCRIPTION = (
    "The JSON API of a Pamong tenant (a province, regency or city). Authenticate with an API token of "
    "the tenant (`Authorization: Bearer <token>`, created by the tenant's admin or `pamong token create`); "
    "each operation names the scope it needs. Errors are `{\"error\": {\"code\", \"message\"}}` with a "
    "stable code. Money is whole rupiah; times are ISO 8601 with their offset. A standard that a module "
    "implements (such as Open311 GeoReport v2 or HL7 FHIR R4) keeps its own formats and errors; the "
    "module's operations below say where it is served."
)


def _modules_shown(app, tenant) -> set[str]:
    manager = app.extensions["pamong"]
    return set(manager.modules) if tenant is None else set(getattr(g, "enabled_modules", ()) or ())


SAME_ORIGIN = "This address: the origin the document was fetched from"


def _servers(tenant) -> list[dict]:
    from ..links import tenant_base_url

    root = request.script_root.rstrip("/") if request else ""  # ``/t/<slug>`` on the path address
    if tenant is not None:
        servers = [{"url": tenant_base_url(tenant), "description": tenant.name}]
        if request and request.environ.get("pamong.slug"):
            servers.insert(0, {"url": root, "description": SAME_ORIGIN})
        return servers
    from ..extensions import db
    from ..tenancy.models import Tenant

    slugs = sorted(db.session.execute(db.select(Tenant.slug)).scalars())
    base = (current_app.config.get("PAMONG_PUBLIC_URL") or "http://localhost").strip().rstrip("/")
    variables = ({"tenant": {"default": slugs[0], "enum": slugs}} if slugs else {"tenant": {"default": "tenant"}})
    return [{"url": root + "/t/{tenant}", "description": f"{SAME_ORIGIN}, a tenant by its slug",
             "variables": variables},
            {"url": base + "/t/{tenant}", "description": "A tenant of this deployment, by its slug",
             "variables": variables}]


def openapi_document(app, tenant=None) -> dict:
    """The OpenAPI 3.1 document of ``tenant``'s API (every installed module's when None)."""
    manager = app.extensions["pamong"]
    shown = _modules_shown(app, tenant)
    installed = set(manager.modules)

    def include(rule: str) -> bool:
        if not rule.startswith("/api/v1/"):
            return False
        module = rule.split("/")[3]
        return module not in installed or module in shown

    paths, schemas = build_paths(app, include)
    for name, spec in manager.modules.items():  # standards' endpoints, described by hand
        if name in shown:
            paths.update(manager.call(spec.plugin, "openapi_paths", app=app) or {})
    tags = [{"name": "core", "description": "The tenant and this document"}]
    with force_locale("en"):  # the document is for developers: English
        tags += [{"name": name, "description": str(spec.title)}
                 for name, spec in sorted(manager.modules.items()) if name in shown]
    return {
        "openapi": "3.1.0",
        "info": {"title": f"Pamong API: {tenant.name}" if tenant is not None else "Pamong API", "version": "1",
                 "description": DESCRIPTION,
                 "license": {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"}},
        "servers": _servers(tenant),
        "tags": tags,
        "components": {
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Error": ERROR_SCHEMA, **schemas},
        },
        "paths": dict(sorted(paths.items())),
    }


@bp.route("/openapi.json")
@public
def openapi():
    return jsonify(openapi_document(current_app, getattr(g, "tenant", None)))


def _swagger_dir() -> str | None:
    spec = importlib.util.find_spec("swagger_ui")  # located, not imported: only its static files are used
    if spec is None or not spec.submodule_search_locations:
        return None
    return os.path.join(list(spec.submodule_search_locations)[0], "static")


SWAGGER_FILES = {"swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "index.css",
                 "favicon-32x32.png", "favicon-16x16.png"}


@bp.route("/docs")
@public
def docs():
    """The API's documentation page: Swagger UI over this address's ``openapi.json``."""
    return render_template("api/docs.html", spec_url=url_for("api.openapi"))


@bp.route("/docs/assets/<name>")
@public
def docs_asset(name: str):
    """A file of the Swagger UI bundle (the package's, as installed), by name from a fixed list."""
    folder = _swagger_dir()
    if folder is None or name not in SWAGGER_FILES:
        abort(404)
    return send_from_directory(folder, name, max_age=86400)


@bp.route("/tenant")
@api_scope("tenant:read")
@operation("The tenant this address serves", response=TenantDescription,
           description="Its slug, name, kind (province, regency, city), IANA time zone, locales and the "
                       "modules it has enabled.", tags=["core"])
def tenant():
    if g.tenant is None:
        return api_error("unknown_tenant", _("No tenant at this address."), 404)
    t = g.tenant
    return jsonify(slug=t.slug, name=t.name, kind=t.kind, timezone=t.timezone, locales=list(t.locales),
                   modules=sorted(g.enabled_modules))
