"""The module's per-tenant settings (JSON Schema with defaults) and reading its categories."""
from __future__ import annotations

from dataclasses import dataclass, field

from core.kit import OrgUnit, ValidationError, db, module_settings, raise_all, tenant_scope, tenant_secret

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
        "code": {"x-label": {"id": "Kode", "en": "Code"}, "x-help": {"id": "Huruf, angka, - dan _ (paling banyak 32).", "en": "Letters, digits, - and _ (at most 32)."}, "type": "string", "pattern": CODE},
        "description": {"x-label": {"id": "Pertanyaan", "en": "Question"}, "type": "string", "minLength": 1, "maxLength": 200},
        "datatype": {"x-label": {"id": "Jenis jawaban", "en": "Answer type"}, "x-choices": {"string": {"id": "Teks singkat", "en": "Short text"}, "number": {"id": "Angka", "en": "Number"}, "datetime": {"id": "Tanggal dan waktu", "en": "Date and time"}, "text": {"id": "Teks panjang", "en": "Long text"}, "singlevaluelist": {"id": "Pilih satu", "en": "Pick one"}, "multivaluelist": {"id": "Pilih beberapa", "en": "Pick several"}}, "enum": ["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"]},
        "required": {"x-label": {"id": "Wajib dijawab", "en": "Answer required"}, "type": "boolean"},
        "datatype_description": {"x-label": {"id": "Petunjuk jawaban", "en": "Answer hint"}, "type": "string"},
        "values": {"x-label": {"id": "Pilihan jawaban", "en": "Answer choices"}, "x-help": {"id": "Untuk jenis jawaban pilih satu atau pilih beberapa.", "en": "For the answer types pick one and pick several."}, "type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["key", "name"],
            "properties": {"key": {"x-label": {"id": "Kode pilihan", "en": "Choice code"}, "type": "string", "minLength": 1}, "name": {"x-label": {"id": "Teks pilihan", "en": "Choice text"}, "type": "string", "minLength": 1}},
        }},
    },
}

