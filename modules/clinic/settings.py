"""The clinic module's per-tenant settings: the tenant's puskesmas with their polis, schedules and
practitioners (configuration as code, in ``tenants/<slug>.toml``), and how they are read.

Shapes (JSON Schema below): a clinic ``{code, name, address, satusehat_org_id, closed_days, polis,
practitioners}``; a poli ``{code, name, letter, bpjs_code, service_minutes, sessions}``; a session
``{days (ISO weekdays 1=Monday..7), start "HH:MM", end "HH:MM", quota_jkn, quota_non_jkn}``, the
quotas per session as BPJS Antrean Online counts them (JKN and non-JKN patients); a practitioner
``{code, name, email, polis, ihs_number}``. Days the clinic is closed: the tenant's working calendar
(national holidays, cuti bersama, the tenant's own ``[[holidays]]``) plus the clinic's ``closed_days``.
Puskesmas usually open Saturday mornings, so weekends are not closed unless no session names them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from flask import current_app
from sqlalchemy import inspect, select

from core.kit import (Tenant, ValidationError, calendar_of, db, may_keep, module_settings, number_pattern_setting,
                      raise_all)

from .labels import lazy_gettext as _l

CODE = "^[A-Z0-9][A-Z0-9_-]{0,19}$"
HHMM = "^([01][0-9]|2[0-3]):[0-5][0-9]$"
UUID = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"  # SATUSEHAT's Location ids
ORG_ID = "^([0-9]{1,20}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$"  # a number, or a sub-organisation's UUID
REFERENCE_ONLY = {"secret": True, "x-reference-only": True}  # env:NAME only (core/tenant_secrets.py)

SESSION = {
    "type": "object", "additionalProperties": False, "required": ["days", "start", "end"],
    "properties": {
        "days": {"x-label": {"id": "Hari praktik", "en": "Days"}, "x-help": {"id": "Satu hari per baris: 1 = Senin … 7 = Minggu.", "en": "One day a line: 1 = Monday … 7 = Sunday."}, "type": "array", "minItems": 1, "uniqueItems": True,
                 "items": {"type": "integer", "minimum": 1, "maximum": 7},
                 "description": "ISO weekdays the session runs (1 = Monday ... 7 = Sunday)"},
        "start": {"x-label": {"id": "Mulai", "en": "Starts"}, "x-help": {"id": "HH:MM", "en": "HH:MM"}, "type": "string", "pattern": HHMM}, "end": {"x-label": {"id": "Selesai", "en": "Ends"}, "x-help": {"id": "HH:MM", "en": "HH:MM"}, "type": "string", "pattern": HHMM},
        "quota_jkn": {"x-label": {"id": "Kuota JKN", "en": "JKN quota"}, "x-help": {"id": "Pasien JKN (BPJS Kesehatan) per sesi.", "en": "JKN (BPJS Kesehatan) patients a session."}, "type": "integer", "minimum": 0, "maximum": 2000, "default": 30},
        "quota_non_jkn": {"x-label": {"id": "Kuota non-JKN", "en": "Non-JKN quota"}, "x-help": {"id": "Pasien umum per sesi.", "en": "Other patients a session."}, "type": "integer", "minimum": 0, "maximum": 2000, "default": 10},
    },
}
POLI = {
    "type": "object", "additionalProperties": False, "required": ["code", "name", "letter", "sessions"],
    "properties": {
        "code": {"x-label": {"id": "Kode poli", "en": "Poli code"}, "x-help": {"id": "Yang disebut dalam SMS: DAFTAR UMUM …", "en": "What an SMS names: DAFTAR UMUM …"}, "type": "string", "pattern": CODE, "description": "What an SMS names: DAFTAR UMUM ..."},
        "name": {"x-label": {"id": "Nama", "en": "Name"}, "type": "string", "minLength": 1, "maxLength": 100},
        "letter": {"x-label": {"id": "Huruf antrean", "en": "Queue letter"}, "x-help": {"id": "Awalan nomor antrean: A-012.", "en": "Queue number prefix: A-012."}, "type": "string", "pattern": "^[A-Z]{1,2}$", "description": "Queue number prefix: A-012"},
        "bpjs_code": {"x-label": {"id": "Kode poli BPJS", "en": "BPJS poli code"}, "x-help": {"id": "kodepoli BPJS (kosong: kode poli).", "en": "BPJS kodepoli (empty: the poli code)."}, "type": "string", "pattern": "^[A-Z0-9]{1,10}$", "description": "BPJS kodepoli"},
        "service_minutes": {"x-label": {"id": "Menit per pasien", "en": "Minutes per patient"}, "x-help": {"id": "Perkiraan sebelum ada pengamatan hari itu.", "en": "Expected before any is observed that day."}, "type": "integer", "minimum": 1, "maximum": 240, "default": 10,
                            "description": "Expected minutes per patient before any is observed that day"},
        "sessions": {"x-label": {"id": "Sesi", "en": "Sessions"}, "type": "array", "minItems": 1, "items": SESSION},
        "satusehat_location_id": {"x-label": {"id": "ID lokasi SATUSEHAT", "en": "SATUSEHAT location id"}, "x-help": {"id": "ID Location SATUSEHAT ruang poli ini (UUID).", "en": "This poli's SATUSEHAT Location id (a UUID)."}, "type": "string", "pattern": UUID, "description": "SATUSEHAT Location id"},
    },
}
PRACTITIONER = {
    "type": "object", "additionalProperties": False, "required": ["code", "name"],
    "properties": {
        "code": {"x-label": {"id": "Kode", "en": "Code"}, "x-help": {"id": "Huruf kapital, angka, - dan _ (paling banyak 20).", "en": "Capitals, digits, - and _ (at most 20)."}, "type": "string", "pattern": CODE}, "name": {"x-label": {"id": "Nama", "en": "Name"}, "type": "string", "minLength": 1, "maxLength": 120},
        "email": {"x-label": {"id": "E-mail", "en": "E-mail"}, "x-help": {"id": "Akun yang menandatangani kunjungan.", "en": "The account that signs encounters."}, "type": "string", "maxLength": 200, "description": "The account that signs encounters"},
        "polis": {"x-label": {"id": "Poli", "en": "Polis"}, "x-help": {"id": "Satu kode poli per baris.", "en": "One poli code a line."}, "type": "array", "items": {"type": "string", "pattern": CODE}},
        "ihs_number": {"x-label": {"id": "Nomor IHS", "en": "IHS number"}, "x-help": {"id": "ID tenaga kesehatan SATUSEHAT.", "en": "SATUSEHAT practitioner id."}, "type": "string", "pattern": "^[0-9]{1,20}$", "description": "SATUSEHAT practitioner id"},
    },
}
CLINIC = {
    "type": "object", "additionalProperties": False, "required": ["code", "name", "polis"],
    "properties": {
        "code": {"x-label": {"id": "Kode puskesmas", "en": "Clinic code"}, "x-help": {"id": "Huruf kapital, angka, - dan _ (paling banyak 20).", "en": "Capitals, digits, - and _ (at most 20)."}, "type": "string", "pattern": CODE}, "name": {"x-label": {"id": "Nama", "en": "Name"}, "type": "string", "minLength": 1, "maxLength": 120},
        "address": {"x-label": {"id": "Alamat", "en": "Address"}, "type": "string", "maxLength": 300},
        "satusehat_org_id": {"x-label": {"id": "ID organisasi SATUSEHAT", "en": "SATUSEHAT organisation id"}, "x-help": {"id": "ID Organization SATUSEHAT puskesmas ini.", "en": "This clinic's SATUSEHAT Organization id."}, "type": "string", "pattern": ORG_ID, "description": "SATUSEHAT Organization id"},
        "closed_days": {"x-label": {"id": "Hari tutup", "en": "Closed days"}, "x-help": {"id": "Hari puskesmas ini saja tutup, satu per baris (YYYY-MM-DD).", "en": "Days this clinic alone is closed, one a line (YYYY-MM-DD)."}, "type": "array", "items": {"type": "string", "format": "date"},
                        "description": "Days this clinic alone is closed (YYYY-MM-DD)"},
        "polis": {"x-label": {"id": "Poli", "en": "Polis"}, "type": "array", "minItems": 1, "items": POLI},
        "practitioners": {"x-label": {"id": "Tenaga kesehatan", "en": "Practitioners"}, "type": "array", "items": PRACTITIONER},
        "desk_positions": {"x-label": {"id": "Jabatan petugas loket", "en": "Desk positions"}, "x-help": {"id": "Kode jabatan, satu per baris: pemegangnya (juga Plt.) melayani loket puskesmas ini.", "en": "Position codes, one a line: their holders (acting ones too) work this clinic's desk."},
                           "type": "array", "items": {"type": "string", "x-ref": "position", "maxLength": 32},
                           "description": "Positions whose holders work this clinic's desk"},
        "desk_staff": {"x-label": {"id": "Petugas loket (e-mail)", "en": "Desk staff (e-mail)"}, "x-help": {"id": "E-mail akun, satu per baris: petugas loket puskesmas ini.", "en": "Account e-mails, one a line: this clinic's desk staff."},
                       "type": "array", "items": {"type": "string", "maxLength": 200},
                       "description": "E-mails of the accounts that work this clinic's desk"},
    },
}
SCHEMA = {
    "type": "object",
    "properties": {
        "clinics": {"x-label": {"id": "Puskesmas", "en": "Clinics (puskesmas)"}, "type": "array", "items": CLINIC, "default": [], "title": _l("Clinics (puskesmas)")},
        "sms_registration": {"x-label": {"id": "Pendaftaran lewat SMS (DAFTAR)", "en": "Registration by SMS (DAFTAR)"}, "type": "boolean", "default": True, "title": _l("Registration by SMS (DAFTAR)")},
        "sms_number": {"x-label": {"id": "Nomor SMS pendaftaran", "en": "Registration SMS number"}, "x-help": {"id": "Nomor tujuan SMS DAFTAR, ditampilkan di halaman puskesmas; kosong: tidak ditampilkan.", "en": "The number DAFTAR messages are sent to, shown on the clinics' page; empty: not shown."},
                       "type": "string", "pattern": "^(\\+?[0-9][0-9 -]{2,19})?$", "default": "", "title": _l("Registration SMS number")},
        "days_ahead": {"x-label": {"id": "Hari pemesanan di muka", "en": "Days ahead a booking may be made"}, "type": "integer", "minimum": 0, "maximum": 90, "default": 7,
                       "title": _l("Days ahead a booking may be made")},
        "number_pattern": {**number_pattern_setting("{letter}-{serial:03}", ["letter"], _l("Queue number")), "x-label": {"id": "Pola nomor antrean", "en": "Queue number pattern"}, "x-help": {"id": "Penanda: {serial} (wajib; lebar dengan {serial:04}), {year}, {month}, {day}, {month_roman}, {letter} (huruf poli).", "en": "Placeholders: {serial} (required; width as in {serial:04}), {year}, {month}, {day}, {month_roman}, {letter} (the poli's letter)."}},
        "satusehat_url": {"x-label": {"id": "Alamat FHIR SATUSEHAT", "en": "SATUSEHAT FHIR base URL"}, "x-help": {"id": "Bawaan: sandbox.", "en": "Default: the sandbox."}, "type": "string", "maxLength": 300,
                          "default": "https://api-satusehat-stg.dinkes.go.id/fhir-r4/v1",
                          "title": _l("SATUSEHAT FHIR base URL (sandbox by default)")},
        "satusehat_auth_url": {"x-label": {"id": "Alamat OAuth2 SATUSEHAT", "en": "SATUSEHAT OAuth2 URL"}, "x-help": {"id": "Token diminta di <alamat>/accesstoken. Bawaan: sandbox.", "en": "The token is asked at <URL>/accesstoken. Default: the sandbox."}, "type": "string", "maxLength": 300,
                               "default": "https://api-satusehat-stg.dinkes.go.id/oauth2/v1",
                               "title": _l("SATUSEHAT OAuth2 URL (sandbox by default)")},
        "satusehat_client_id": {"x-label": {"id": "Client ID SATUSEHAT", "en": "SATUSEHAT client ID"}, "x-help": {"id": "env:NAMA", "en": "env:NAME"}, "type": "string", "maxLength": 300, "default": "", **REFERENCE_ONLY,
                                "title": _l("SATUSEHAT client ID (env:NAME)")},
        "satusehat_client_secret": {"x-label": {"id": "Client secret SATUSEHAT", "en": "SATUSEHAT client secret"}, "x-help": {"id": "env:NAMA", "en": "env:NAME"}, "type": "string", "maxLength": 300, "default": "", **REFERENCE_ONLY,
                                    "title": _l("SATUSEHAT client secret (env:NAME)")},
        "satusehat_token": {"x-label": {"id": "Token akses SATUSEHAT tetap", "en": "Fixed SATUSEHAT access token"}, "x-help": {"id": "env:NAMA; hanya bila tanpa client ID (uji coba).", "en": "env:NAME; only without a client ID (trials)."}, "type": "string", "maxLength": 2000, "default": "", **REFERENCE_ONLY,
                            "title": _l("Fixed SATUSEHAT access token (env:NAME, without a client ID)")},
        "satusehat_sink": {"x-label": {"id": "Tujuan kiriman SATUSEHAT", "en": "Where the SATUSEHAT outbox sends"}, "x-help": {"id": "console untuk demo.", "en": "console for the demo."}, "x-choices": {"console": {"id": "Konsol (demo)", "en": "Console (demo)"}, "http": {"id": "HTTP (SATUSEHAT)", "en": "HTTP (SATUSEHAT)"}}, "enum": ["console", "http"], "default": "console",
                           "title": _l("Where the SATUSEHAT outbox sends (console for the demo)")},
    },
}


@dataclass(frozen=True)
class Session:
    index: int
    days: tuple[int, ...]
    start: time
    end: time
    quota_jkn: int
    quota_non_jkn: int


@dataclass(frozen=True)
class Poli:
    code: str
    name: str
    letter: str
    bpjs_code: str
    service_minutes: int
    sessions: tuple[Session, ...]
    satusehat_location_id: str = ""

    def sessions_on(self, day: date) -> list[Session]:
        return [s for s in self.sessions if day.isoweekday() in s.days]


@dataclass(frozen=True)
class Practitioner:
    code: str
    name: str
    email: str
    polis: tuple[str, ...]
    ihs_number: str


@dataclass(frozen=True)
class Clinic:
    code: str
    name: str
    address: str
    satusehat_org_id: str
    closed_days: frozenset
    polis: tuple[Poli, ...]
    practitioners: tuple[Practitioner, ...]
    desk_positions: tuple[str, ...] = ()
    desk_staff: frozenset = frozenset()  # e-mails, lower case

    def poli(self, code: str) -> Poli | None:
        code = (code or "").strip().upper()
        return next((p for p in self.polis if code in (p.code, p.bpjs_code)), None)

    def practitioners_serving(self, poli_code: str) -> int:
        """How many of the clinic's practitioners serve the poli (name its code in their ``polis``),
        at least 1: the settings give no practitioner per session, so each serves all its sessions."""
        return max(1, sum(1 for p in self.practitioners if poli_code in p.polis))


def _hhmm(text: str) -> time:
    return datetime.strptime(text, "%H:%M").time()


def _clinic(raw: dict) -> Clinic:
    polis = tuple(Poli(
        p["code"], p["name"], p["letter"], p.get("bpjs_code", p["code"]), p.get("service_minutes", 10),
        tuple(Session(i, tuple(s["days"]), _hhmm(s["start"]), _hhmm(s["end"]), s.get("quota_jkn", 30),
                      s.get("quota_non_jkn", 10)) for i, s in enumerate(p["sessions"])),
        p.get("satusehat_location_id", ""),
    ) for p in raw["polis"])
    staff = tuple(Practitioner(r["code"], r["name"], (r.get("email") or "").strip().lower(),
                               tuple(r.get("polis", ())), r.get("ihs_number", ""))
                  for r in raw.get("practitioners", ()))
    return Clinic(raw["code"], raw["name"], raw.get("address", ""), raw.get("satusehat_org_id", ""),
                  frozenset(date.fromisoformat(d) for d in raw.get("closed_days", ())), polis, staff,
                  tuple(raw.get("desk_positions", ())),
                  frozenset((e or "").strip().lower() for e in raw.get("desk_staff", ()) if (e or "").strip()))


_CACHE = "clinic.settings"  # in app.extensions: {tenant id: (config version, (settings, clinics))}


def _snapshot(tenant) -> tuple[dict, tuple[Clinic, ...]]:
    """The tenant's settings and its clinics parsed, kept in this process per app while the tenant's
    configuration version is unchanged: one small query (the version) instead of a deep copy of
    every clinic's settings and their parsing at each read (50 clinics: ~20 ms a read)."""
    state = inspect(tenant)
    if state.session is db.session() and not state.detached:  # the request's own tenant row: current
        version = tenant.config_version
    else:  # a tenant object kept by a job or a test may predate a change: read the version afresh
        version = db.session.execute(select(Tenant.config_version).where(Tenant.id == tenant.id)).scalar()
    store = current_app.extensions.setdefault(_CACHE, {})
    found = store.get(tenant.id)
    if found is not None and found[0] == version:
        return found[1]
    settings = module_settings(tenant, "clinic")
    data = (settings, tuple(_clinic(c) for c in settings["clinics"]))
    if may_keep():  # not from a transaction that changed configuration: its version may be reused
        store[tenant.id] = (version, data)
    return data


