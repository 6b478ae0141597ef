"""E-office settings per tenant (the four pillars of naskah dinas as configuration, issue 14.1):
letter types (Permendagri 1/2023 on tata naskah dinas), archive classification codes with their
retention (Permendagri 83/2022, KKA + JRA), security classification, the letter number pattern and
the disposition deadline. Validated by the JSON Schema below and ``check_settings`` (what the
schema cannot see: a classification's parent exists, a code is not declared twice)."""
from __future__ import annotations

from core.kit import ValidationError, module_settings, number_pattern_setting, raise_all

from . import kka, richtext
from .labels import lazy_gettext as _l

NAME = "eoffice"
LAYOUTS = ("surat", "nota_dinas", "undangan", "surat_edaran", "surat_keputusan", "surat_tugas", "surat_keterangan",
           "berita_acara", "surat_pengantar", "pengumuman", "memo", "surat_kuasa", "laporan", "telaahan_staf")
SECURITY = ("biasa", "terbatas", "rahasia")  # Permendagri 1/2023: klasifikasi keamanan

# a person as the letters name one (Permendagri 1/2023: nama, NIP, pangkat/golongan, jabatan)
PERSON = ("<table><tbody><tr><td>Nama</td><td>:</td><td></td></tr><tr><td>NIP</td><td>:</td><td></td></tr>"
          "<tr><td>Pangkat/Golongan</td><td>:</td><td></td></tr><tr><td>Jabatan</td><td>:</td><td></td></tr>"
          "</tbody></table>")

