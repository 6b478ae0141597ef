"""Each letter type's layout (issue 14.4, Permendagri 1/2023 as the README's "Layouts" reads it):
the letter's HTML, rendered by the core's documents service exactly as a signing renders it
(``render_html``: no PDF, no signature, so fast), holds the parts its layout prescribes, in order.
The built-in type of each layout starts from its prescribed body (the template), which the
template check accepts."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest
from markupsafe import Markup

from core.documents.render import render_html

from ..richtext import plain, same_when_sanitised
from ..review import TEMPLATE
from ..signature import issuer
from ..settings import DEFAULT_TYPES, LAYOUTS

NUMBER = "000.8.3.3/7/DLH"
SIGNATURE = ["a.n. Wali Kota Makassar", "Kepala Dinas Lingkungan Hidup,"]
KINDS = {t["layout"]: t for t in DEFAULT_TYPES}

# layout: the parts, top to bottom ("BODY" marks where the letter's own text sits)
PARTS = {
    "surat_keterangan": ["DLH-KOP", "Surat Keterangan", "Nomor " + NUMBER, "Yang bertanda tangan di bawah ini",
                         "menerangkan bahwa", "Demikian surat keterangan", "Makassar, 1 Desember 2026", *SIGNATURE,
                         "Budi Santoso", "Ditandatangani secara elektronik"],
    "berita_acara": ["DLH-KOP", "Berita Acara Serah Terima Kendaraan", "Nomor " + NUMBER, "Pada hari ini",
                     "PIHAK PERTAMA", "PIHAK KEDUA", "Demikian berita acara", *SIGNATURE, "Budi Santoso", "Tembusan"],
    "surat_pengantar": ["DLH-KOP", "Yth.", "Dinas Pekerjaan Umum", "di tempat", "Surat Pengantar",
                        "Nomor " + NUMBER, "Naskah Dinas yang Dikirimkan", "Banyaknya", "Keterangan",
                        "Diterima tanggal", "Penerima,", "Makassar, 1 Desember 2026", "Pengirim,", *SIGNATURE,
                        "Budi Santoso", "Tembusan"],
    "pengumuman": ["DLH-KOP", "Pengumuman", "Nomor " + NUMBER, "Tentang", "Serah Terima Kendaraan",
                   "Demikian pengumuman", "Dikeluarkan di Makassar", "pada tanggal 1 Desember 2026", *SIGNATURE,
                   "Budi Santoso"],
    "memo": ["DLH-KOP", "Memo", "Yth.", "Dinas Pekerjaan Umum", "Dari", "Kepala Dinas Lingkungan Hidup",
             "Tanggal", "1 Desember 2026", "Nomor", NUMBER, "Hal", "Serah Terima Kendaraan", "BODY", *SIGNATURE,
             "Budi Santoso", "Tembusan"],
    "surat_kuasa": ["DLH-KOP", "Surat Kuasa", "Nomor " + NUMBER, "Yang bertanda tangan di bawah ini",
                    "memberi kuasa kepada", "Demikian surat kuasa", "Penerima Kuasa,", "Makassar, 1 Desember 2026",
                    "Pemberi Kuasa,", *SIGNATURE, "Budi Santoso"],
    "laporan": ["DLH-KOP", "Laporan", "Tentang", "Serah Terima Kendaraan", "Pendahuluan", "Maksud dan Tujuan",
                "Kegiatan yang Dilaksanakan", "Hasil yang Dicapai", "Kesimpulan dan Saran", "Penutup",
                "Makassar, 1 Desember 2026", *SIGNATURE, "Budi Santoso"],
    # the head as the brief of 2026-12-02 lists it (Kepada/Dari/Tembusan/Tanggal/Nomor/Sifat/Lampiran/Hal),
    # copies in the head only (README, "Layouts")
    "nota_dinas": ["DLH-KOP", "Nota Dinas", "Kepada", ": Dinas Pekerjaan Umum", "Dari", ": Kepala Dinas Lingkungan Hidup",
                   "Tembusan", ": Wali Kota Makassar", "Tanggal", ": 1 Desember 2026", "Nomor", ": " + NUMBER,
                   "Sifat", ": Biasa", "Lampiran", ": -", "Hal", ": Serah Terima Kendaraan", "BODY", *SIGNATURE,
                   "Budi Santoso"],
    # secondary sources only (README, "Layouts"): a keputusan titled by its issuer, its skeleton
    "surat_keputusan": ["DLH-KOP", "Keputusan Wali Kota Makassar", "Nomor " + NUMBER, "Tentang",
                        "Serah Terima Kendaraan", "Wali Kota Makassar,", "Menimbang", "bahwa", "Mengingat",
                        "MEMUTUSKAN:", "Menetapkan", "KESATU", "KEDUA", "Ditetapkan di Makassar",
                        "pada tanggal 1 Desember 2026", *SIGNATURE, "Budi Santoso", "Tembusan"],
    "undangan": ["DLH-KOP", "Makassar, 1 Desember 2026", "Nomor", NUMBER, "Hal", "Serah Terima Kendaraan", "Yth.",
                 "Dinas Pekerjaan Umum", "mengundang", "hari, tanggal", "waktu", "tempat", "acara", "Demikian undangan",
                 *SIGNATURE, "Budi Santoso", "Tembusan"],
    "telaahan_staf": ["DLH-KOP", "Telaahan Staf", "Kepada", "Dinas Pekerjaan Umum", "Dari",
                      "Kepala Dinas Lingkungan Hidup", "Tanggal", "Nomor", NUMBER, "Lampiran", "Hal",
                      "Serah Terima Kendaraan", "Persoalan", "Praanggapan", "Fakta yang Mempengaruhi", "Analisis",
                      "Kesimpulan", "Saran", *SIGNATURE, "Budi Santoso"],
}


def rendered(tenant, layout: str, *, cc=("Wali Kota Makassar",), **more) -> str:
    """The letter's text as it reads, top to bottom, one space between words."""
    kind = KINDS[layout]
    letter = SimpleNamespace(security="biasa", unit_name="DLH-KOP",
                             body_html=Markup(kind.get("template") or "<p>BODY</p>"))
    context = {"letter": letter, "kind": kind, "classification": {}, "to": ["Dinas Pekerjaan Umum"], "cc": list(cc),
               "signature_lines": SIGNATURE, "attachments": 0, "place": "Makassar", "issuer": issuer(SIGNATURE), **more}
    html = render_html(tenant, TEMPLATE, context, verification_url="https://x.test/verify/ABC", number=NUMBER,
                       subject="Serah Terima Kendaraan", signer_name="Budi Santoso", signer_position=SIGNATURE[-1],
                       issued_at=datetime(2026, 12, 1, 3, 0, tzinfo=timezone.utc))
    html = html.split("</style>", 1)[1]
    return " ".join(plain(html).split())