def snapshot_of(tenant) -> tuple[dict, tuple[Clinic, ...]]:
    """``(settings, clinics)`` read once: what a booking needs of the settings (shared: read only)."""
    return _snapshot(tenant)


def settings_of(tenant) -> dict:
    """The tenant's clinic settings (defaults filled in). Shared by every caller in this process:
    read it, never change it."""
    return _snapshot(tenant)[0]


def clinics(tenant) -> list[Clinic]:
    return list(_snapshot(tenant)[1])


def find_clinic(every, code: str) -> Clinic | None:
    """The clinic with ``code`` (any case) among ``every``."""
    code = (code or "").strip().upper()
    return next((c for c in every if c.code == code), None)


def clinic_of(tenant, code: str) -> Clinic | None:
    return find_clinic(_snapshot(tenant)[1], code)


def is_open(tenant, clinic: Clinic, poli: Poli, day: date) -> bool:
    """Whether ``poli`` of ``clinic`` serves on ``day``: a session that day, not a national or the
    tenant's holiday (core calendar), not one of the clinic's own closed days."""
    if day in clinic.closed_days or not poli.sessions_on(day):
        return False
    return calendar_of(tenant).holiday_name(day) is None


def _is_email(text: str) -> bool:
    text = text.strip()
    return text.count("@") == 1 and not text.startswith("@") and not text.endswith("@")


