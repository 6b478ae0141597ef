"""The module's per-tenant settings (JSON Schema with defaults) and reading its categories."""
from __future__ import annotations

from dataclasses import dataclass, field

from core.kit import OrgUnit, ValidationError, db, module_settings, tenant_scope, tenant_secret

CODE = "^[A-Za-z0-9_-]{1,32}$"
TARGETS = ("response", "followup", "resolution")  # the service-level targets (deadlines.py)
MAX_RADIUS_M = 5000

ATTRIBUTE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["code", "description"],
    "properties": {
        "code": {"type": "string", "pattern": CODE},
        "description": {"type": "string", "minLength": 1, "maxLength": 200},
        "datatype": {"enum": ["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"]},
        "required": {"type": "boolean"},
        "datatype_description": {"type": "string"},
        "values": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["key", "name"],
            "properties": {"key": {"type": "string", "minLength": 1}, "name": {"type": "string", "minLength": 1}},
        }},
    },
}

CATEGORY = {
    "type": "object",
    "additionalProperties": False,
    "required": ["code", "name_id", "name_en", "agency"],
    "properties": {
        "code": {"type": "string", "pattern": CODE, "description": "Stable code (also the Open311 service_code)"},
        "name_id": {"type": "string", "minLength": 1, "maxLength": 100},
        "name_en": {"type": "string", "minLength": 1, "maxLength": 100},
        "agency": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$",
                   "description": "Code of the agency (org unit) that handles it"},
        "description": {"type": "string", "maxLength": 500},
        "group": {"type": "string", "maxLength": 100},
        "keywords": {"type": "array", "items": {"type": "string"}},
        "response_days": {"type": "integer", "minimum": 1, "maximum": 60,
                          "description": "Days to verify a complaint (SP4N-LAPOR!: 3 working days)"},
        "response_hours": {"type": "integer", "minimum": 1, "maximum": 720,
                           "description": "Instead of response_days: clock hours to verify (urgent categories)"},
        "followup_days": {"type": "integer", "minimum": 1, "maximum": 90,
                          "description": "Days from verification to the agency's follow-up plan (SP4N-LAPOR!: 5 working days)"},
        "resolution_days": {"type": "integer", "minimum": 1, "maximum": 365,
                            "description": "Days from filing to resolution (SP4N-LAPOR!: 60 days)"},
        "in_working_days": {"type": "array", "uniqueItems": True, "items": {"enum": list(TARGETS)},
                            "description": "Targets counted in working days (the tenant's calendar); "
                                           "the others in calendar days. Default: response, followup"},
        "duplicate_radius_m": {"type": "integer", "minimum": 0, "maximum": MAX_RADIUS_M,
                               "description": "Open complaints of the category this close (metres) are offered "
                                              "to a citizen before filing (0: none)"},
        "attributes": {"type": "array", "items": ATTRIBUTE},
    },
}

SCHEMA = {
    "type": "object",
    "properties": {
        "categories": {"type": "array", "items": CATEGORY, "default": [],
                       "description": "What citizens can complain about, each routed to an agency"},
        "number_prefix": {"type": "string", "pattern": "^([A-Z0-9]{1,12})?$", "default": "",
                          "description": "Tracking number prefix, e.g. MKS (empty: the tenant's slug)"},
        "default_category": {"type": "string", "default": "",
                             "description": "Category for SMS and chat messages that name none (empty: the first)"},
        "reopen_days": {"type": "integer", "minimum": 0, "maximum": 90, "default": 14,
                        "description": "Days a citizen may reopen a resolved complaint"},
        "coordinator_email": {"type": "string", "default": "", "description": "The tenant's complaint coordinator"},
        "coordinator_phone": {"type": "string", "default": ""},
        "agency_contacts": {
            "type": "object", "default": {},
            "description": "Head of each agency, by agency code: {email, phone}",
            "additionalProperties": {"type": "object", "additionalProperties": False, "properties": {
                "email": {"type": "string"}, "phone": {"type": "string"}}},
        },
        "coordinator_after_hours": {"type": "integer", "minimum": 1, "maximum": 720, "default": 24,
                                    "description": "Hours after escalating to the head before the coordinator"},
        "webhook_secret": {"type": "string", "default": "", "secret": True,
                           "description": "HMAC secret of the chat webhook, or env:NAME for the environment "
                                          "variable PAMONG_SECRET_<SLUG>__<NAME>; empty: off"},
        "max_photos": {"type": "integer", "minimum": 0, "maximum": 10, "default": 3},
        "max_photo_kb": {"type": "integer", "minimum": 50, "maximum": 15360, "default": 5120},
        "response_templates": {
            "type": "object", "default": {},
            "description": "Ready answers officers start a note from, by category code: [{title, text}]",
            "x-label": {"id": "Templat tanggapan", "en": "Response templates"},
            "x-help": {"id": "Per kode kategori, daftar tanggapan siap pakai (judul dan teks) yang dapat dipilih "
                             "petugas untuk mengisi catatan kepada pelapor.",
                       "en": "By category code, ready answers (a title and a text) an officer can pick to fill in "
                             "the note to the filer."},
            "additionalProperties": {"type": "array", "maxItems": 20, "items": {
                "type": "object", "additionalProperties": False, "required": ["title", "text"],
                "properties": {"title": {"type": "string", "minLength": 1, "maxLength": 80},
                               "text": {"type": "string", "minLength": 1, "maxLength": 1000}}}},
        },
    },
}

