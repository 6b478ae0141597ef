"""The module's per-tenant settings: the permit types the office issues (JSON Schema with defaults),
checked where they are written (``check_settings``), and read as ``PermitType`` objects.

A permit type names its legal basis, its requirements (uploaded documents with the file types
accepted, or form fields), its ordered stages (each acted on by a position or a role, optionally of
one agency: a core approval chain), its service level in working days of the tenant's calendar, its
fee formula (``fees.py``), its validity in months, its number pattern, the position that signs and
whether it is *fiktif positif* (approved by law when the service level lapses: UU 30/2014 on
government administration art. 53 as amended by UU 6/2023; only where the type's law says so).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from core.kit import (
    ValidationError, approvals, check_number_pattern, module_settings, number_pattern_setting, raise_all,
    reference_errors,
)

from . import fees
from .notices import N_, refused

NAME = "permits"
CODE = "^[A-Z0-9][A-Z0-9_-]{0,23}$"
FIELD_CODE = "^[a-z][a-z0-9_]{0,31}$"
FILE_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}
PLACEHOLDERS = ["type"]
RESERVED = {"name", "nik", "nib", "business_name", "phone", "save", "send", "csrf_token"}  # the form's own
DEFAULT_PATTERN = "{type}/{serial:04}/DPMPTSP/{year}"

REQUIREMENT = {
    "type": "object", "additionalProperties": False, "required": ["code", "label_id", "label_en", "kind"],
    "properties": {
        "code": {"x-label": {"id": "Kode", "en": "Code"}, "x-help": {"id": "Huruf kecil, angka dan _, diawali huruf.", "en": "Lower-case letters, digits and _, starting with a letter."}, "type": "string", "pattern": FIELD_CODE},
        "label_id": {"x-label": {"id": "Label (bahasa Indonesia)", "en": "Label (Indonesian)"}, "type": "string", "minLength": 1, "maxLength": 150},
        "label_en": {"x-label": {"id": "Label (bahasa Inggris)", "en": "Label (English)"}, "type": "string", "minLength": 1, "maxLength": 150},
        "kind": {"x-label": {"id": "Jenis", "en": "Kind"}, "x-choices": {"document": {"id": "Dokumen", "en": "Document"}, "field": {"id": "Isian", "en": "Form field"}}, "enum": ["document", "field"]},
        "accepted": {"x-label": {"id": "Jenis berkas", "en": "File types"}, "x-help": {"id": "Jenis berkas yang diterima untuk dokumen (diperiksa dari isinya).", "en": "File types accepted for a document (checked by content)."}, "type": "array", "minItems": 1, "uniqueItems": True, "items": {"enum": sorted(FILE_TYPES)},
                     "description": "File types accepted for a document (checked by content)"},
        "number": {"x-label": {"id": "Isian berupa angka", "en": "Holds a number"}, "x-help": {"id": "Dipakai oleh rumus retribusi.", "en": "Used by the fee formula."}, "type": "boolean", "description": "A field that holds a number (used by the fee formula)"},
        "required": {"x-label": {"id": "Wajib", "en": "Required"}, "type": "boolean", "default": True},
    },
}
STAGE = {
    "type": "object", "additionalProperties": False, "required": ["label_id", "label_en"],
    "properties": {
        "label_id": {"x-label": {"id": "Nama tahap (bahasa Indonesia)", "en": "Stage name (Indonesian)"}, "type": "string", "minLength": 1, "maxLength": 100},
        "label_en": {"x-label": {"id": "Nama tahap (bahasa Inggris)", "en": "Stage name (English)"}, "type": "string", "minLength": 1, "maxLength": 100},
        "position": {"x-label": {"id": "Jabatan", "en": "Position"}, "x-help": {"id": "Kode jabatan yang memproses (atau isi peran).", "en": "Code of the position that acts (or give a role)."}, "type": "string", "maxLength": 40, "description": "Code of the position that acts"},
        "role": {"x-label": {"id": "Atau peran", "en": "Or role"}, "x-help": {"id": "Atau: peran yang memproses (bukan jabatan).", "en": "Or: the role that acts (instead of a position)."}, "x-choices": {"officer": {"id": "Petugas", "en": "Officer"}, "admin": {"id": "Admin", "en": "Admin"}}, "enum": ["officer", "admin"], "description": "Or: the role that acts"},
        "unit": {"x-label": {"id": "Instansi", "en": "Agency"}, "x-help": {"id": "Dengan peran: instansi yang petugasnya memproses.", "en": "With a role: the agency whose officers act."}, "type": "string", "maxLength": 32, "description": "With a role: the agency whose officers act"},
    },
}
PERMIT_TYPE = {
    "type": "object", "additionalProperties": False,
    "required": ["code", "name_id", "name_en", "legal_basis", "requirements", "stages", "sla_days", "fee"],
    "properties": {
        "code": {"x-label": {"id": "Kode", "en": "Code"}, "x-help": {"id": "Huruf kapital, angka, - dan _ (paling banyak 24).", "en": "Capitals, digits, - and _ (at most 24)."}, "type": "string", "pattern": CODE},
        "name_id": {"x-label": {"id": "Nama (bahasa Indonesia)", "en": "Name (Indonesian)"}, "type": "string", "minLength": 1, "maxLength": 150},
        "name_en": {"x-label": {"id": "Nama (bahasa Inggris)", "en": "Name (English)"}, "type": "string", "minLength": 1, "maxLength": 150},
        "legal_basis": {"x-label": {"id": "Dasar hukum", "en": "Legal basis"}, "type": "string", "minLength": 1, "maxLength": 500},
        "requirements": {"x-label": {"id": "Persyaratan", "en": "Requirements"}, "type": "array", "items": REQUIREMENT},
        "stages": {"x-label": {"id": "Tahap", "en": "Stages"}, "x-help": {"id": "Berurutan; paling banyak 12.", "en": "In order; at most 12."}, "type": "array", "minItems": 1, "maxItems": 12, "items": STAGE},
        "sla_days": {"x-label": {"id": "Waktu layanan (hari kerja)", "en": "Service level (working days)"}, "x-help": {"id": "Hari kerja menurut kalender tenant.", "en": "Working days of the tenant's calendar."}, "type": "integer", "minimum": 1, "maximum": 365, "description": "Working days"},
        "fee": {"x-label": {"id": "Rumus retribusi", "en": "Fee formula"}, "x-help": {"id": "0, fixed 250000, per_unit 15000 * luas_m2 min 100000, atau table luas_m2 50:100000 *:500000.", "en": "0, fixed 250000, per_unit 15000 * luas_m2 min 100000, or table luas_m2 50:100000 *:500000."}, "type": "string", "minLength": 1, "maxLength": 500, "description": "Fee formula (fees.py)"},
        "validity_months": {"x-label": {"id": "Masa berlaku (bulan)", "en": "Validity (months)"}, "x-help": {"id": "0: berlaku tanpa batas.", "en": "0: valid without end."}, "type": "integer", "minimum": 0, "maximum": 600, "default": 0,
                            "description": "0: valid without end"},
        "number_pattern": {"x-label": {"id": "Pola nomor izin", "en": "Permit number pattern"}, "x-help": {"id": "Kosong: pola bawaan. Penanda: {serial}, {year}, {month}, {day}, {month_roman}, {type}.", "en": "Empty: the default pattern. Placeholders: {serial}, {year}, {month}, {day}, {month_roman}, {type}."}, "type": "string", "minLength": 1, "maxLength": 100},
        "signer_position": {"x-label": {"id": "Jabatan penanda tangan", "en": "Signer's position"}, "x-help": {"id": "Dicetak pada izin.", "en": "Printed on the permit."}, "type": "string", "minLength": 1, "maxLength": 200},
        "fiktif_positif": {"x-label": {"id": "Fiktif positif", "en": "Fiktif positif"}, "x-help": {"id": "Dianggap disetujui bila waktu layanan lewat (hanya bila undang-undangnya menyatakan demikian; UU 30/2014 ps. 53).", "en": "Approved by law when the service level lapses (only where the type's law says so; UU 30/2014 art. 53)."}, "type": "boolean", "default": False},
    },
}
SCHEMA = {
    "type": "object", "additionalProperties": False,
    "properties": {
        "office_name": {"x-label": {"id": "Nama kantor", "en": "Office name"}, "type": "string", "minLength": 1, "maxLength": 150,
                        "default": "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"},
        "signer_position": {"x-label": {"id": "Jabatan penanda tangan", "en": "Signer's position"}, "x-help": {"id": "Bawaan untuk setiap jenis izin.", "en": "The default for every permit type."}, "type": "string", "minLength": 1, "maxLength": 200,
                            "default": "Kepala Dinas Penanaman Modal dan PTSP"},
        "number_pattern": {**number_pattern_setting(DEFAULT_PATTERN, PLACEHOLDERS,
                                                 "Permit number (default for every type)"), "x-label": {"id": "Pola nomor izin", "en": "Permit number pattern"}, "x-help": {"id": "Penanda: {serial} (wajib; lebar dengan {serial:04}), {year}, {month}, {day}, {month_roman}, {type}.", "en": "Placeholders: {serial} (required; width as in {serial:04}), {year}, {month}, {day}, {month_roman}, {type}."}},
        "max_upload_kb": {"x-label": {"id": "Ukuran unggahan paling besar (KB)", "en": "Largest upload (KB)"}, "type": "integer", "minimum": 16, "maximum": 20480, "default": 2048},
        "payment_secret": {"x-label": {"id": "Rahasia callback pembayaran", "en": "Payment callback secret"}, "x-help": {"id": "env:NAMA", "en": "env:NAME"}, "type": "string", "maxLength": 200, "default": "", "secret": True,  # env:NAME only (the core's rule)
                           "description": "Shared secret of the payment provider's callback (env:NAME)"},
        "finance_position": {"x-label": {"id": "Jabatan petugas keuangan", "en": "Finance officers' position"}, "x-help": {"id": "Kode jabatan (mis. bendahara penerimaan) yang diberi tahu bila retribusi tidak cocok dengan buku besar; kosong: admin.", "en": "Code of the position (e.g. the receipts treasurer) told when the retribution does not reconcile with the ledger; empty: the admins."}, "type": "string", "maxLength": 40, "default": "",
                             "description": "Position whose holders get the reconciliation alerts (empty: the admins)"},
        "head_position": {"x-label": {"id": "Jabatan kepala kantor", "en": "Office head's position"}, "x-help": {"id": "Kode jabatan (mis. kepala DPMPTSP) yang diberi tahu tentang permohonan yang melewati batas waktu layanan; kosong: admin.", "en": "Code of the position (e.g. the head of the DPMPTSP) told of applications past their service deadline; empty: the admins."}, "type": "string", "maxLength": 40, "default": "",
                          "description": "Position whose holders get the overdue escalations (empty: the admins)"},
        "types": {"x-label": {"id": "Jenis izin", "en": "Permit types"}, "type": "array", "default": [], "items": PERMIT_TYPE},
    },
}


@dataclass(frozen=True)
class PermitType:
    code: str
    name_id: str
    name_en: str
    legal_basis: str
    requirements: tuple[dict, ...]
    stages: tuple[dict, ...]
    sla_days: int
    fee: fees.Formula
    fee_text: str
    validity_months: int
    number_pattern: str
    signer_position: str
    fiktif_positif: bool

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" else self.name_id

    def documents(self) -> list[dict]:
        return [r for r in self.requirements if r["kind"] == "document"]

    def fields(self) -> list[dict]:
        return [r for r in self.requirements if r["kind"] == "field"]

    def stage_label(self, index: int, locale: str) -> str:
        """Stage ``index``'s name in the reader's language (``label_en``/``label_id``), else its number."""
        if index is None or not 0 <= index < len(self.stages):
            return str((index or 0) + 1)
        stage = self.stages[index]
        return stage["label_en"] if locale == "en" else stage["label_id"]

    def requirement_label(self, code: str, locale: str) -> str:
        """The requirement ``code``'s label in the reader's language (the code if it is gone)."""
        req = next((r for r in self.requirements if r["code"] == code), None)
        if req is None:
            return code
        return req["label_en"] if locale == "en" else req["label_id"]

    def approval_steps(self) -> list[dict]:
        """The stages as core approval steps (``{"position"}`` or ``{"role", "unit"?}``, ``label``)."""
        out = []
        for stage in self.stages:
            step = {k: stage[k] for k in ("position", "role", "unit") if stage.get(k)}
            step["label"] = stage["label_id"]
            out.append(step)
        return out


def _build(raw: dict, settings: dict, where: str) -> PermitType:
    return PermitType(
        code=raw["code"], name_id=raw["name_id"], name_en=raw["name_en"], legal_basis=raw["legal_basis"],
        requirements=tuple(raw.get("requirements") or ()), stages=tuple(raw["stages"]), sla_days=raw["sla_days"],
        fee=fees.parse(raw["fee"], where=f"{where}.fee"), fee_text=raw["fee"],
        validity_months=raw.get("validity_months", 0),
        number_pattern=raw.get("number_pattern") or settings.get("number_pattern") or DEFAULT_PATTERN,
        signer_position=raw.get("signer_position") or settings.get("signer_position", ""),
        fiktif_positif=bool(raw.get("fiktif_positif", False)))


def permit_types(tenant) -> list[PermitType]:
    """The tenant's permit types, in the order of its settings (already checked when written)."""
    settings = module_settings(tenant, NAME)
    return [_build(raw, settings, f"types[{i}]") for i, raw in enumerate(settings.get("types") or [])]