def check_settings(tenant, settings: dict) -> None:
    """What the schema cannot check: codes unique, session hours in order, closed days real dates,
    practitioners' polis existing, bookings still to be served kept (checked once the clinics have
    no other problem: their days and sessions parse). Every problem at once (``raise_all``: one
    alone as itself, more as ``Problems``), each ``ValidationError(where="modules.clinic.settings.clinics[i]...")``."""
    problems: list[ValidationError] = []
    for key in ("satusehat_url", "satusehat_auth_url"):
        url = settings.get(key, SCHEMA["properties"][key]["default"])
        if not url.startswith(("https://", "http://")) or len(url) < 10:
            problems.append(ValidationError(f"'{url}' is not an http(s) URL", where=f"modules.clinic.settings.{key}"))
    if settings.get("satusehat_sink") == "http" and not settings.get("satusehat_token") and not (
            settings.get("satusehat_client_id") and settings.get("satusehat_client_secret")):
        problems.append(ValidationError("the http sink needs satusehat_client_id and satusehat_client_secret (env:NAME)",
                                        where="modules.clinic.settings.satusehat_client_id"))
    clinics = _clinic_problems(settings)
    problems += clinics
    if not clinics:  # the days and sessions parse
        problems += _live_booking_problems(tenant, settings)
    raise_all(problems)