DEFAULT_TYPES = [
    {"code": "SB", "name_id": "Surat Biasa", "name_en": "Letter", "layout": "surat"},
    {"code": "ND", "name_id": "Nota Dinas", "name_en": "Internal memo", "layout": "nota_dinas"},
    # an invitation's body names the day and date, the time, the place and the programme (secondary
    # sources only: README, "Layouts")
    {"code": "UND", "name_id": "Surat Undangan", "name_en": "Invitation", "layout": "undangan",
     "template": "<p>Dengan hormat, kami mengundang Bapak/Ibu untuk hadir pada:</p>"
                 "<table><tbody><tr><td>hari, tanggal</td><td>:</td><td></td></tr>"
                 "<tr><td>waktu</td><td>:</td><td></td></tr><tr><td>tempat</td><td>:</td><td></td></tr>"
                 "<tr><td>acara</td><td>:</td><td></td></tr></tbody></table>"
                 "<p>Demikian undangan ini kami sampaikan. Atas perhatian dan kehadiran Bapak/Ibu, kami ucapkan "
                 "terima kasih.</p>"},
    {"code": "SE", "name_id": "Surat Edaran", "name_en": "Circular", "layout": "surat_edaran"},
    # a keputusan (naskah dinas penetapan): the usual skeleton of a decree (secondary sources only:
    # README, "Layouts"); titled "KEPUTUSAN <the issuer>" by the layout, not by the type's name
    {"code": "SK", "name_id": "Surat Keputusan", "name_en": "Decree", "layout": "surat_keputusan",
     "template": "<table><tbody><tr><td>Menimbang</td><td>:</td><td><ol type=\"a\"><li>bahwa ...;</li>"
                 "<li>bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a, perlu menetapkan "
                 "Keputusan tentang ...;</li></ol></td></tr>"
                 "<tr><td>Mengingat</td><td>:</td><td><ol><li>...;</li></ol></td></tr></tbody></table>"
                 "<p><strong>MEMUTUSKAN:</strong></p>"
                 "<table><tbody><tr><td>Menetapkan</td><td>:</td><td>KEPUTUSAN ... TENTANG ...</td></tr>"
                 "<tr><td>KESATU</td><td>:</td><td>...</td></tr>"
                 "<tr><td>KEDUA</td><td>:</td><td>Keputusan ini mulai berlaku pada tanggal ditetapkan.</td></tr>"
                 "</tbody></table>"},
    # Permendagri 1/2023: surat perintah/surat tugas, the most frequent naskah of an agency (every
    # official trip); its grounds (Dasar), whom it assigns (Kepada) and what for (Untuk) in the text
    {"code": "ST", "name_id": "Surat Tugas", "name_en": "Assignment letter", "layout": "surat_tugas",
     "template": "<p><strong>Dasar</strong>:</p><ol><li></li></ol><p><strong>MENUGASKAN</strong></p>"
                 "<table><tbody><tr><td>Kepada</td><td>:</td><td></td></tr>"
                 "<tr><td>Untuk</td><td>:</td><td></td></tr></tbody></table>"},
    # the eight next most used (README, "Layouts"): each with its own layout and its prescribed body
    {"code": "SKET", "name_id": "Surat Keterangan", "name_en": "Certificate letter", "layout": "surat_keterangan",
     "template": "<p>Yang bertanda tangan di bawah ini:</p>" + PERSON
                 + "<p>dengan ini menerangkan bahwa:</p>" + PERSON
                 + "<p></p><p>Demikian surat keterangan ini dibuat untuk dipergunakan sebagaimana mestinya.</p>"},
    {"code": "BA", "name_id": "Berita Acara", "name_en": "Official report (berita acara)", "layout": "berita_acara",
     "template": "<p>Pada hari ini, ... tanggal ... bulan ... tahun ..., kami yang bertanda tangan di bawah ini:</p>"
                 "<ol><li>" + PERSON + "<p>selanjutnya disebut PIHAK PERTAMA;</p></li>"
                 "<li>" + PERSON + "<p>selanjutnya disebut PIHAK KEDUA.</p></li></ol>"
                 "<p></p><p>Demikian berita acara ini dibuat untuk dipergunakan sebagaimana mestinya.</p>"},
    {"code": "SPGT", "name_id": "Surat Pengantar", "name_en": "Cover letter", "layout": "surat_pengantar",
     "template": "<table><thead><tr><th>No.</th><th>Naskah Dinas yang Dikirimkan</th><th>Banyaknya</th>"
                 "<th>Keterangan</th></tr></thead><tbody><tr><td>1.</td><td></td><td></td><td></td></tr></tbody></table>"},
    {"code": "PENG", "name_id": "Pengumuman", "name_en": "Announcement", "layout": "pengumuman",
     "template": "<p></p><p>Demikian pengumuman ini disampaikan untuk diketahui.</p>"},
    {"code": "MEMO", "name_id": "Memo", "name_en": "Memo", "layout": "memo"},
    {"code": "SKU", "name_id": "Surat Kuasa", "name_en": "Power of attorney", "layout": "surat_kuasa",
     "template": "<p>Yang bertanda tangan di bawah ini:</p>" + PERSON + "<p>memberi kuasa kepada:</p>" + PERSON
                 + "<p>untuk ...</p><p>Demikian surat kuasa ini dibuat untuk dipergunakan sebagaimana mestinya.</p>"},
    {"code": "LAP", "name_id": "Laporan", "name_en": "Report", "layout": "laporan",
     "template": "<ol type=\"A\"><li><strong>Pendahuluan</strong><ol><li>Umum</li><li>Maksud dan Tujuan</li>"
                 "<li>Ruang Lingkup</li><li>Dasar</li></ol></li><li><strong>Kegiatan yang Dilaksanakan</strong></li>"
                 "<li><strong>Hasil yang Dicapai</strong></li><li><strong>Kesimpulan dan Saran</strong></li>"
                 "<li><strong>Penutup</strong></li></ol>"},
    {"code": "TS", "name_id": "Telaahan Staf", "name_en": "Staff study", "layout": "telaahan_staf",
     "template": "<ol type=\"A\"><li><strong>Persoalan</strong></li><li><strong>Praanggapan</strong></li>"
                 "<li><strong>Fakta yang Mempengaruhi</strong></li><li><strong>Analisis</strong></li>"
                 "<li><strong>Kesimpulan</strong></li><li><strong>Saran</strong></li></ol>"},
]