def permit_type(tenant, code: str) -> PermitType | None:
    return next((t for t in permit_types(tenant) if t.code == code), None)


def check_settings(tenant, settings: dict) -> None:
    """What the schema cannot check: unique codes, the fee formula parses and names a number field
    of the type, the number pattern, a document requirement names its file types, every stage names
    exactly one of position/role and the position or agency exists (core approvals). Every problem
    of every type at once (``core.kit.raise_all``: one alone as itself, more as ``Problems``), each
    naming its place."""
    base = f"modules.{NAME}.settings"
    found: list[ValidationError] = []

    def check(fn, *args, **kw):
        try:
            fn(*args, **kw)
        except ValidationError as exc:
            found.append(exc)

    found.extend(_position_problems(tenant, settings, base))
    seen = set()
    for i, raw in enumerate(settings.get("types") or []):
        where = f"{base}.types[{i}]"
        if raw["code"] in seen:
            found.append(refused(N_("The code '%(name)s' is used twice."), f"{where}.code", "duplicate",
                                 name=raw["code"]))
        seen.add(raw["code"])
        codes = [r["code"] for r in raw.get("requirements") or []]
        clash = sorted(set(codes) & RESERVED)
        if clash:
            found.append(refused(N_("'%(name)s' is a name the application form uses: choose another code."),
                                 f"{where}.requirements", "reserved", name=clash[0]))
        if len(set(codes)) != len(codes):
            found.append(refused(N_("The requirements' codes must differ."), f"{where}.requirements", "duplicate"))
        for j, req in enumerate(raw.get("requirements") or []):
            if req["kind"] == "document" and not req.get("accepted"):
                found.append(refused(N_("Name the file types accepted."), f"{where}.requirements[{j}].accepted"))
        try:
            formula = fees.parse(raw["fee"], where=f"{where}.fee")
        except ValidationError as exc:
            found.append(exc)
        else:
            numeric = {r["code"] for r in raw.get("requirements") or [] if r["kind"] == "field" and r.get("number")}
            if formula.field and formula.field not in numeric:
                found.append(refused(
                    N_("The fee formula uses '%(field)s', which is not a number field of the type (a requirement "
                       "with kind \"field\" and number true)."), f"{where}.fee", "fee_formula", field=formula.field))
        if raw.get("number_pattern"):
            check(check_number_pattern, raw["number_pattern"], PLACEHOLDERS, where=f"{where}.number_pattern")
        steps, named = [], True
        for j, stage in enumerate(raw["stages"]):
            if bool(stage.get("position")) == bool(stage.get("role")):
                found.append(refused(N_("A stage names either a position or a role."), f"{where}.stages[{j}]"))
                named = False
            steps.append({k: stage[k] for k in ("position", "role", "unit") if stage.get(k)})
        if named:
            try:
                approvals.check_steps(tenant, steps, where=f"{where}.stages")
            except ValidationError as exc:
                found.append(_stage_problem(exc, raw["stages"]))
    raise_all(found)