def _clinic_problems(settings: dict) -> list[ValidationError]:
    """The refusals of the ``clinics`` list: codes, closed days, e-mails, polis, sessions, practitioners."""
    problems = []
    seen = set()
    for i, raw in enumerate(settings.get("clinics", [])):
        where = f"modules.clinic.settings.clinics[{i}]"
        if raw["code"] in seen:
            problems.append(ValidationError(f"clinic code '{raw['code']}' is used twice", where=where + ".code"))
        seen.add(raw["code"])
        for d in raw.get("closed_days", []):
            try:
                date.fromisoformat(d)
            except ValueError:
                problems.append(ValidationError(f"'{d}' is not a date (YYYY-MM-DD)", where=where + ".closed_days"))
        for j, email in enumerate(raw.get("desk_staff", [])):
            if not _is_email(email):
                problems.append(ValidationError(f"'{email}' is not an e-mail address", where=f"{where}.desk_staff[{j}]"))
        codes, letters = set(), set()
        for j, poli in enumerate(raw["polis"]):
            pw = f"{where}.polis[{j}]"
            if poli["code"] in codes or poli["letter"] in letters:
                problems.append(ValidationError("poli code and letter must be unique in a clinic", where=pw))
            codes.add(poli["code"])
            letters.add(poli["letter"])
            for k, s in enumerate(poli["sessions"]):
                if _hhmm(s["start"]) >= _hhmm(s["end"]):
                    problems.append(ValidationError("a session must start before it ends", where=f"{pw}.sessions[{k}]"))
        for j, person in enumerate(raw.get("practitioners", [])):
            email = person.get("email", "")
            if email and not _is_email(email):
                problems.append(ValidationError(f"'{email}' is not an e-mail address",
                                                where=f"{where}.practitioners[{j}].email"))
            unknown = set(person.get("polis", [])) - codes
            if unknown:
                problems.append(ValidationError(f"unknown poli {sorted(unknown)[0]}",
                                                where=f"{where}.practitioners[{j}].polis"))
    return problems