LETTER_TYPE = {
    "type": "object", "additionalProperties": False, "required": ["code", "name_id", "name_en", "layout"],
    "properties": {
        "code": {"x-label": {"id": "Kode", "en": "Code"}, "x-help": {"id": "Huruf kapital dan angka, diawali huruf (paling banyak 10).", "en": "Capitals and digits, starting with a letter (at most 10)."}, "type": "string", "pattern": "^[A-Z][A-Z0-9]{0,9}$"},
        "name_id": {"x-label": {"id": "Nama (bahasa Indonesia)", "en": "Name (Indonesian)"}, "type": "string", "minLength": 1, "maxLength": 80},
        "name_en": {"x-label": {"id": "Nama (bahasa Inggris)", "en": "Name (English)"}, "type": "string", "minLength": 1, "maxLength": 80},
        "template": {"x-label": {"id": "Templat isi", "en": "Body template"}, "x-help": {"id": "Isi awal naskah baru jenis ini (HTML sederhana: paragraf, tebal, miring, daftar, tabel; tanpa skrip).", "en": "The starting text of a new letter of this type (simple HTML: paragraphs, bold, italics, lists, tables; no script)."}, "type": "string", "maxLength": 20000},
        "layout": {"x-label": {"id": "Tata letak", "en": "Layout"}, "x-help": {"id": "Tata letak menurut Permendagri 1/2023.", "en": "How Permendagri 1/2023 lays the letter out."}, "x-choices": {"surat": {"id": "Surat", "en": "Letter"}, "nota_dinas": {"id": "Nota dinas", "en": "Internal memo"}, "undangan": {"id": "Undangan", "en": "Invitation"}, "surat_edaran": {"id": "Surat edaran", "en": "Circular"}, "surat_keputusan": {"id": "Surat keputusan", "en": "Decree"}, "surat_tugas": {"id": "Surat tugas", "en": "Assignment letter"}, "surat_keterangan": {"id": "Surat keterangan", "en": "Certificate letter"}, "berita_acara": {"id": "Berita acara", "en": "Official report (berita acara)"}, "surat_pengantar": {"id": "Surat pengantar", "en": "Cover letter"}, "pengumuman": {"id": "Pengumuman", "en": "Announcement"}, "memo": {"id": "Memo", "en": "Memo"}, "surat_kuasa": {"id": "Surat kuasa", "en": "Power of attorney"}, "laporan": {"id": "Laporan", "en": "Report"}, "telaahan_staf": {"id": "Telaahan staf", "en": "Staff study"}}, "enum": list(LAYOUTS), "description": "How Permendagri 1/2023 lays the letter out"},
    },
}

CLASSIFICATION = {
    "type": "object", "additionalProperties": False, "required": ["code", "name"],
    "properties": {
        "code": {"x-label": {"id": "Kode klasifikasi", "en": "Classification code"}, "x-help": {"id": "Kode klasifikasi arsip (Permendagri 83/2022), mis. 000.1.2.", "en": "Archive classification code (Permendagri 83/2022), e.g. 000.1.2."}, "type": "string", "pattern": kka.CODE.pattern},
        "name": {"x-label": {"id": "Nama", "en": "Name"}, "type": "string", "minLength": 1, "maxLength": 160},
        "active_years": {"x-label": {"id": "Retensi aktif (tahun)", "en": "Active retention (years)"}, "type": "integer", "minimum": 0, "maximum": 100},
        "inactive_years": {"x-label": {"id": "Retensi inaktif (tahun)", "en": "Inactive retention (years)"}, "type": "integer", "minimum": 0, "maximum": 100},
        "final": {"x-label": {"id": "Keterangan akhir", "en": "Final disposition"}, "x-help": {"id": "Permanen atau musnah (JRA).", "en": "Permanent or destroyed (retention schedule)."}, "x-choices": {"permanen": {"id": "Permanen", "en": "Permanent"}, "musnah": {"id": "Musnah", "en": "Destroyed"}}, "enum": list(kka.FINAL)},
    },
}

SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "letter_types": {"x-label": {"id": "Jenis naskah dinas", "en": "Letter types"}, "type": "array", "minItems": 1, "items": LETTER_TYPE, "default": DEFAULT_TYPES,
                         "title": _l("Letter types")},
        "classifications": {"x-label": {"id": "Kode klasifikasi tambahan", "en": "Extra classification codes"}, "x-help": {"id": "Ditambahkan pada (atau mengganti retensi) kode bawaan Permendagri 83/2022.", "en": "Added to (or overriding the retention of) the built-in Permendagri 83/2022 codes."}, 
            "type": "array", "items": CLASSIFICATION, "default": [], "title": _l("Extra classification codes"),
            "description": "Added to (or overriding the retention of) the built-in Permendagri 83/2022 codes",
        },
        "number_pattern": {**number_pattern_setting("{classification}/{serial}/{unit}", ["classification", "unit"],
                                                 "Letter number (Permendagri 83/2022: classification/serial/unit)"), "x-label": {"id": "Pola nomor surat", "en": "Letter number pattern"}, "x-help": {"id": "Penanda: {serial} (wajib; lebar dengan {serial:04}), {year}, {month}, {day}, {month_roman}, {classification}, {unit} (Permendagri 83/2022: klasifikasi/nomor urut/unit).", "en": "Placeholders: {serial} (required; width as in {serial:04}), {year}, {month}, {day}, {month_roman}, {classification}, {unit} (Permendagri 83/2022: classification/serial/unit)."}},
        "number_scope": {"x-label": {"id": "Nomor urut dihitung per", "en": "Serials counted per"}, "x-help": {"id": "Per unit dan kode klasifikasi (bawaan), atau per unit saja untuk semua klasifikasi, sesuai peraturan kepala daerah tentang tata naskah dinas.", "en": "Per unit and classification code (the default), or per unit across all classifications, as the region's rule on official letters says."}, "x-choices": {"classification": {"id": "Unit dan kode klasifikasi", "en": "Unit and classification code"}, "unit": {"id": "Unit saja", "en": "Unit only"}}, "enum": ["classification", "unit"], "default": "classification",
                         "title": _l("Serials counted per")},
        "default_security": {"x-label": {"id": "Klasifikasi keamanan bawaan", "en": "Default security classification"}, "x-choices": {"biasa": {"id": "Biasa", "en": "Ordinary"}, "terbatas": {"id": "Terbatas", "en": "Restricted"}, "rahasia": {"id": "Rahasia", "en": "Secret"}}, "enum": list(SECURITY), "default": "biasa", "title": _l("Default security classification")},
        "disposition_days": {"x-label": {"id": "Batas waktu disposisi (hari)", "en": "Days a disposition is due in"}, "x-help": {"id": "Bawaan untuk disposisi baru.", "en": "The default for a new disposition."}, "type": "integer", "minimum": 1, "maximum": 60, "default": 3,
                             "title": _l("Days a disposition is due in, by default")},
        "reminder_hours": {"x-label": {"id": "Pengingat paraf/tanda tangan (jam)", "en": "Review reminder after (hours)"}, "x-help": {"id": "Pemegang langkah yang ditunggu diingatkan sekali lewat surel setelah sekian jam.", "en": "The holders of the step a letter waits on are reminded once by e-mail after this many hours."}, "type": "integer", "minimum": 1, "maximum": 720, "default": 24,
                           "title": _l("Review reminder after (hours)")},
        "incoming_unit": {"x-label": {"id": "Unit penerima surat dari daerah lain", "en": "Unit receiving letters from other tenants"}, "x-help": {"id": "Kode perangkat daerah yang menerima naskah dinas dari pemerintah daerah lain (kosong: perangkat daerah pertama menurut kode).", "en": "The agency code that receives official letters from other governments (empty: the first agency by code)."}, "type": "string", "maxLength": 32, "default": "", "x-ref": "agency",
                          "title": _l("Unit receiving letters from other tenants")},
        # Permendagri 1/2023 Pasal 44: these three sign without gelar, NIP and pangkat/golongan
        "kepala_daerah_position": {"x-label": {"id": "Jabatan Kepala Daerah", "en": "Position of the regional head"}, "x-help": {"id": "Kode jabatan Gubernur/Bupati/Wali Kota: penanda tangan pada jabatan ini (dan Pj., Pjs., Plt., Plh.-nya) tanpa gelar, NIP dan pangkat (Permendagri 1/2023 Pasal 44). Kosong: tidak ada.", "en": "The position code of the Governor/Regent/Mayor: who signs from it (and its Pj., Pjs., Plt., Plh.) is named without titles, NIP and rank (Permendagri 1/2023 art. 44). Empty: none."}, "type": "string", "maxLength": 32, "default": "", "x-ref": "position",
                                   "title": _l("Position of the regional head")},
        "wakil_kepala_daerah_position": {"x-label": {"id": "Jabatan Wakil Kepala Daerah", "en": "Position of the deputy regional head"}, "x-help": {"id": "Kode jabatan Wakil Gubernur/Bupati/Wali Kota: penanda tangan tanpa gelar, NIP dan pangkat (Pasal 44). Kosong: tidak ada.", "en": "The position code of the deputy: signs without titles, NIP and rank (art. 44). Empty: none."}, "type": "string", "maxLength": 32, "default": "", "x-ref": "position",
                                         "title": _l("Position of the deputy regional head")},
        "sekretaris_daerah_position": {"x-label": {"id": "Jabatan Sekretaris Daerah", "en": "Position of the regional secretary"}, "x-help": {"id": "Kode jabatan Sekretaris Daerah: penanda tangan (dan Pj., Plh.-nya) tanpa gelar, NIP dan pangkat (Pasal 44). Kosong: tidak ada.", "en": "The position code of the Sekretaris Daerah: who signs from it (and its Pj., Plh.) is named without titles, NIP and rank (art. 44). Empty: none."}, "type": "string", "maxLength": 32, "default": "", "x-ref": "position",
                                       "title": _l("Position of the regional secretary")},
        # the emblem on the kop, per kop kind (regional guides for Permendagri 1/2023: the national
        # emblem on the Kepala Daerah's own letters, the regional one on the agencies'); empty: the
        # tenant's logo. A PNG or SVG under the static folder, checked where written (EMBLEMS)
        "kop_emblem_kepala_daerah": {"x-label": {"id": "Lambang pada kop naskah Kepala Daerah", "en": "Emblem on the regional head's letterhead"}, "x-help": {"id": "Berkas PNG atau SVG di folder static (mis. lambang/garuda.png): lambang negara pada kop naskah yang ditandatangani Kepala Daerah sendiri. Kosong: logo pemerintah daerah.", "en": "A PNG or SVG file under the static folder (e.g. lambang/garuda.png): the national emblem on the kop of the letters the regional head signs himself. Empty: the tenant's logo."}, "type": "string", "maxLength": 200, "default": "",
                                     "title": _l("Emblem on the regional head's letterhead")},
        "kop_emblem_agency": {"x-label": {"id": "Lambang pada kop naskah perangkat daerah", "en": "Emblem on the agencies' letterhead"}, "x-help": {"id": "Berkas PNG atau SVG di folder static: lambang daerah pada kop naskah lainnya. Kosong: logo pemerintah daerah.", "en": "A PNG or SVG file under the static folder: the regional emblem on every other letter's kop. Empty: the tenant's logo."}, "type": "string", "maxLength": 200, "default": "",
                              "title": _l("Emblem on the agencies' letterhead")},
        "place": {"x-label": {"id": "Tempat penandatanganan", "en": "Place of signing"}, "x-help": {"id": "Nama tempat di baris tanggal dan pada 'Ditetapkan di' (mis. Makassar; untuk kabupaten: ibu kotanya). Kosong: nama pemerintah daerah tanpa 'Kota'/'Kabupaten'/'Provinsi'.", "en": "The place on the date line and after 'Ditetapkan di' (e.g. Makassar; for a regency: its capital). Empty: the government's name without 'Kota'/'Kabupaten'/'Provinsi'."}, "type": "string", "maxLength": 80, "default": "",
                  "title": _l("Place of signing")},
        "page_size": {"x-label": {"id": "Surat per halaman", "en": "Letters per page"}, "type": "integer", "minimum": 5, "maximum": 100, "default": 20,
                      "title": _l("Letters per page")},
    },
}


