"""The module's per-tenant settings (JSON Schema with defaults) and what the schema cannot check
(``check_settings``: weights summing to 100 %, bands that neither overlap nor leave a gap, one ceiling
per position class and year, agencies that exist, a ceiling for every class a core position maps to).
The rules themselves are parsed in ``rules.py``."""
from __future__ import annotations

from datetime import date

from core.kit import OrgUnit, ValidationError, db, module_settings, raise_all, tenant_scope

from . import _l  # the module's own catalogue: the admin's settings page is not one of its pages

from .labels import month_words
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
        "effective_from": {"x-label": {"id": "Berlaku mulai", "en": "Effective from"}, "x-help": {"id": "Tanggal 1 bulan pertama aturan berlaku, ditulis YYYY-MM-01 (mis. 2026-12-01).", "en": "The first day of the first month the rule set applies to, written YYYY-MM-01 (e.g. 2026-12-01)."}, "type": "string", "pattern": r"^\d{4}-\d{2}-01$",
                           "x-pattern-error": {"id": "Tulis tanggal 1 sebuah bulan: YYYY-MM-01 (mis. 2026-12-01).", "en": "Write the first day of a month: YYYY-MM-01 (e.g. 2026-12-01)."},
                           "description": "The first day of the first month the rule set applies to, written YYYY-MM-01 (e.g. 2026-12-01)"},
        "performance_weight": {"x-label": {"id": "Bobot kinerja (%)", "en": "Performance weight (%)"}, "x-help": {"id": "Bobot kinerja dan disiplin berjumlah 100.", "en": "Performance and discipline weights add up to 100."}, "type": "integer", "minimum": 0, "maximum": 100},
        "discipline_weight": {"x-label": {"id": "Bobot disiplin (%)", "en": "Discipline weight (%)"}, "type": "integer", "minimum": 0, "maximum": 100},
        "performance_basis": {"x-label": {"id": "Dasar penilaian kinerja", "en": "Performance basis"}, "x-choices": {"minutes": {"id": "Menit aktivitas", "en": "Activity minutes"}, "points": {"id": "Poin", "en": "Points"}, "skp": {"id": "Nilai SKP", "en": "SKP rating"}}, "enum": ["minutes", "points", "skp"]},
        "monthly_target": {"x-label": {"id": "Target bulanan", "en": "Monthly target"}, "x-help": {"id": "Menit aktivitas (Bandung: 6.000) atau poin sebulan untuk 100 %.", "en": "Activity minutes (Bandung: 6,000) or points a month for 100 %."}, "type": "integer", "minimum": 1, "maximum": 1_000_000,
                           "description": "Activity minutes (Bandung: 6,000) or points a month for 100 %"},
        "skp_ratings": {"x-label": {"id": "Persen per predikat SKP", "en": "Percent per SKP rating"}, "x-help": {"id": "Predikat SKP dan persen kinerja yang diberikannya.", "en": "Each SKP rating and the performance percent it gives."}, "x-key-label": {"id": "Predikat", "en": "Rating"}, "x-value-label": {"id": "Persen", "en": "Percent"}, "type": "object", "additionalProperties": PERCENT},
        "lateness_bands": {"x-label": {"id": "Potongan keterlambatan", "en": "Lateness deductions"}, "x-help": {"id": "Rentang menit terlambat dan potongannya, tanpa tumpang tindih.", "en": "Ranges of minutes late and their deduction, without overlaps."}, "type": "array", "minItems": 1, "items": {
            "type": "object", "additionalProperties": False, "required": ["from_minutes", "percent"],
            "properties": {"from_minutes": {"x-label": {"id": "Dari menit", "en": "From minute"}, "type": "integer", "minimum": 1},
                           "to_minutes": {"x-label": {"id": "Sampai menit", "en": "To minute"}, "x-help": {"id": "Kosong: tanpa batas.", "en": "Empty: no limit."}, "type": "integer", "minimum": 1}, "percent": {**PERCENT, "x-label": {"id": "Potongan (%)", "en": "Deduction (%)"}, "x-help": {"id": "Persen, 0 sampai 100.", "en": "Percent, 0 to 100."}}}}},
        "missed_assembly_percent": {**PERCENT, "x-label": {"id": "Potongan tidak apel (%)", "en": "Deduction for a missed assembly (%)"}, "x-help": {"id": "Persen, 0 sampai 100.", "en": "Percent, 0 to 100."}},
        "absence_percent_per_day": {**PERCENT, "x-label": {"id": "Potongan per hari tidak hadir (%)", "en": "Deduction per day absent (%)"}, "x-help": {"id": "Persen, 0 sampai 100.", "en": "Percent, 0 to 100."}},
        "discipline_cap_percent": {**PERCENT, "x-label": {"id": "Batas potongan disiplin (%)", "en": "Cap of discipline deductions (%)"}, "x-help": {"id": "Persen, 0 sampai 100.", "en": "Percent, 0 to 100."}},
        "sanctions": {"x-label": {"id": "Potongan per hukuman disiplin", "en": "Deduction per disciplinary sanction"}, "x-help": {"id": "Jenis hukuman dan persen potongannya.", "en": "Each sanction and its deduction percent."}, "x-key-label": {"id": "Hukuman", "en": "Sanction"}, "x-value-label": {"id": "Persen", "en": "Percent"}, "type": "object", "additionalProperties": PERCENT},
        "sanction_cap_percent": {**PERCENT, "x-label": {"id": "Batas potongan hukuman (%)", "en": "Cap of sanction deductions (%)"}, "x-help": {"id": "Persen, 0 sampai 100.", "en": "Percent, 0 to 100."}},
        "work_start": {**TIME, "x-label": {"id": "Jam masuk", "en": "Work starts"}, "x-help": {"id": "HH:MM", "en": "HH:MM"}}, "work_end": {**TIME, "x-label": {"id": "Jam pulang", "en": "Work ends"}, "x-help": {"id": "HH:MM", "en": "HH:MM"}}, "friday_work_end": {**TIME, "x-label": {"id": "Jam pulang Jumat", "en": "Work ends on Friday"}, "x-help": {"id": "HH:MM", "en": "HH:MM"}},
        "assembly_weekdays": {"x-label": {"id": "Hari apel", "en": "Assembly days"}, "x-help": {"id": "Satu hari per baris: 0 = Senin … 6 = Minggu.", "en": "One day a line: 0 = Monday … 6 = Sunday."}, "type": "array", "uniqueItems": True, "items": {"type": "integer", "minimum": 0, "maximum": 6}},
    },
}

