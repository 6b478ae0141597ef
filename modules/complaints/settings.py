"""The module's per-tenant settings (JSON Schema with defaults) and reading its categories."""
from __future__ import annotations

from dataclasses import dataclass, field

from core.kit import OrgUnit, ValidationError, db, module_settings, tenant_scope, tenant_secret

CODE = "^[A-Za-z0-9_-]{1,32}$"
TARGETS = ("response", "followup", "resolution")  # the service-level targets (deadlines.py)
MAX_RADIUS_M = 5000

# The steps of a complaint the filer may be told of (notifications.py), and those they are told of
# unless the tenant chooses otherwise (issue 20.5): received, verified (with the agency that handles
# it), forwarded to another agency, resolved or closed (rejected is a closing too), and when the
# officers ask for information. Assigned and in progress stay quiet: one fix, not four messages.
NOTIFY_STEPS = ("received", "verified", "assigned", "in_progress", "resolved", "closed", "rejected", "rerouted",
                "asked", "reopened")
DEFAULT_NOTIFY_STEPS = ("received", "verified", "rerouted", "resolved", "closed", "rejected", "asked")

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
        "notify_steps": {
            "type": "array", "uniqueItems": True, "items": {"enum": list(NOTIFY_STEPS)},
            "default": list(DEFAULT_NOTIFY_STEPS),
            "x-label": {"id": "Langkah yang diberitahukan kepada pelapor",
                        "en": "Steps the filer is told of"},
            "x-help": {"id": "Pelapor (dan pengikut pengaduan) menerima pesan hanya untuk langkah yang dipilih: "
                             "diterima, diverifikasi, ditugaskan, dikerjakan, selesai ditangani, ditutup, ditolak, "
                             "dialihkan ke dinas lain, diminta keterangan, dibuka kembali.",
                       "en": "The filer (and the complaint's followers) get a message only for the chosen steps: "
                             "received, verified, assigned, in progress, resolved, closed, rejected, forwarded to "
                             "another agency, information asked, reopened."},
        },
        "sms_number": {
            "type": "string", "pattern": "^(\\+?[0-9][0-9 -]{2,19})?$", "default": "",
            "x-label": {"id": "Nomor SMS pengaduan", "en": "Complaints SMS number"},
            "x-help": {"id": "Nomor tujuan SMS LAPOR, ditampilkan di mana pun pengaduan lewat SMS ditawarkan; "
                             "kosong: pengaduan lewat SMS tidak ditawarkan.",
                       "en": "The number LAPOR messages are sent to, shown wherever filing by SMS is offered; "
                             "empty: filing by SMS is not offered."},
        },
        "max_photos": {"type": "integer", "minimum": 0, "maximum": 10, "default": 3},
        "max_photo_kb": {"type": "integer", "minimum": 50, "maximum": 15360, "default": 5120},
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
    if settings.get("default_category"):
        try:
            category(tenant, settings["default_category"], settings)
        except ValidationError:
            raise ValidationError(
                f"default_category '{settings['default_category']}' is not one of the categories",
                where="modules.complaints.settings.default_category",
            ) from None


def webhook_configured(settings: dict) -> bool:
    """The tenant has switched the chat webhook on (a secret or a secret's name is set)."""
    return bool(settings.get("webhook_secret", ""))


def webhook_secret(tenant, settings: dict) -> str:
    """The chat webhook's secret: literal, or ``env:NAME`` to keep it out of the tenant file, which
    means ``PAMONG_SECRET_<SLUG>__<NAME>`` of this tenant only (core.kit.tenant_secret); "" when
    the named variable has gone missing since the settings were saved."""
    return tenant_secret(tenant, settings.get("webhook_secret", ""))


def notifies(tenant, step: str, settings: dict | None = None) -> bool:
    """The tenant tells the filer and followers of ``step`` (one of ``NOTIFY_STEPS``)."""
    chosen = (settings or settings_of(tenant)).get("notify_steps")
    return step in (DEFAULT_NOTIFY_STEPS if chosen is None else chosen)


def sms_number(tenant, settings: dict | None = None) -> str:
    """The number citizens send LAPOR messages to; "" when the tenant offers no SMS filing."""
    return ((settings or settings_of(tenant)).get("sms_number") or "").strip()