def check_settings(tenant, settings: dict) -> None:
    """Codes declared twice and classification codes whose parent is unknown are refused (the
    hierarchy of Permendagri 83/2022: a code sits under its parent), with the template, the
    ``number_scope``, the positions and the emblems: every problem at once (``raise_all``: one
    alone as itself, more as ``Problems``), each naming ``modules.eoffice.settings.<key>``."""
    problems: list[ValidationError] = []
    seen = set()
    for i, kind in enumerate(settings.get("letter_types") or []):
        if kind["code"] in seen:
            problems.append(ValidationError(f"letter type '{kind['code']}' is declared twice",
                                            where=f"modules.{NAME}.settings.letter_types.{i}.code", code="duplicate",
                                            local=_l("Letter type %(code)s is declared twice.", code=kind["code"])))
        seen.add(kind["code"])
        template = kind.get("template") or ""
        if template and not richtext.same_when_sanitised(template):
            found = richtext.refused(template)
            problems.append(ValidationError(
                f"letter type '{kind['code']}': the template holds what a letter may not "
                f"(script, styles, event handlers or unknown tags): {found}",
                where=f"modules.{NAME}.settings.letter_types.{i}.template", code="unsafe_template",
                local=_l("The template of letter type %(code)s holds what a letter may not hold "
                         "(script, styles, event handlers or unknown tags): %(found)s.", code=kind["code"], found=found)))
    try:
        _check_number_scope(tenant, settings)
    except ValidationError as exc:
        problems.append(exc)
    problems += _role_problems(settings) + _emblem_problems(settings)
    known = {c for c, *_ in kka.DEFAULT}
    extra = settings.get("classifications") or []
    declared = set()
    for i, entry in enumerate(extra):
        if entry["code"] in declared:
            problems.append(ValidationError(
                f"classification '{entry['code']}' is declared twice",
                where=f"modules.{NAME}.settings.classifications.{i}.code", code="duplicate",
                local=_l("Classification code %(code)s is declared twice.", code=entry["code"])))
        declared.add(entry["code"])
    for i, entry in enumerate(extra):
        parent = kka.parent_of(entry["code"])
        if parent is not None and parent not in known | declared:
            problems.append(ValidationError(f"classification '{entry['code']}' has no parent '{parent}'",
                                            where=f"modules.{NAME}.settings.classifications.{i}.code",
                                            local=_l("Classification code %(code)s has no parent code %(parent)s.",
                                                     code=entry["code"], parent=parent)))
    raise_all(problems)