SCHEMA = {
    "type": "object",
    "properties": {
        "rules": {"x-label": {"id": "Aturan TPP", "en": "TPP rule sets"}, "x-help": {"id": "Aturan menurut tanggal berlaku (peraturan kepala daerah).", "en": "Rule sets by effective date (the head-of-region regulation)."}, "type": "array", "items": RULE, "default": [DEFAULT_RULE], "title": _l("TPP rule sets"),
                  "description": "Rule sets by effective date (the head-of-region regulation)"},
        "ceilings": {"x-label": {"id": "Pagu TPP", "en": "TPP ceilings"}, "x-help": {"id": "Pagu TPP dalam rupiah sebulan per kelas jabatan dan tahun.", "en": "TPP ceiling in rupiah a month per position class and year."}, "type": "array", "default": [], "title": _l("TPP ceilings"), "items": {
            "type": "object", "additionalProperties": False, "required": ["position_class", "year", "amount"],
            "properties": {"position_class": {**CODE, "x-label": {"id": "Kelas jabatan", "en": "Position class"}}, "year": {"x-label": {"id": "Tahun", "en": "Year"}, "type": "integer", "minimum": 2000, "maximum": 2100},
                           "amount": {"x-label": {"id": "Pagu (rupiah)", "en": "Ceiling (rupiah)"}, "type": "integer", "minimum": 0, "maximum": 1_000_000_000}}},
            "description": "TPP ceiling in rupiah a month per position class and year"},
        "position_classes": {"x-label": {"id": "Kelas jabatan per jabatan", "en": "Position class per position"}, "x-help": {"id": "Kode jabatan organisasi daerah dan kelas jabatan TPP-nya; pegawai pada jabatan itu memakai kelas ini.", "en": "A position code of the tenant's organisation and its TPP position class; employees in that position take this class."}, "x-key-label": {"id": "Jabatan", "en": "Position"}, "x-value-label": {"id": "Kelas jabatan", "en": "Position class"},
                             "type": "object", "x-ref-keys": "position", "additionalProperties": CODE, "default": {},
                             "title": _l("Position class per position"),
                             "description": "A position code of the tenant's organisation (jabatan) and its TPP position class"},
        "finance_positions": {"x-label": {"id": "Jabatan keuangan (BPKAD)", "en": "Finance positions (BPKAD)"}, "x-help": {"id": "Kode jabatan organisasi daerah yang pemegangnya menutup bulan untuk pembayaran dan menandatangani ringkasan TPP (mis. Kepala Bidang Perbendaharaan BPKAD). Bila diisi, hanya mereka, bukan admin yang menghitung. Bila kosong: izin remuneration.close.", "en": "Position codes of the tenant's organisation whose holders close a month for payment and sign the TPP summaries (e.g. BPKAD's head of treasury). When set, only they may, not the administrator who computes. When empty: the remuneration.close permission."},
                              "type": "array", "items": {"type": "string", "x-ref": "position", "maxLength": 32}, "default": [],
                              "title": _l("Finance positions (BPKAD)"),
                              "description": "Position codes whose holders close months and sign the summaries (finance agency)"},
        "objection_days": {"x-label": {"id": "Hari untuk keberatan", "en": "Days to object"}, "x-help": {"id": "Hari kerja setelah perhitungan, selama pegawai boleh mengajukan keberatan.", "en": "Working days after a run in which an employee may object."}, "type": "integer", "minimum": 0, "maximum": 60, "default": 5,
                           "title": _l("Days to object"),
                           "description": "Working days after a run in which an employee may object"},
    },
}