STAGE_MESSAGES = {   # the core's approval checks speak English only: the module's words, both languages
    "position": N_("No active position '%(position)s' in this tenant."),
    "unit": N_("No agency '%(position)s' in this tenant."),
    "role": N_("Unknown role '%(position)s'."),
}


def _stage_problem(exc: ValidationError, stages: list[dict]) -> ValidationError:
    """The core's ``approvals.check_steps`` refusal of a stage (``where`` ends ``stages[j].<key>``)
    with this module's message in the reader's language as its ``local``; as it is when it has one
    already or names another place."""
    found = re.search(r"stages\[(\d+)\]\.(position|unit|role)$", exc.where or "")
    if exc.local is not None or found is None:
        return exc
    value = str(stages[int(found[1])].get(found[2]) or "")
    return refused(STAGE_MESSAGES[found[2]], exc.where, exc.code, position=value)


POSITIONS = {"properties": {"finance_position": {"x-ref": "position"}, "head_position": {"x-ref": "position"},
                            "signer_position": {"x-ref": "position"},
                            "types": {"items": {"properties": {"signer_position": {"x-ref": "position"}}}}}}


def looks_like_code(text: str) -> bool:
    """Written as a position code: one word of the core's code alphabet, in capitals or with a digit or
    . _ - ("KADIS_DPM", "kadis-dpm", "SEKDA"); not a one-word title ("Camat") nor words."""
    text = text.strip()
    return bool(re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,31}", text)) and (
        text.upper() == text or bool(re.search(r"[0-9._-]", text)))


def _position_problems(tenant, settings: dict, base: str) -> list[ValidationError]:
    """The settings that name a position of the tenant's organisation, checked by the core's check of
    references to it (``reference_errors``: ``unknown_position``, naming the codes there are), as
    the core checks a schema's ``"x-ref"``: ``finance_position`` and ``head_position`` (codes), and
    the default ``signer_position`` and each type's. A signer's position is a position's code or
    name (``signer.position_named``: its holder signs) or a title of words printed as written; one
    that reads as a position code (``looks_like_code``) but is no active position's is a mistake the
    permit would print as the signer's title, refused."""
    from .signer import position_named

    def signer(value) -> str:
        value = str(value or "")
        return value if looks_like_code(value) and position_named(tenant, value) is None else ""

    named = {"finance_position": settings.get("finance_position") or "",
             "head_position": settings.get("head_position") or "",
             "signer_position": signer(settings.get("signer_position")),
             "types": [{"code": raw.get("code"), "signer_position": signer(raw.get("signer_position"))}
                       for raw in settings.get("types") or []]}
    return [error for _path, _ref, error in reference_errors(tenant, POSITIONS, named, base)]
