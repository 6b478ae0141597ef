"""Permits (Perizinan): online permit applications with requirements checked by content, the core
SLA clock in OSS-RBA's terms, fees on the core ledger, and permits signed through the core documents
service with a QR code to their public verification page.

This file is the module's plugin object: hook implementations only (the contract is core/hookspecs.py).
"""
from pathlib import Path

from core.kit import hookimpl, module_domain

from . import jobs  # noqa: F401  (registers the periodic overdue sweep with the queue)

NAME = "permits"
VERSION = "0.1.0"

# Strings shown outside this module's own pages (navigation, admin) name the module's catalogue.
_l = module_domain(NAME, Path(__file__).parent / "translations").lazy_gettext


@hookimpl
def module_info():
    return {
        "disable_notice": {"id": "Warga dan pelaku usaha tidak dapat lagi mengajukan atau memantau izin, dan halaman verifikasi izin berhenti; permohonan tidak dihapus.", "en": "Citizens and businesses can no longer apply for or follow permits, and the permits' verification pages stop; applications are not deleted."},  # shown before it is disabled
        "name": NAME, "title": _l("Permits"), "version": VERSION, "requires": [],
        "description": _l(
            "Online permits: applications, requirements, SLA clock, fees, signed permits verifiable by QR"),
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
        {"name": "permits.apply", "description": _l("Apply for permits and follow one's applications"),
         "roles": ["citizen", "officer", "admin"]},
        {"name": "permits.process", "description": _l("Work the permit office's queue (act on stages one holds)"),
         "roles": ["officer", "admin"]},
        {"name": "permits.cashier", "description": _l("Record the payment of a permit fee at the counter"),
         "roles": ["officer", "admin"]},
        {"name": "permits.sign", "description": _l("Issue (sign) permits that are approved and paid"),
         "roles": ["admin"]},
        {"name": "permits.revoke", "description": _l("Revoke or suspend issued permits"), "roles": ["admin"]},
    ]


@hookimpl
def api_scopes():
    return [{"name": "permits:read", "description": _l("Read permit applications (JSON API)")},
            {"name": "permits:status", "description": _l("Suspend, reinstate or revoke issued permits (JSON API)")},
            {"name": "permits:reconciliation",
             "description": _l("Read the retribution reconciliation with the ledger (JSON API)")}]


@hookimpl
def document_state(app, tenant, document):
    """A suspended permit's state for its public verification page (``issuance.public_state``)."""
    from .issuance import public_state

    return public_state(tenant, document)


@hookimpl
def document_subject(app, tenant, document, locale):
    """A permit's subject (its type's name) in the reader's language (``issuance.public_subject``)."""
    from .issuance import public_subject

    return public_subject(tenant, document, locale)


@hookimpl
def register_blueprints(app):
    from .views import pages

    return [pages]


@hookimpl
def register_api(app):
    from .api import api

    return [api]


@hookimpl
def nav_items(tenant, user):
    return [
        {"title": _l("Permits"), "endpoint": f"{NAME}.index"},
        {"title": _l("Permit queue"), "endpoint": f"{NAME}.queue", "permission": "permits.process"},
        {"title": _l("OSS report"), "endpoint": f"{NAME}.oss_report", "permission": "permits.process"},
    ]


@hookimpl
def seed_demo(tenant):
    from .demo import seed

    seed(tenant)