def settings_of(tenant) -> dict:
    return module_settings(tenant, NAME)


def check_settings(tenant, settings: dict) -> None:
    """Everything the schema cannot say, every problem at once (``raise_all``: one alone as itself,
    more as ``Problems``), each ``ValidationError(where="modules.remuneration.settings...")``; the
    closed months are checked only when the rule sets parse."""
    found: list[ValidationError] = []

    def check(fn, *args):
        try:
            fn(*args)
        except ValidationError as exc:
            found.extend(getattr(exc, "problems", None) or [exc])

    try:
        rules = parse_rules(settings.get("rules"))
    except ValidationError as exc:  # each rule set's problem (Problems), or the one
        found.extend(getattr(exc, "problems", None) or [exc])
    else:
        check(check_closed_rules, tenant, settings.get("rules"), rules)
    check(check_ceilings, settings.get("ceilings") or [])
    check(check_position_classes, settings.get("position_classes") or {}, settings.get("ceilings") or [])
    raise_all([ValidationError(exc.message, where=f"modules.{NAME}.settings.{exc.where}", code=exc.code,
                               local=exc.local) for exc in found])


def check_closed_rules(tenant, rows, rules) -> None:
    """A closed month keeps the rule set it was run with: a rule set added or changed that would be
    in force for a closed month (dated on or before its first day, none later before it) is refused
    (trial of issue 16: a rule set ``effective_from`` 2026-11-01 while November was closed)."""
    from .attendance import closed_months

    closed = sorted(closed_months(tenant)) if getattr(tenant, "id", None) else []
    if not closed:
        return
    try:
        stored = parse_rules(module_settings(tenant, NAME).get("rules"))
    except ValidationError:
        stored = []
    for year, month in closed:
        now = [r for r in rules if r.effective_from <= date(year, month, 1)]
        before = [r for r in stored if r.effective_from <= date(year, month, 1)]
        if now and (not before or now[-1] != before[-1]):
            day = now[-1].effective_from.isoformat()
            index = next((i for i, row in enumerate(rows or []) if str(row.get("effective_from")) == day), 0)
            raise ValidationError(f"{year}-{month:02d} is closed: a rule set from {day} would change its rules",
                                  where=f"rules[{index}].effective_from",
                                  local=_l("%(month)s is closed: a rule set from %(day)s would change its rules.",
                                           month=month_words(year, month), day=day))


def check_position_classes(mapping: dict, ceilings: list[dict]) -> None:
    """Every class a position maps to has a ceiling (when there are ceilings); the positions
    themselves are checked by the core (``x-ref-keys``: active positions of the tenant). Every
    position refused at once (``raise_all``)."""
    classes = {row["position_class"] for row in ceilings}
    raise_all([ValidationError(f"position {code} maps to class {cls}, which has no TPP ceiling",
                               where=f"position_classes.{code}",
                               local=_l("Position %(code)s maps to class %(cls)s, which has no TPP ceiling.",
                                        code=code, cls=cls))
               for code, cls in mapping.items() if classes and cls not in classes])


def agency_codes(tenant) -> set[str]:
    with tenant_scope(tenant):
        return set(db.session.execute(db.select(OrgUnit.code).where(OrgUnit.kind == "agency")).scalars())