def in_order(text: str, parts: list[str]) -> None:
    at = 0
    for part in parts:
        found = text.lower().find(part.lower(), at)
        assert found >= 0, f"{part!r} missing after position {at}: ...{text[at:at + 200]}"
        at = found + len(part)


@pytest.mark.parametrize("layout", sorted(PARTS))
def test_each_layout_holds_its_parts_in_order(scoped, layout):
    tenant, _ = scoped
    assert tenant.default_locale == "id"  # the dates below are Indonesian
    in_order(rendered(tenant, layout), PARTS[layout])


def test_every_layout_has_a_built_in_type_named_in_both_languages_with_a_safe_template():
    assert set(LAYOUTS) == set(KINDS)  # each layout is some built-in type's
    codes = [t["code"] for t in DEFAULT_TYPES]
    assert len(codes) == len(set(codes))
    for kind in DEFAULT_TYPES:
        assert kind["name_id"] and kind["name_en"] and kind["name_id"] != kind["name_en"] or kind["code"] == "MEMO"
        assert same_when_sanitised(kind.get("template") or ""), kind["code"]


def test_a_keputusan_has_no_addressee_line_and_its_issuer_is_the_official_signed_for_or_the_signer():
    assert issuer(["a.n. Wali Kota Makassar", "Sekretaris Daerah,"]) == "Wali Kota Makassar"
    assert issuer(["Plh. Kepala Dinas Lingkungan Hidup,"]) == "Kepala Dinas Lingkungan Hidup"
    assert issuer(["Wali Kota Makassar,"]) == "Wali Kota Makassar"


