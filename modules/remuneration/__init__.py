"""Remuneration (TPP, Tambahan Penghasilan Pegawai, PP 12/2019 art. 58): the plugin object.

Each month every civil servant's TPP is computed from performance (approved activity minutes,
points or SKP ratings) and discipline (attendance, assemblies, absences, sanctions) by the tenant's
own dated rules (its head-of-region regulation), to the rupiah with one breakdown line per rule.
Hook implementations only; the work is in the files they import.
"""
from pathlib import Path

from core.kit import documents, hookimpl, module_domain

NAME = "remuneration"
VERSION = "0.1.0"
SUMMARY_KIND = "tpp-summary"  # the signed per-agency summary's kind in the core's document register

# Strings shown outside this module's own pages (navigation, admin) name the module's catalogue.
DOMAIN = module_domain(NAME, Path(__file__).parent / "translations")
_l = DOMAIN.lazy_gettext

# The admin's register of signed documents names the kind in words (its first word, "tpp", is no module's name).
documents.register_kind(SUMMARY_KIND, _l("TPP summary per agency"))


@hookimpl
def module_info():
    return {
        "disable_notice": {"id": "Pegawai tidak dapat lagi melihat TPP-nya atau mengajukan keberatan, dan mesin presensi tidak dapat mengirim data; perhitungan tidak dihapus.", "en": "Employees can no longer see their TPP or object, and attendance machines cannot send records; the runs are not deleted."},  # shown before it is disabled
        "name": NAME, "title": _l("Remuneration (TPP)"), "version": VERSION, "requires": [],
        "description": _l("Monthly additional income (TPP) from performance and discipline, rules per tenant"),
    }


@hookimpl
def settings_schema():
    from .settings import SCHEMA

    return SCHEMA


@hookimpl
def check_settings(tenant, settings):
    from .settings import check_settings as check

    check(tenant, settings)


@hookimpl
def permissions():
    return [
        {"name": f"{NAME}.own", "description": _l("See one's own TPP and its breakdown"),
         "roles": ["citizen", "officer", "admin"]},
        {"name": f"{NAME}.manage", "description": _l("Import employees and attendance, run months (personnel agency)"),
         "roles": ["admin"]},
        {"name": f"{NAME}.resolve", "description": _l("Decide employees' objections (supervisor, personnel agency)"),
         "roles": ["officer", "admin"]},
        # with the settings' finance_positions, their holders close instead, and nobody else (finance.py)
        {"name": f"{NAME}.close", "description": _l("Close a month for payment and sign its summaries (finance agency, "
                                                    "unless the settings name finance positions)"), "roles": ["admin"]},
        {"name": f"{NAME}.read_all", "description": _l("Read every employee's TPP and the per-agency figures"),
         "roles": ["admin", "auditor"]},
    ]


@hookimpl
def api_scopes():
    return [{"name": f"{NAME}:attendance", "description": _l("Send attendance records (attendance machines)")},
            {"name": f"{NAME}:read", "description": _l("Read monthly TPP results (JSON API)")}]


@hookimpl
def document_subject(app, tenant, document, locale):
    """A signed summary's subject on its verification page with the month in words (``summary.shown_subject``)."""
    from .summary import shown_subject

    return shown_subject(tenant, document, locale)


@hookimpl
def register_blueprints(app):
    from . import views_activities, views_employees, views_exports, views_imports, views_objections, views_summary  # noqa: F401  (their routes)
    from .views import pages

    return [pages]


@hookimpl
def register_api(app):
    from .api import api

    return [api]


@hookimpl
def register_commands(cli):
    from .commands import remuneration_group

    cli.add_command(remuneration_group)


@hookimpl
def nav_items(tenant, user):
    from .activities import roles_of
    from .finance import finance_position_of, finance_positions
    from .settings import settings_of

    oversight = {"title": _l("TPP oversight"), "endpoint": f"{NAME}.oversight", "permission": f"{NAME}.read_all"}
    if not settings_of(tenant).get("ceilings"):
        # not configured to pay TPP here (a province enabling it for its auditor's oversight, as
        # Banten): the runs, employees and objections would be empty pages, so only the oversight
        return [oversight]
    # "My TPP" only for someone the personnel records know (a citizen is rarely an employee), the
    # activities to approve only for someone they name as a supervisor
    email = getattr(user, "email", "") if user is not None else ""
    mine, boss = roles_of(tenant, email)  # one statement for both
    # the finance agency's holder (BPKAD) sees the runs to close them, without reading every employee
    payer = bool(email) and bool(finance_positions(tenant)) and finance_position_of(tenant, user) is not None
    return [*([{"title": _l("My TPP"), "endpoint": f"{NAME}.index", "permission": f"{NAME}.own"},
               {"title": _l("My activities"), "endpoint": f"{NAME}.my_activities", "permission": f"{NAME}.own"}]
              if mine else []),
            *([{"title": _l("Activities to approve"), "endpoint": f"{NAME}.review_activities",
                "permission": f"{NAME}.own"}] if boss else []),
            {"title": _l("TPP runs"), "endpoint": f"{NAME}.runs",
             "permission": f"{NAME}.own" if payer else f"{NAME}.read_all"},
            {"title": _l("TPP employees"), "endpoint": f"{NAME}.employee_list", "permission": f"{NAME}.read_all"},
            {"title": _l("TPP objections"), "endpoint": f"{NAME}.objection_list", "permission": f"{NAME}.resolve"},
            oversight]


@hookimpl
def seed_demo(tenant):
    from .demo import seed

    seed(tenant)
