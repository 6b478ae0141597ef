"""Complaints (pengaduan warga): the plugin object of the module. Hook implementations only.

Citizens file on the portal, by SMS (``LAPOR ...``), through a chat gateway or an officer's hotline
entry; each category routes to an agency; officers work their queue; overdue complaints escalate;
a public page shows how the tenant is doing; Open311 GeoReport v2 is served at ``/open311/v2/``.
"""
from core.kit import csrf_exempt, hookimpl

from . import jobs  # noqa: F401  (registers the periodic SLA sweep with the queue)
from . import summary  # noqa: F401  (keeps the public figures' counters with every complaint's change)
from . import words  # noqa: F401  (keeps the keyword search's word index with every complaint's text)
from .labels import lazy_gettext as _l

NAME = "complaints"
VERSION = "0.1.0"  # as every module of the kit until its first release


@hookimpl
def module_info():
    return {
        "disable_notice": {"id": "Warga tidak dapat lagi mengadu lewat web, SMS, obrolan atau Open311; halaman pantau pengaduan dan tautan dalam SMS yang sudah terkirim menjawab \"tidak ditemukan\"; halaman transparansi hilang. Pengaduan yang ada tidak dihapus dan kembali bila modul diaktifkan lagi.", "en": "Citizens can no longer file complaints on the web, by SMS, chat or Open311; complaint tracking pages and the links in SMS already sent answer \"not found\"; the transparency page goes. Existing complaints are not deleted and come back when the module is enabled again."},  # shown before it is disabled
        "name": NAME, "title": _l("Complaints"), "version": VERSION, "requires": [],
        "description": _l("Citizen complaints routed to agencies, with SLA escalation, transparency and Open311"),
    }


@hookimpl
def settings_schema():
    from .settings import SCHEMA

    return SCHEMA


@hookimpl
def permissions():
    return [
        {"name": "complaints.handle", "description": _l("Work the complaint queue of one's agency"),
         "roles": ["officer", "admin"]},
        {"name": "complaints.coordinate", "description": _l("Handle and re-route complaints of every agency"),
         "roles": ["admin"]},
        {"name": "complaints.read_all", "description": _l("Read every complaint, with the filer's details"),
         "roles": ["auditor", "admin"]},
        {"name": "complaints.export", "description": _l("Export complaints as CSV"), "roles": ["admin"]},
        {"name": "complaints.read_redacted",
         "description": _l("Read what officers redacted or hid from complaints (the originals)"),
         "roles": ["auditor"]},
    ]


@hookimpl
def api_scopes():
    return [
        {"name": "complaints:read", "description": _l("Read complaints and their timelines (JSON API)")},
        {"name": "complaints:write", "description": _l("File, move and answer complaints (JSON API, Open311 POST)")},
    ]


@hookimpl
def register_blueprints(app):
    from .open311 import bp as open311_bp
    from .views import bp

    csrf_exempt(open311_bp)  # machine clients post forms authenticated by api_key, not cookies
    return [bp, (open311_bp, "/open311/v2")]


@hookimpl
def error_formats(app):
    from .open311.format import error_in_path_format

    return [{"prefix": "/open311/v2", "render": error_in_path_format}]


@hookimpl
def register_api(app):
    from .api import bp

    return [bp]


@hookimpl
def openapi_paths(app):
    from .api_docs import open311_paths  # the JSON API declares itself (api.py); Open311 is linked

    return open311_paths()


@hookimpl
def sms_keywords(app, tenant):
    from .channels import sms_lapor

    return {"LAPOR": sms_lapor}  # wherever the module is enabled, as before


@hookimpl
def check_settings(app, tenant, settings):
    from .settings import check_settings as check

    check(tenant, settings)


@hookimpl
def seed_demo(app, tenant):
    from .demo import seed

    seed(tenant)


@hookimpl
def nav_items(app, tenant, user):
    return [
        {"title": _l("Complaints"), "endpoint": "complaints.index"},
        {"title": _l("Transparency"), "endpoint": "complaints.transparency"},
        {"title": _l("Complaint queue"), "endpoint": "complaints.queue", "permission": "complaints.handle"},
    ]


@hookimpl
def admin_items(app, tenant, user):
    return [
        {"title": _l("All complaints"), "endpoint": "complaints.all_complaints", "permission": "complaints.read_all"},
        {"title": _l("Complaints (CSV)"), "endpoint": "complaints.export_csv", "permission": "complaints.export"},
    ]


@hookimpl
def dashboard_metrics(app, tenant):
    from .transparency import headline

    return headline(tenant)


@hookimpl
def register_commands(cli):
    from .commands import complaints_group

    cli.add_command(complaints_group)
