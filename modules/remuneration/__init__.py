"""Remuneration (TPP) (Remunerasi (TPP)): Monthly additional income (TPP) from performance and discipline, rules per tenant

This file is the module's plugin object: Pamong calls the hook implementations below
(the contract is core/hookspecs.py). The work is done in the files they import.
"""
from pathlib import Path

from core.kit import hookimpl, module_domain, number_pattern_setting

from . import services
from .api import OPENAPI_PATHS, api
from .views import pages

NAME = "remuneration"
VERSION = "0.1.0"

# Strings shown outside this module's own pages (navigation, admin) name the module's catalogue.
_l = module_domain(NAME, Path(__file__).parent / "translations").lazy_gettext


@hookimpl
def module_info():
    return {
        "name": NAME, "title": _l("Remuneration (TPP)"), "version": VERSION, "requires": [],
        "description": _l("Monthly additional income (TPP) from performance and discipline, rules per tenant"),
    }


@hookimpl
def settings_schema():
    return {
        "type": "object",
        "properties": {
            "title_max_length": {
                "type": "integer", "minimum": 10, "maximum": 200, "default": 120,
                "title": _l("Longest title (characters)"),
            },
            # a number pattern: checked by the core wherever the settings are written (tenant apply,
            # the admin form); {serial}, {year}, {month}, {day}, {month_roman} and the placeholders named
            "number_pattern": number_pattern_setting("{prefix}-{year}-{serial:04}", ["prefix"]),
            "number_prefix": {"type": "string", "pattern": "^[A-Z0-9]{1,12}$", "default": "E"},
        },
    }


@hookimpl
def permissions():
    return [{"name": f"{NAME}.create", "description": _l("Add entries"), "roles": ["officer", "admin"]}]


@hookimpl
def api_scopes():
    return [{"name": f"{NAME}:read", "description": "Read entries"},
            {"name": f"{NAME}:write", "description": "Add entries"}]


@hookimpl
def register_blueprints(app):
    return [pages]


@hookimpl
def register_api(app):
    return [api]


@hookimpl
def openapi_paths(app):
    return OPENAPI_PATHS


@hookimpl
def nav_items(tenant, user):
    return [{"title": _l("Remuneration (TPP)"), "endpoint": f"{NAME}.index"}]


@hookimpl
def seed_demo(tenant):
    services.seed_demo(tenant)
