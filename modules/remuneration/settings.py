"""The module's per-tenant settings (JSON Schema with defaults) and what the schema cannot check
(``check_settings``: weights summing to 100 %, bands that neither overlap nor leave a gap, one ceiling
per position class and year, agencies that exist). The rules themselves are parsed in ``rules.py``."""
from __future__ import annotations

from core.kit import OrgUnit, ValidationError, db, lazy_gettext as _l, module_settings, tenant_scope

from .rules import DEFAULT_RULE, check_ceilings, parse_rules

NAME = "remuneration"
PERCENT = {"type": "number", "minimum": 0, "maximum": 100}
CODE = {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,32}$"}
TIME = {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"}

RULE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["effective_from"],
    "properties": {
        "effective_from": {"type": "string", "pattern": r"^\d{4}-\d{2}-01$",
                           "description": "First day of the first month the rule set applies to (YYYY-MM-01)"},
        "performance_weight": {"type": "integer", "minimum": 0, "maximum": 100},
        "discipline_weight": {"type": "integer", "minimum": 0, "maximum": 100},
        "performance_basis": {"enum": ["minutes", "points", "skp"]},
        "monthly_target": {"type": "integer", "minimum": 1, "maximum": 1_000_000,
                           "description": "Activity minutes (Bandung: 6,000) or points a month for 100 %"},
        "skp_ratings": {"type": "object", "additionalProperties": PERCENT},
        "lateness_bands": {"type": "array", "minItems": 1, "items": {
            "type": "object", "additionalProperties": False, "required": ["from_minutes", "percent"],
            "properties": {"from_minutes": {"type": "integer", "minimum": 1},
                           "to_minutes": {"type": "integer", "minimum": 1}, "percent": PERCENT}}},
        "missed_assembly_percent": PERCENT,
        "absence_percent_per_day": PERCENT,
        "discipline_cap_percent": PERCENT,
        "sanctions": {"type": "object", "additionalProperties": PERCENT},
        "sanction_cap_percent": PERCENT,
        "work_start": TIME, "work_end": TIME, "friday_work_end": TIME,
        "assembly_weekdays": {"type": "array", "uniqueItems": True, "items": {"type": "integer", "minimum": 0, "maximum": 6}},
    },
}

SCHEMA = {
    "type": "object",
    "properties": {
        "rules": {"type": "array", "items": RULE, "default": [DEFAULT_RULE], "title": _l("TPP rule sets"),
                  "description": "Rule sets by effective date (the head-of-region regulation)"},
        "ceilings": {"type": "array", "default": [], "title": _l("TPP ceilings"), "items": {
            "type": "object", "additionalProperties": False, "required": ["position_class", "year", "amount"],
            "properties": {"position_class": CODE, "year": {"type": "integer", "minimum": 2000, "maximum": 2100},
                           "amount": {"type": "integer", "minimum": 0, "maximum": 1_000_000_000}}},
            "description": "TPP ceiling in rupiah a month per position class and year"},
        "objection_days": {"type": "integer", "minimum": 0, "maximum": 60, "default": 5,
                           "title": _l("Days to object"),
                           "description": "Working days after a run in which an employee may object"},
    },
}


def settings_of(tenant) -> dict:
    return module_settings(tenant, NAME)


def check_settings(tenant, settings: dict) -> None:
    """Everything the schema cannot say; raises ``ValidationError(where="modules.remuneration.settings...")``."""
    try:
        parse_rules(settings.get("rules"))
        check_ceilings(settings.get("ceilings") or [])
    except ValidationError as exc:
        raise ValidationError(exc.message, where=f"modules.{NAME}.settings.{exc.where}") from None


def agency_codes(tenant) -> set[str]:
    with tenant_scope(tenant):
        return set(db.session.execute(db.select(OrgUnit.code).where(OrgUnit.kind == "agency")).scalars())