# SP4N-LAPOR! practice: verified within 3 working days, a follow-up plan from the agency within 5
# working days of that, finished within 60 days of filing
DEFAULT_RESPONSE_DAYS = 3
DEFAULT_FOLLOWUP_DAYS = 5
DEFAULT_RESOLUTION_DAYS = 60
DEFAULT_IN_WORKING_DAYS = ("response", "followup")
DEFAULT_RADIUS_M = 200


@dataclass(frozen=True)
class Category:
    code: str
    name_id: str
    name_en: str
    agency: str
    description: str = ""
    group: str = ""
    keywords: tuple = ()
    response_days: int = DEFAULT_RESPONSE_DAYS
    response_hours: int | None = None  # set: the response target is in clock hours
    followup_days: int = DEFAULT_FOLLOWUP_DAYS
    resolution_days: int = DEFAULT_RESOLUTION_DAYS
    in_working_days: tuple = DEFAULT_IN_WORKING_DAYS
    duplicate_radius_m: int = DEFAULT_RADIUS_M
    attributes: tuple = field(default_factory=tuple)

    def name(self, locale: str) -> str:
        return self.name_en if str(locale).startswith("en") else self.name_id


def settings_of(tenant) -> dict:
    return module_settings(tenant, "complaints")


def categories(tenant, settings: dict | None = None) -> list[Category]:
    rows = (settings or settings_of(tenant)).get("categories", [])
    out = []
    for row in rows:
        values = dict(row)
        values["keywords"] = tuple(values.get("keywords", ()))
        values["attributes"] = tuple(values.get("attributes", ()))
        values["in_working_days"] = tuple(values.get("in_working_days", DEFAULT_IN_WORKING_DAYS))
        out.append(Category(**values))
    return out


def category(tenant, code: str, settings: dict | None = None) -> Category:
    for cat in categories(tenant, settings):
        if cat.code.lower() == (code or "").strip().lower():
            return cat
    raise ValidationError("unknown category", where="category", code="unknown_category")


def default_category(tenant, settings: dict | None = None) -> Category:
    settings = settings or settings_of(tenant)
    cats = categories(tenant, settings)
    if not cats:
        raise ValidationError("this tenant has no complaint categories", where="category", code="no_categories")
    if settings.get("default_category"):
        return category(tenant, settings["default_category"], settings)
    return cats[0]


def agency_for(tenant, cat: Category) -> OrgUnit:
    """The active agency a category routes to; a clear error if the tenant has no such agency."""
    with tenant_scope(tenant):
        unit = db.session.execute(
            db.select(OrgUnit).where(OrgUnit.kind == "agency", OrgUnit.code == cat.agency, OrgUnit.active.is_(True))
        ).scalar_one_or_none()
    if unit is None:
        raise ValidationError(
            f"category '{cat.code}' routes to agency '{cat.agency}', which tenant '{tenant.slug}' does not have",
            where=f"modules.complaints.settings.categories.{cat.code}.agency", code="unknown_agency",
        )
    return unit


def check_settings(tenant, settings: dict) -> None:
    """Every category's agency exists, codes are unique, the default category is known, every
    agency named in ``agency_contacts`` exists (DESIGN §5: configuration is checked where it is
    written). Raises ValidationError naming the key."""
    codes = [c["code"].lower() for c in settings.get("categories", [])]
    dup = sorted({c for c in codes if codes.count(c) > 1})
    if dup:
        raise ValidationError(f"category code '{dup[0]}' is used twice", where="modules.complaints.settings.categories")
    for cat in categories(tenant, settings):
        agency_for(tenant, cat)
    contacts = settings.get("agency_contacts") or {}
    if contacts:
        with tenant_scope(tenant):
            known = set(db.session.execute(
                db.select(OrgUnit.code).where(OrgUnit.kind == "agency", OrgUnit.active.is_(True))
            ).scalars())
        for code in sorted(contacts):
            if code not in known:
                raise ValidationError(
                    f"agency '{code}' does not exist in tenant '{tenant.slug}' (agencies: {', '.join(sorted(known)) or 'none'})",
                    where=f"modules.complaints.settings.agency_contacts.{code}",
                )
    for code in sorted(settings.get("response_templates") or {}):
        if code.lower() not in codes:
            raise ValidationError(
                f"response_templates names category '{code}', which is not one of the categories",
                where=f"modules.complaints.settings.response_templates.{code}",
            )
    if settings.get("default_category"):
        try:
            category(tenant, settings["default_category"], settings)
        except ValidationError:
            raise ValidationError(
                f"default_category '{settings['default_category']}' is not one of the categories",
                where="modules.complaints.settings.default_category",
            ) from None


def response_templates(tenant, code: str, settings: dict | None = None) -> list[dict]:
    """The ready answers ({title, text}) of category ``code``, as the tenant configured them."""
    found = (settings or settings_of(tenant)).get("response_templates") or {}
    return [dict(t) for t in found.get(code, [])]


def webhook_configured(settings: dict) -> bool:
    """The tenant has switched the chat webhook on (a secret or a secret's name is set)."""
    return bool(settings.get("webhook_secret", ""))


def webhook_secret(tenant, settings: dict) -> str:
    """The chat webhook's secret: literal, or ``env:NAME`` to keep it out of the tenant file, which
    means ``PAMONG_SECRET_<SLUG>__<NAME>`` of this tenant only (core.kit.tenant_secret); "" when
    the named variable has gone missing since the settings were saved."""
    return tenant_secret(tenant, settings.get("webhook_secret", ""))