CATEGORY = {
    "type": "object",
    "additionalProperties": False,
    "required": ["code", "name_id", "name_en", "agency"],
    "properties": {
        "code": {"x-label": {"id": "Kode kategori", "en": "Category code"}, "x-help": {"id": "Kode tetap (juga service_code Open311): huruf, angka, - dan _.", "en": "Stable code (also the Open311 service_code): letters, digits, - and _."}, "type": "string", "pattern": CODE, "description": "Stable code (also the Open311 service_code)"},
        "name_id": {"x-label": {"id": "Nama (bahasa Indonesia)", "en": "Name (Indonesian)"}, "type": "string", "minLength": 1, "maxLength": 100},
        "name_en": {"x-label": {"id": "Nama (bahasa Inggris)", "en": "Name (English)"}, "type": "string", "minLength": 1, "maxLength": 100},
        "agency": {"x-label": {"id": "Instansi penangan", "en": "Handling agency"}, "x-help": {"id": "Kode instansi (perangkat daerah) yang menangani, mis. DLH.", "en": "Code of the agency (org unit) that handles it, e.g. DLH."}, "x-ref": "agency", "type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$",
                   "description": "Code of the agency (org unit) that handles it"},
        "description": {"x-label": {"id": "Keterangan", "en": "Description"}, "type": "string", "maxLength": 500},
        "group": {"x-label": {"id": "Kelompok", "en": "Group"}, "x-help": {"id": "Kategori dengan kelompok yang sama ditampilkan bersama.", "en": "Categories of the same group are shown together."}, "type": "string", "maxLength": 100},
        "keywords": {"x-label": {"id": "Kata kunci", "en": "Keywords"}, "x-help": {"id": "Kata yang mengarahkan SMS atau pesan obrolan ke kategori ini.", "en": "Words that route an SMS or chat message to this category."}, "type": "array", "items": {"type": "string"}},
        "response_days": {"x-label": {"id": "Hari untuk verifikasi", "en": "Days to verify"}, "x-help": {"id": "SP4N-LAPOR!: 3 hari kerja.", "en": "SP4N-LAPOR!: 3 working days."}, "type": "integer", "minimum": 1, "maximum": 60,
                          "description": "Days to verify a complaint (SP4N-LAPOR!: 3 working days)"},
        "response_hours": {"x-label": {"id": "Jam untuk verifikasi", "en": "Hours to verify"}, "x-help": {"id": "Pengganti hari untuk verifikasi: jam (kategori mendesak).", "en": "Instead of days to verify: clock hours (urgent categories)."}, "type": "integer", "minimum": 1, "maximum": 720,
                           "description": "Instead of response_days: clock hours to verify (urgent categories)"},
        "followup_days": {"x-label": {"id": "Hari untuk rencana tindak lanjut", "en": "Days to the follow-up plan"}, "x-help": {"id": "Dari verifikasi sampai rencana tindak lanjut instansi (SP4N-LAPOR!: 5 hari kerja).", "en": "From verification to the agency's follow-up plan (SP4N-LAPOR!: 5 working days)."}, "type": "integer", "minimum": 1, "maximum": 90,
                          "description": "Days from verification to the agency's follow-up plan (SP4N-LAPOR!: 5 working days)"},
        "resolution_days": {"x-label": {"id": "Hari untuk penyelesaian", "en": "Days to resolve"}, "x-help": {"id": "Dari pengaduan masuk sampai selesai (SP4N-LAPOR!: 60 hari).", "en": "From filing to resolution (SP4N-LAPOR!: 60 days)."}, "type": "integer", "minimum": 1, "maximum": 365,
                            "description": "Days from filing to resolution (SP4N-LAPOR!: 60 days)"},
        "in_working_days": {"x-label": {"id": "Dihitung dalam hari kerja", "en": "Counted in working days"}, "x-help": {"id": "Target lain dihitung dalam hari kalender. Bawaan: verifikasi dan rencana tindak lanjut.", "en": "The other targets count calendar days. Default: verification and follow-up plan."}, "x-choices": {"response": {"id": "Verifikasi", "en": "Verification"}, "followup": {"id": "Rencana tindak lanjut", "en": "Follow-up plan"}, "resolution": {"id": "Penyelesaian", "en": "Resolution"}}, "type": "array", "uniqueItems": True, "items": {"enum": list(TARGETS)}, "default": ["response", "followup"],
                            "description": "Targets counted in working days (the tenant's calendar); "
                                           "the others in calendar days. Default: response, followup"},
        "duplicate_radius_m": {"x-label": {"id": "Radius pengaduan serupa (meter)", "en": "Radius of similar complaints (metres)"}, "x-help": {"id": "Pengaduan terbuka kategori ini sedekat ini ditawarkan kepada warga sebelum mengadu (0: tidak ada).", "en": "Open complaints of the category this close are offered to a citizen before filing (0: none)."}, "type": "integer", "minimum": 0, "maximum": MAX_RADIUS_M,
                               "description": "Open complaints of the category this close (metres) are offered "
                                              "to a citizen before filing (0: none)"},
        "attributes": {"x-label": {"id": "Pertanyaan tambahan", "en": "Extra questions"}, "x-help": {"id": "Ditanyakan kepada pelapor kategori ini (atribut Open311).", "en": "Asked of those who file in this category (Open311 attributes)."}, "type": "array", "items": ATTRIBUTE},
    },
}

