"""The core's JSON API: the OpenAPI document and the tenant's own description."""
from flask import Blueprint, current_app, g, jsonify

from ..auth.permissions import public
from .auth import api_error, api_scope

bp = Blueprint("api", __name__)


def openapi_document(app) -> dict:
    manager = app.extensions["pamong"]
    paths = {
        "/api/v1/tenant": {"get": {
            "summary": "The tenant this address serves", "security": [{"token": ["tenant:read"]}],
            "responses": {"200": {"description": "slug, name, kind, timezone, locales, modules"}},
        }},
    }
    for name, spec in manager.modules.items():
        paths.update(manager.call(spec.plugin, "openapi_paths", app=app) or {})
    return {
        "openapi": "3.1.0",
        "info": {"title": "Pamong API", "version": "1"},
        "components": {
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Error": {"type": "object", "properties": {"error": {"type": "object", "properties": {
                "code": {"type": "string"}, "message": {"type": "string"}}}}}},
        },
        "paths": paths,
    }


@bp.route("/openapi.json")
@public
def openapi():
    return jsonify(openapi_document(current_app))


@bp.route("/tenant")
@api_scope("tenant:read")
def tenant():
    if g.tenant is None:
        return api_error("unknown_tenant", "No tenant at this address.", 404)
    t = g.tenant
    return jsonify(slug=t.slug, name=t.name, kind=t.kind, timezone=t.timezone, locales=list(t.locales),
                   modules=sorted(g.enabled_modules))