def _role_problems(settings: dict) -> list[ValidationError]:
    """One position is not named for two of the Kepala Daerah, the Wakil and the Sekda
    (``*_position``; that each exists is the core's ``x-ref`` check): refused, ``same_position``."""
    problems, seen = [], {}
    for key in ("kepala_daerah_position", "wakil_kepala_daerah_position", "sekretaris_daerah_position"):
        code = settings.get(key) or ""
        if code and code in seen:
            problems.append(ValidationError(f"position '{code}' is named both as {seen[code]} and as {key}",
                                            where=f"modules.{NAME}.settings.{key}", code="same_position",
                                            local=_l("Position %(code)s is already named for another of the Kepala "
                                                     "Daerah, the Wakil and the Sekda.", code=code)))
            continue
        seen[code] = key
    return problems


EMBLEMS = {"kepala_daerah": "kop_emblem_kepala_daerah", "agency": "kop_emblem_agency"}  # kop kind -> setting
EMBLEM_TYPES = ("image/png", "image/svg+xml")


def _emblem_problems(settings: dict) -> list[ValidationError]:
    """Each ``kop_emblem_*`` is empty or a PNG or SVG file under the deployment's static folder
    (``core.kit.documents.static_image``): refused otherwise, naming the key (``bad_emblem``)."""
    from core.kit import documents

    problems = []
    for key in EMBLEMS.values():
        value = (settings.get(key) or "").strip()
        if not value:
            continue
        try:
            documents.static_image(value, EMBLEM_TYPES)
        except ValueError as exc:
            problems.append(ValidationError(str(exc), where=f"modules.{NAME}.settings.{key}", code="bad_emblem",
                                            local=_l("%(file)s is not a PNG or SVG file of at most 2 MB under the "
                                                     "static folder.", file=value)))
    return problems


def emblem(tenant, kind: str) -> str:
    """The emblem of a kop of ``kind`` (``kepala_daerah``: the Kepala Daerah's own letters;
    ``agency``: the others) as a data URL, "" when the setting is empty (the kop then shows the
    tenant's logo)."""
    from core.kit import documents

    return documents.image_data_uri(settings_of(tenant).get(EMBLEMS[kind]) or "", EMBLEM_TYPES)


