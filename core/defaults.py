"""The core's own behaviour, written as a plugin of its own hooks (trylast, so a city may replace it)."""
from flask_babel import lazy_gettext as _l

from .hookspecs import hookimpl

CORE_PERMISSIONS = [
    {"name": "core.admin", "description": _l("Manage the tenant's modules, settings, users and roles"), "roles": ["admin"]},
    {"name": "core.audit.read", "description": _l("Read the audit trail"), "roles": ["admin", "auditor"]},
    {"name": "core.tokens", "description": _l("Create and revoke API tokens"), "roles": ["admin"]},
    {"name": "core.documents.revoke", "description": _l("Revoke a signed official document"), "roles": ["admin"]},
]


@hookimpl(trylast=True)
def permissions():
    return CORE_PERMISSIONS


CORE_API_SCOPES = [
    {"name": "tenant:read", "description": _l("Read the tenant's public description (GET /api/v1/tenant)")},
]


@hookimpl(trylast=True)
def api_scopes():
    return CORE_API_SCOPES


@hookimpl(trylast=True)
def admin_items(tenant, user):
    return [
        {"title": _l("Modules"), "endpoint": "admin.modules", "permission": "core.admin"},
        {"title": _l("Users and roles"), "endpoint": "admin.users", "permission": "core.admin"},
        {"title": _l("Organisation"), "endpoint": "admin.organisation", "permission": "core.admin"},
        {"title": _l("API tokens"), "endpoint": "admin.tokens", "permission": "core.tokens"},
        {"title": _l("Audit trail"), "endpoint": "admin.audit", "permission": "core.audit.read"},
        {"title": _l("Signed documents"), "endpoint": "admin.documents_register", "permission": "core.audit.read"},
    ]


@hookimpl(trylast=True)
def nav_items(tenant, user):
    return [{"title": _l("Home"), "endpoint": "portal.home"}]


@hookimpl(trylast=True)
def error_formats(app):
    from .http_errors import json_error

    # the JSON API, and the SMS gateway's webhook, which answers in the same JSON
    return [{"prefix": "/api", "render": json_error}, {"prefix": "/sms/inbound", "render": json_error}]


@hookimpl(trylast=True)
def sms_unmatched(keywords):
    from flask_babel import gettext

    if not keywords:
        return gettext("This number does not answer SMS messages.")
    return gettext("Unknown keyword. Start your message with one of: %(keywords)s", keywords=", ".join(keywords))
