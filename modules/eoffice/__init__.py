"""E-office (naskah dinas): official letters between agencies, drafted, reviewed (paraf),
signed (PAdES, numbered at signing), sent, disposed and followed up. The plugin object: hook
implementations only; the work is in drafting.py, review.py, delivery.py, queries.py, views.py.
"""
from core.kit import hookimpl

from .labels import lazy_gettext as _l

NAME = "eoffice"
VERSION = "0.1.0"


@hookimpl
def module_info():
    return {
        "disable_notice": {"id": "Pegawai tidak dapat lagi membuat, menandatangani atau menerima naskah dinas, dan halaman verifikasi surat berhenti; arsip tidak dihapus.", "en": "Staff can no longer draft, sign or receive official letters, and the letters' verification pages stop; the archive is not deleted."},  # shown before it is disabled
        "name": NAME, "title": _l("E-office"), "version": VERSION, "requires": [],
        "description": _l("Official letters between agencies: drafted, reviewed, signed, numbered, disposed and archived"),
    }


@hookimpl
def settings_schema():
    from .settings import SCHEMA

    return SCHEMA


@hookimpl
def check_settings(app, tenant, settings):
    from .settings import check_settings as check

    check(tenant, settings)


@hookimpl
def permissions():
    return [
        {"name": "eoffice.work", "description": _l("Draft, review, sign, receive and dispose official letters"),
         "roles": ["officer", "admin"]},
        {"name": "eoffice.archive", "description": _l("Keep the archive: close dossiers, see retention dates"),
         "roles": ["admin"]},
        {"name": "eoffice.oversee", "description": _l("Read every ordinary (biasa) letter of the tenant"),
         "roles": ["auditor", "admin"]},
    ]


@hookimpl
def register_blueprints(app):
    from .views import pages

    return [pages]


@hookimpl
def api_scopes():
    return [{"name": "eoffice:read", "description": _l("Read the register of ordinary letters and the figures (JSON API)")}]


@hookimpl
def register_api(app):
    from .api import api

    return [api]


@hookimpl
def nav_items(tenant, user):
    """The officer's e-office; for an overseer who does not work in it (an auditor), its figures
    (from which the ordinary letters they read are one link away)."""
    from core.kit import has_permission

    items = [{"title": _l("E-office"), "endpoint": f"{NAME}.home", "permission": "eoffice.work"}]
    if getattr(user, "is_authenticated", False) and not has_permission(user, tenant, "eoffice.work"):
        items.append({"title": _l("E-office figures"), "endpoint": f"{NAME}.figures", "permission": "eoffice.oversee"})
    return items


@hookimpl
def admin_items(tenant, user):
    return [{"title": _l("Archive (dossiers and retention)"), "endpoint": f"{NAME}.records",
             "permission": "eoffice.archive"},
            {"title": _l("E-office letter types and templates"), "endpoint": f"{NAME}.templates",
             "permission": "core.admin"},
            {"title": _l("E-office figures per agency"), "endpoint": f"{NAME}.figures", "permission": "eoffice.oversee"}] + (
               [{"title": _l("E-office figures of the cities and regencies"), "endpoint": f"{NAME}.cities",
                 "permission": "eoffice.oversee"}] if getattr(tenant, "kind", "") == "province" else [])


@hookimpl
def handle_event(app, tenant, actor, event):
    """A letter from another tenant, one of its attachments, or its revocation (``core.kit.tenant_post``;
    only that post carries ``from_tenant``); and the core's ``document.revoked`` of one of this
    tenant's letters, told to the other tenants it went to (``revocation.py``)."""
    if event.get("name") == "document.revoked" and not event.get("from_tenant"):
        from .revocation import tell_receivers

        return tell_receivers(tenant, actor, event.get("payload") or {})
    if event.get("name") == "eoffice.revoked" and event.get("from_tenant"):
        from .revocation import receive as receive_revocation

        return receive_revocation(tenant, actor, event)
    if event.get("name") == "eoffice.letter" and event.get("from_tenant"):
        from .crossing import receive

        return receive(tenant, actor, event)
    if event.get("name") == "eoffice.attachment" and event.get("from_tenant"):
        from .crossing import receive_attachment

        return receive_attachment(tenant, actor, event)
    return None


@hookimpl
def seed_demo(app, tenant):
    from .demo import seed

    seed(tenant)


@hookimpl
def demo_accounts(app, tenant):
    """The officials of the demo's letters, each a person of their own (demo.officials)."""
    from .demo import accounts

    return accounts(tenant)
from . import jobs  # noqa: E402,F401  (registers the periodic jobs with the queue)