def _check_number_scope(tenant, settings: dict) -> None:
    """``number_scope`` changes only in a year that has numbered no letter yet: counted another
    way, the new serials would start again at 1 and repeat numbers already given (refused,
    ``number_scope_in_use``)."""
    new = settings.get("number_scope") or "classification"
    try:
        old = settings_of(tenant).get("number_scope") or "classification"
    except Exception:  # noqa: BLE001 - a tenant whose settings are being written for the first time
        return
    if new == old or getattr(tenant, "id", None) is None:
        return
    from core.kit import db, local_date, tenant_scope

    from .models import Letter

    with tenant_scope(tenant):
        used = db.session.execute(db.select(Letter.id).where(Letter.year == local_date(tenant).year,
                                                             Letter.serial.is_not(None)).limit(1)).first()
    if used:
        raise ValidationError("number_scope changes at the start of a year, before a letter is numbered: letters "
                              "were numbered this year already", where=f"modules.{NAME}.settings.number_scope",
                              code="number_scope_in_use",
                              local=_l("How serials are counted changes only in a year that has numbered no letter "
                                       "yet: letters were numbered this year already."))


def settings_of(tenant) -> dict:
    return module_settings(tenant, NAME)


RETENTION = ("active_years", "inactive_years", "final")


def classifications(tenant) -> dict[str, dict]:
    """The tenant's classification codes (built-in + its own; its own override a built-in's name
    and retention), by code, in code order: ``{code: {"code", "name", "active_years",
    "inactive_years", "final", "parent", "depth", "confirmed"}}``. ``confirmed``: the tenant set
    all three retention values itself (from its own JRA); the built-in ones are not confirmed
    against an official schedule (``kka``'s docstring says what was searched)."""
    merged = {e["code"]: {**e, "confirmed": False} for e in kka.default_entries()}
    for entry in settings_of(tenant).get("classifications") or []:
        base = merged.get(entry["code"], {"active_years": 2, "inactive_years": 3, "final": "musnah"})
        merged[entry["code"]] = {**base, **entry, "confirmed": all(k in entry for k in RETENTION)}
    return {code: {**merged[code], "parent": kka.parent_of(code), "depth": code.count(".")}
            for code in sorted(merged, key=lambda c: [int(p) for p in c.split(".")])}


PREFIXES = ("Kota Administrasi ", "Kota ", "Kabupaten Administrasi ", "Kabupaten ", "Provinsi ")


def place(tenant) -> str:
    """Where the tenant's letters are signed, as the date line and "Ditetapkan di" name it
    (Permendagri 1/2023: the place, not the government): the ``place`` setting, else the tenant's
    name without its "Kota"/"Kabupaten"/"Provinsi" (a regency whose seat has another name sets it)."""
    name = (settings_of(tenant).get("place") or "").strip()
    if name:
        return name
    name = tenant.name.strip()
    prefix = next((p for p in PREFIXES if name.lower().startswith(p.lower())), "")
    return name[len(prefix):].strip() or name


def letter_types(tenant) -> dict[str, dict]:
    return {t["code"]: t for t in settings_of(tenant)["letter_types"]}


def require_classification(tenant, code: str) -> dict:
    """The tenant's entry of classification ``code`` (``classifications``); ``ValidationError``
    ``unknown_classification`` at ``classification`` naming the code given (its message for the
    API and the CLI, ``local`` for a page), or asking for one when none is given."""
    given = (code or "").strip()
    entry = classifications(tenant).get(given)
    if entry is None:
        if not given:
            raise ValidationError(_l("Choose a classification code."), where="classification",
                                  code="unknown_classification")
        raise ValidationError(f"no classification code '{given}' here (the built-in codes and the tenant's own)",
                              where="classification", code="unknown_classification",
                              local=_l("There is no classification code %(code)s.", code=given))
    return entry


def require_type(tenant, code: str) -> dict:
    kind = letter_types(tenant).get((code or "").strip())
    if kind is None:
        raise ValidationError(_l("No such letter type."), where="letter_type", code="unknown_letter_type")
    return kind