def test_a_keputusan_names_no_yth_even_when_the_draft_names_addressees(scoped):
    tenant, _ = scoped
    text = rendered(tenant, "surat_keputusan")
    assert "Dinas Pekerjaan Umum" not in text and "Yth." not in text
    assert "Surat Keputusan" not in text  # the type's name is not the title


def test_types_without_copies_show_no_tembusan_and_the_others_do(scoped):
    tenant, _ = scoped
    assert "Tembusan" not in rendered(tenant, "pengumuman", cc=())
    assert re.search(r"Tembusan: Wali Kota Makassar", rendered(tenant, "berita_acara"))
    nota = rendered(tenant, "nota_dinas")
    assert nota.count("Tembusan") == 1 and "Tembusan : Wali Kota Makassar" in nota  # in the head, not again at the foot
    assert "Tembusan : -" in rendered(tenant, "nota_dinas", cc=())



def test_the_order_check_refuses_parts_out_of_order():
    with pytest.raises(AssertionError):
        in_order("Nomor 1 Surat Kuasa", ["Surat Kuasa", "Nomor"])


def test_a_two_column_layout_prints_as_a_pdf_with_both_parties(scoped):
    """The one layout per kind that WeasyPrint lays out differently (the signature beside the other
    party's column) reads the same from the PDF."""
    import pypdfium2 as pdfium

    from core.documents.render import html_to_pdf

    tenant, _ = scoped
    kind = KINDS["surat_kuasa"]
    letter = SimpleNamespace(security="biasa", unit_name="DLH-KOP", body_html=Markup(kind["template"]))
    html = render_html(tenant, TEMPLATE, {"letter": letter, "kind": kind, "to": [], "cc": [], "attachments": 0,
                                         "signature_lines": SIGNATURE, "place": "Makassar"},
                       verification_url="https://x.test/verify/ABC", number=NUMBER, subject="Kuasa",
                       signer_name="Budi Santoso", signer_position=SIGNATURE[-1],
                       issued_at=datetime(2026, 12, 1, 3, 0, tzinfo=timezone.utc))
    pdf = pdfium.PdfDocument(html_to_pdf(html))
    text = " ".join(" ".join(pdf[n].get_textpage().get_text_range().split()) for n in range(len(pdf)))
    for part in ("Surat Kuasa", "Nomor " + NUMBER, "memberi kuasa kepada", "Penerima Kuasa,", "Pemberi Kuasa,",
                 "Kepala Dinas Lingkungan Hidup,", "Budi Santoso"):
        assert part.lower() in text.lower(), part


def test_the_kepala_daerahs_own_letter_has_the_kop_of_the_office_others_the_governments():
    from ..signature import KEPALA_DAERAH, SEKDA, kop_official

    assert kop_official(["Wali Kota Makassar,"], KEPALA_DAERAH) == "Wali Kota Makassar"
    assert kop_official(["Pjs. Wali Kota Makassar,"], KEPALA_DAERAH) == "Wali Kota Makassar"
    assert kop_official(["a.n. Wali Kota Makassar", "Sekretaris Daerah,"], SEKDA) == ""
    assert kop_official(["a.n. Wali Kota Makassar", "Wali Kota Makassar,"], KEPALA_DAERAH) == ""  # never a.n. himself
    assert kop_official(["Kepala Dinas Lingkungan Hidup,"], None) == ""


def test_the_kop_names_the_office_instead_of_the_government_and_unit(scoped):
    tenant, _ = scoped
    text = rendered(tenant, "surat_edaran", kop_official="Wali Kota Makassar")
    head = text.split("Surat Edaran", 1)[0]
    assert "Wali Kota Makassar" in head and "Pemerintah" not in head and "DLH-KOP" not in head
    assert "Pemerintah Kota" in rendered(tenant, "surat_edaran").split("Surat Edaran", 1)[0]