SCHEMA = {
    "type": "object",
    "properties": {
        "categories": {"x-label": {"id": "Kategori pengaduan", "en": "Complaint categories"}, "x-help": {"id": "Hal yang dapat diadukan warga, masing-masing diarahkan ke satu instansi.", "en": "What citizens can complain about, each routed to an agency."}, "type": "array", "items": CATEGORY, "default": [],
                       "description": "What citizens can complain about, each routed to an agency"},
        "number_prefix": {"x-label": {"id": "Awalan nomor pengaduan", "en": "Tracking number prefix"}, "x-help": {"id": "Mis. MKS: huruf kapital dan angka, paling banyak 12 (kosong: slug tenant).", "en": "E.g. MKS: capitals and digits, at most 12 (empty: the tenant's slug)."}, "type": "string", "pattern": "^([A-Z0-9]{1,12})?$", "default": "",
                          "description": "Tracking number prefix, e.g. MKS (empty: the tenant's slug)"},
        "default_category": {"x-label": {"id": "Kategori bawaan", "en": "Default category"}, "x-help": {"id": "Kode kategori untuk SMS dan pesan obrolan yang tidak menyebut kategori (kosong: yang pertama).", "en": "Code of the category for SMS and chat messages that name none (empty: the first)."}, "type": "string", "default": "",
                             "description": "Category for SMS and chat messages that name none (empty: the first)"},
        "reopen_days": {"x-label": {"id": "Hari untuk membuka kembali", "en": "Days to reopen"}, "x-help": {"id": "Hari warga boleh membuka kembali pengaduan yang sudah selesai.", "en": "Days a citizen may reopen a resolved complaint."}, "type": "integer", "minimum": 0, "maximum": 90, "default": 14,
                        "description": "Days a citizen may reopen a resolved complaint"},
        "coordinator_email": {"x-label": {"id": "E-mail koordinator", "en": "Coordinator's e-mail"}, "x-help": {"id": "Koordinator pengaduan tenant: menerima eskalasi terakhir.", "en": "The tenant's complaint coordinator: receives the last escalation."}, "type": "string", "default": "", "description": "The tenant's complaint coordinator"},
        "coordinator_phone": {"x-label": {"id": "Telepon koordinator", "en": "Coordinator's phone"}, "type": "string", "default": ""},
        "agency_contacts": {"x-label": {"id": "Kontak kepala instansi", "en": "Heads of agencies"}, "x-help": {"id": "Kepala setiap instansi, menurut kode instansi: e-mail dan telepon untuk eskalasi.", "en": "The head of each agency, by agency code: e-mail and phone for escalations."}, "x-key-label": {"id": "Kode instansi", "en": "Agency code"}, "x-ref-keys": "agency", 
            "type": "object", "default": {},
            "description": "Head of each agency, by agency code: {email, phone}",
            "additionalProperties": {"type": "object", "additionalProperties": False, "properties": {
                "email": {"x-label": {"id": "E-mail", "en": "E-mail"}, "type": "string"}, "phone": {"x-label": {"id": "Telepon", "en": "Phone"}, "type": "string"}}},
        },
        "coordinator_after_hours": {"x-label": {"id": "Jam sebelum ke koordinator", "en": "Hours before the coordinator"}, "x-help": {"id": "Jam setelah eskalasi ke kepala instansi sebelum ke koordinator.", "en": "Hours after escalating to the head before the coordinator."}, "type": "integer", "minimum": 1, "maximum": 720, "default": 24,
                                    "description": "Hours after escalating to the head before the coordinator"},
        "webhook_secret": {"x-label": {"id": "Rahasia webhook obrolan", "en": "Chat webhook secret"}, "x-help": {"id": "env:NAMA: rahasia HMAC webhook obrolan ada di variabel lingkungan PAMONG_SECRET_<SLUG>__<NAMA> (jangan tulis rahasianya di sini); kosong: mati.", "en": "env:NAME: the chat webhook's HMAC secret is in the environment variable PAMONG_SECRET_<SLUG>__<NAME> (never write the secret itself here); empty: off."}, "type": "string", "default": "", "secret": True,
                           "description": "env:NAME: the chat webhook's HMAC secret is in the environment "
                                          "variable PAMONG_SECRET_<SLUG>__<NAME>; empty: off"},
        "max_photos": {"x-label": {"id": "Foto paling banyak", "en": "Most photos"}, "x-help": {"id": "Foto yang boleh dilampirkan pada satu pengaduan.", "en": "Photos one complaint may carry."}, "type": "integer", "minimum": 0, "maximum": 10, "default": 3},
        "max_photo_kb": {"x-label": {"id": "Ukuran foto paling besar (KB)", "en": "Largest photo (KB)"}, "x-help": {"id": "5120 KB = 5 MB.", "en": "5120 KB = 5 MB."}, "type": "integer", "minimum": 50, "maximum": 15360, "default": 5120},
        # the map and the kecamatan/kelurahan lookup (geo.py)
        "map_tile_url": {
            "type": "string", "default": "", "maxLength": 500, "pattern": "^(https?://[^\\s\"'<>]+)?$",
            "description": "Tile server for the complaint maps, a URL template with {z}, {x}, {y} (empty: the "
                           "deployment's PAMONG_MAP_TILE_URL, or no map)",
            "x-label": {"id": "Server peta (URL ubin)", "en": "Map tile server (URL)"},
            "x-help": {"id": "Templat URL ubin peta dengan {z}, {x}, {y}, misalnya https://tile.example.id/{z}/{x}/{y}.png. "
                             "Kosong: server peta penyelenggara, atau tanpa peta.",
                       "en": "Map tile URL template with {z}, {x}, {y}, e.g. https://tile.example.id/{z}/{x}/{y}.png. "
                             "Empty: the deployment's tile server, or no map."},
        },
        "map_attribution": {
            "type": "string", "default": "", "maxLength": 300,
            "description": "Attribution the tile server's licence asks for, shown on the map",
            "x-label": {"id": "Atribusi peta", "en": "Map attribution"},
            "x-help": {"id": "Teks sumber peta yang diminta lisensi server ubin, misalnya © OpenStreetMap contributors.",
                       "en": "The credit the tile server's licence asks for, e.g. © OpenStreetMap contributors."},
        },
        "boundaries": {
            "type": ["string", "object", "null"], "default": "",
            "description": "Kecamatan/kelurahan boundaries: a GeoJSON FeatureCollection, or the name of a .geojson "
                           "file in the tenants folder (geo.py)",
            "x-label": {"id": "Batas kecamatan/kelurahan (GeoJSON)", "en": "District/village boundaries (GeoJSON)"},
            "x-help": {"id": "Nama berkas .geojson di folder tenant, atau GeoJSON langsung. Setiap fitur: properties.kind "
                             "area, district atau village, dan properties.code kode unitnya. Dengan batas, lokasi di "
                             "luar wilayah ditolak dan kecamatan/kelurahan dikenali dari koordinat.",
                       "en": "Name of a .geojson file in the tenants folder, or inline GeoJSON. Each feature: "
                             "properties.kind area, district or village, and properties.code the unit's code. With "
                             "boundaries, a location outside the area is refused and the district/village is found "
                             "from the coordinates."},
        },
        "response_templates": {
            "type": "array", "default": [], "maxItems": 200,
            "description": "Ready answers officers start a note from: rows of {category, title, text}",
            "x-label": {"id": "Templat tanggapan", "en": "Response templates"},
            "x-help": {"id": "Tanggapan siap pakai per kategori (judul dan teks) yang dapat dipilih petugas untuk "
                             "mengisi catatan kepada pelapor.",
                       "en": "Ready answers per category (a title and a text) an officer can pick to fill in the "
                             "note to the filer."},
            "items": {
                "type": "object", "additionalProperties": False, "required": ["category", "title", "text"],
                "properties": {
                    "category": {"type": "string", "pattern": CODE,
                                 "x-label": {"id": "Kode kategori", "en": "Category code"}},
                    "title": {"type": "string", "minLength": 1, "maxLength": 80,
                              "x-label": {"id": "Judul", "en": "Title"}},
                    "text": {"type": "string", "minLength": 1, "maxLength": 1000,
                             "x-label": {"id": "Teks tanggapan", "en": "Text of the answer"}},
                },
            },
        },
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


def _read_only(tenant) -> dict:
    """The settings for a helper that only reads them: shared, not deep-copied per call (issue 11.2)."""
    return module_settings(tenant, "complaints", shared=True)


def categories(tenant, settings: dict | None = None) -> list[Category]:
    rows = (settings or _read_only(tenant)).get("categories", [])
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
    settings = settings or _read_only(tenant)
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
    """Category codes are unique and the default category is one of them (DESIGN §5: configuration
    is checked where it is written: ``tenant apply``, the admin form). Every category's agency and
    every agency named in ``agency_contacts`` exist: the core checks that before this hook, from
    the schema's ``"x-ref": "agency"`` / ``"x-ref-keys": "agency"`` (``core.settings.check_references``).
    Every problem at once (``raise_all``: one alone as itself, more as ``Problems``), each a
    ValidationError naming the key (``modules.complaints.settings.categories.<row>.code``) and the
    code, in English for the CLI and in the reader's language (``local``) for the form."""
    from .labels import lazy_gettext as _l

    here = "modules.complaints.settings"
    problems: list[ValidationError] = []
    rows = settings.get("categories", [])
    codes = [c["code"].lower() for c in rows]
    for index, code in enumerate(codes):
        if codes.index(code) != index:
            problems.append(ValidationError(
                f"category code '{rows[index]['code']}' is used twice", where=f"{here}.categories.{index}.code",
                code="duplicate_category", local=_l("The category code %(code)s is used twice.", code=rows[index]["code"])))
    for index, answer in enumerate(settings.get("response_templates") or []):
        code = answer.get("category", "")
        if code.lower() not in codes:
            problems.append(ValidationError(
                f"response_templates row {index + 1} names category '{code}', which is not one of the categories",
                where=f"{here}.response_templates.{index}.category", code="unknown_category",
                local=_l("The category %(code)s is not one of the categories above.", code=code),
            ))
    if settings.get("default_category") and settings["default_category"].strip().lower() not in codes:
        problems.append(ValidationError(
            f"default_category '{settings['default_category']}' is not one of the categories",
            where=f"{here}.default_category", code="unknown_category",
            local=_l("The category %(code)s is not one of the categories above.", code=settings["default_category"]),
        ))
    problems += _map_problems(tenant, settings)
    raise_all(problems)


def _map_problems(tenant, settings: dict) -> list[ValidationError]:
    """The refusals of ``map_tile_url`` and of ``boundaries`` (``geo.check_boundaries``: each feature's)."""
    from .geo import check_boundaries, valid_tile_url
    from .labels import lazy_gettext as _l

    problems = []
    url = (settings.get("map_tile_url") or "").strip()
    if url and not valid_tile_url(url):
        problems.append(ValidationError(
            "must be a tile URL template with {z}, {x} and {y}, e.g. https://tile.example.id/{z}/{x}/{y}.png",
            where="modules.complaints.settings.map_tile_url", code="invalid_tile_url",
            local=_l("Give a tile URL template with {z}, {x} and {y}, for example "
                     "https://tile.example.id/{z}/{x}/{y}.png.")))
    try:
        check_boundaries(tenant, settings)
    except ValidationError as exc:  # one problem, or each bad feature's (Problems)
        problems.extend(getattr(exc, "problems", None) or [exc])
    return problems


def response_templates(tenant, code: str, settings: dict | None = None) -> list[dict]:
    """The ready answers ({title, text}) of category ``code``, as the tenant configured them."""
    rows = (settings or _read_only(tenant)).get("response_templates") or []
    return [{"title": r["title"], "text": r["text"]} for r in rows if r.get("category", "").lower() == code.lower()]


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
    chosen = (settings or _read_only(tenant)).get("notify_steps")
    return step in (DEFAULT_NOTIFY_STEPS if chosen is None else chosen)


def sms_number(tenant, settings: dict | None = None) -> str:
    """The number citizens send LAPOR messages to; "" when the tenant offers no SMS filing."""
    return ((settings or _read_only(tenant)).get("sms_number") or "").strip()
