"""Clinic queue (Antrean Puskesmas): registration by SMS (``DAFTAR <poli> <date>``), on the portal and
at the desk; queue numbers per poli and local day with estimated times; the desk's calls; a public
board per clinic; a BPJS-shaped web service (Antrean Online); encounters encrypted at rest; a
read-only FHIR R4 endpoint as SATUSEHAT profiles it.

This file is the module's plugin object: hook implementations only.
"""
from core.kit import hookimpl

from . import satusehat, sms_secrets  # noqa: F401  (register their periodic jobs (SATUSEHAT send, SMS codes masked) with the queue)
from .labels import lazy_gettext as _l

NAME = "clinic"
VERSION = "0.1.0"


@hookimpl
def module_info():
    return {
        "disable_notice": {"id": "Warga tidak dapat lagi mendaftar ke puskesmas lewat web atau SMS, dan papan antrean berhenti; data pasien tidak dihapus.", "en": "Citizens can no longer register at a clinic on the web or by SMS, and the queue boards stop; patient records are not deleted."},  # shown before it is disabled
        "name": NAME, "title": _l("Clinic queue"), "version": VERSION, "requires": [],
        "description": _l("Puskesmas registration by SMS and web, queue numbers with estimates, patient history, FHIR R4"),
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
        {"name": "clinic.desk", "description": _l("Register patients and call the queue at a clinic's desk"),
         "roles": ["officer", "admin"]},
        {"name": "clinic.encounter", "description": _l("Record encounters and read patient history (practitioners of the clinic)"),
         "roles": ["officer", "admin"]},
    ]


@hookimpl
def api_scopes():
    return [
        {"name": "clinic:bpjs", "description": _l("BPJS Antrean Online web service (Mobile JKN)")},
        {"name": "fhir:read", "description": _l("Read clinic data as FHIR R4 resources")},
    ]


@hookimpl
def register_blueprints(app):
    from .fhir_api import bp as fhir_bp
    from .views import pages

    return [pages, (fhir_bp, "/fhir")]


@hookimpl
def register_api(app):
    from .bpjs_api import bp

    return [bp]


@hookimpl
def error_formats(app):
    from core.kit import bpjs_error, fhir_error

    # the BPJS-shaped service answers every error in BPJS's envelope, the FHIR endpoint in OperationOutcome
    return [{"prefix": "/fhir", "render": fhir_error}, {"prefix": "/api/v1/clinic", "render": bpjs_error}]


@hookimpl
def openapi_paths(app):
    from .bpjs_api import OPENAPI_PATHS

    return OPENAPI_PATHS


@hookimpl
def sms_keywords(app, tenant):
    from .channels import sms_batal, sms_daftar
    from .settings import settings_of

    return {"DAFTAR": sms_daftar, "BATAL": sms_batal} if settings_of(tenant)["sms_registration"] else {}


@hookimpl
def seed_demo(app, tenant):
    from .demo import seed

    seed(tenant)


@hookimpl
def nav_items(app, tenant, user):
    # one link for the module: the desk and the practitioner's list are linked from /clinic/
    return [{"title": _l("Clinic queue"), "endpoint": "clinic.index"}]


@hookimpl
def register_commands(cli):
    from .commands import clinic_group

    cli.add_command(clinic_group)


@hookimpl
def dashboard_metrics(app, tenant):
    from .figures import headline

    return headline(tenant)
