"""City card (Kartu Kota): the city's smart card, e-money and access card, every rupiah on the core
ledger. This file is the plugin object: hook implementations only (the contract is core/hookspecs.py).
"""
from core.kit import hookimpl

from .labels import NAME, lazy_gettext as _l

VERSION = "0.1.0"


@hookimpl
def module_info():
    return {
        "disable_notice": {"id": "Kartu warga tidak dapat lagi dipakai membayar atau masuk, dan terminal berhenti menjawab; saldo tidak dihapus.", "en": "City cards can no longer pay or open gates, and the terminals stop answering; balances are not deleted."},  # shown before it is disabled
        "name": NAME, "title": _l("City card"), "version": VERSION, "requires": [],
        "description": _l("City smart card: e-money and access card on the core ledger"),
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
def on_tenant_enabled(app, tenant, settings):
    from core.kit import Actor

    from .settings_access import open_accounts

    open_accounts(tenant, Actor.system("smartcard", tenant))


@hookimpl
def permissions():
    return [
        {"name": "smartcard.manage", "description": _l("Issue, link, block, replace and close city cards"),
         "roles": ["officer", "admin"]},
        {"name": "smartcard.terminals", "description": _l("Register and deactivate card terminals"),
         "roles": ["admin"]},
        {"name": "smartcard.takings", "description": _l("See the takings of merchants, service points and agencies"),
         "roles": ["officer", "admin", "auditor"]},
        {"name": "smartcard.takings_all", "description": _l("See the takings of every agency, not only one's own"),
         "roles": ["admin", "auditor"]},
        {"name": "smartcard.export", "description": _l("Export the card ledger's journal (CSV, Beancount)"),
         "roles": ["auditor", "admin"]},
    ]


@hookimpl
def api_scopes():
    return [{"name": "smartcard:terminal", "description": _l("Card terminal: pay, hold, capture, void, refund, balance")}]


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
    return [{"title": _l("City card"), "endpoint": "smartcard.index"},
            {"title": _l("Cards"), "endpoint": "smartcard.cards", "permission": "smartcard.manage"},
            {"title": _l("Card terminals"), "endpoint": "smartcard.terminals", "permission": "smartcard.terminals"},
            {"title": _l("Card takings"), "endpoint": "smartcard.takings", "permission": "smartcard.takings"}]


@hookimpl
def seed_demo(app, tenant):
    from .demo import seed

    seed(tenant)


@hookimpl
def access_card(tenant, number):
    from .cards import access_answer

    return access_answer(tenant, number)


@hookimpl
def register_commands(cli):
    from .commands import smartcard_group

    cli.add_command(smartcard_group)