def _live_booking_problems(tenant, settings: dict) -> list[ValidationError]:
    """Bookings still to be served (from the tenant's today on: booked, waiting, called, being served,
    skipped) keep their place: the settings may not remove their clinic or poli, nor close their day
    (a ``closed_days`` entry, or no session of the poli on that weekday), or their patients would hold
    numbers nobody calls. Cancel those bookings first. One grouped query; each clinic, poli or day
    refused once; nothing to check for a tenant not yet stored."""
    if getattr(tenant, "id", None) is None:
        return []
    from sqlalchemy import func

    from core.kit import local_date, tenant_scope, utcnow

    from .models import BOOKED, CALLED, SERVING, SKIPPED, WAITING, Visit

    kept = {raw["code"]: (i, _clinic(raw)) for i, raw in enumerate(settings.get("clinics", []))}
    with tenant_scope(tenant):
        rows = db.session.execute(select(Visit.clinic, Visit.poli, Visit.day, func.count()).where(
            Visit.day >= local_date(tenant, utcnow()), Visit.status.in_((BOOKED, WAITING, CALLED, SERVING, SKIPPED)),
        ).group_by(Visit.clinic, Visit.poli, Visit.day).order_by(Visit.clinic, Visit.poli, Visit.day)).all()
    where = "modules.clinic.settings.clinics"
    problems, said = [], set()

    def refuse(message: str, at: str) -> None:
        if (message, at) not in said:
            said.add((message, at))
            problems.append(ValidationError(message, where=at))

    for clinic, poli, day, count in rows:
        if clinic not in kept:
            count = sum(n for c, _p, _d, n in rows if c == clinic)
            refuse(f"clinic '{clinic}' has {count} booking(s) still to be served from today on; "
                   "cancel them before removing the clinic", where)
            continue
        i, parsed = kept[clinic]
        polis = {p.code: (j, p) for j, p in enumerate(parsed.polis)}
        if poli not in polis:
            count = sum(n for c, p, _d, n in rows if (c, p) == (clinic, poli))
            refuse(f"poli '{poli}' of clinic '{clinic}' has {count} booking(s) still to be served from "
                   "today on; cancel them before removing the poli", where)
            continue
        if day in parsed.closed_days:
            total = sum(n for c, _p, d, n in rows if (c, d) == (clinic, day))
            refuse(f"clinic '{clinic}' has {total} booking(s) still to be served on {day}; cancel them "
                   "before closing that day", f"{where}[{i}].closed_days")
            continue
        j, served = polis[poli]
        if not served.sessions_on(day):
            refuse(f"poli '{poli}' of clinic '{clinic}' has {count} booking(s) still to be served on "
                   f"{day} ({day:%A}), when these sessions give it none; cancel them first",
                   f"{where}[{i}].polis[{j}].sessions")
    return problems


