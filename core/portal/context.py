"""What every page's template gets: the tenant, its navigation and the language switch."""
from flask import current_app, g, request
from flask_login import current_user

from ..auth.permissions import has_permission
from ..i18n import current_locale


def _visible(items, tenant, user):
    out = []
    for item in items:
        perm = item.get("permission")
        if perm and not (user.is_authenticated and has_permission(user, tenant, perm)):
            continue
        out.append(item)
    return out


def nav_for(hookname: str) -> list[dict]:
    """The items of a navigation hook (``nav_items``, ``admin_items``) this person may see, asked of
    the tenant's modules once per request: the layout and the home page both show them, and a
    module's answer may cost queries (issue 11: a page pays for what it shows, once)."""
    tenant = getattr(g, "tenant", None)
    if tenant is None:
        return []
    asked = g.setdefault("_pamong_nav", {})
    if hookname not in asked:
        asked[hookname] = _ask(tenant, hookname)
    return asked[hookname]


def _ask(tenant, hookname: str) -> list[dict]:
    manager = current_app.extensions["pamong"]
    user = current_user._get_current_object()
    items = []
    for answer in manager.collect(tenant, hookname, enabled=g.enabled_modules, app=current_app._get_current_object(),
                                  tenant=tenant, user=user):
        items += answer or []
    return _visible(items, tenant, user)


def portal_context() -> dict:
    tenant = getattr(g, "tenant", None)
    return {
        "tenant": tenant,
        "nav_items": (lambda: nav_for("nav_items")),
        "admin_items": (lambda: nav_for("admin_items")),
        "current_locale": current_locale(),
        "locales": list(tenant.locales) if tenant is not None else ["id", "en"],
        "request_path": request.full_path.rstrip("?"),
    }
