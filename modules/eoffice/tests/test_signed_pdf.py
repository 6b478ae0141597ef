"""The signed letter (issue 14.4): pyHanko's own validator accepts it (whole file covered, the
test CA trusted) and rejects it once a byte changes; its QR code's page shows it, revoked when
revoked; another tenant's verification address does not show it."""
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from io import BytesIO

from core.kit import db, documents, storage, tenant_scope

from .helpers import ca_pem, signed


def validate(data: bytes, ca: bytes):
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    with tempfile.NamedTemporaryFile(suffix=".pem", delete=False) as fh:
        fh.write(ca)
    try:
        root = load_cert_from_pemder(fh.name)
    finally:
        os.unlink(fh.name)
    (signature,) = PdfFileReader(BytesIO(data), strict=False).embedded_signatures
    # in a thread of its own: pyHanko runs an event loop, and a browser test earlier in the session
    # (Playwright's sync API) leaves one running in this thread
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(validate_pdf_signature, signature,
                           ValidationContext(trust_roots=[root], allow_fetching=False)).result()


def signed_pdf(tenant, letter) -> bytes:
    doc = documents.find(tenant, letter.document_code)
    return storage().get(doc.storage_key, tenant=tenant)


def test_the_signed_letter_is_valid_whole_and_tamper_evident(app, scoped):
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    tenant, people = scoped
    letter = signed(tenant, people)
    data = signed_pdf(tenant, letter)
    status = validate(data, ca_pem(app))
    assert status.intact and status.valid and status.trusted, status.pretty_print_details()
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    tampered = bytearray(data)
    tampered[tampered.index(b"stream", 200) + 20] ^= 0x01
    try:
        broken = validate(bytes(tampered), ca_pem(app))
    except Exception:  # noqa: BLE001 - pyHanko refusing to read it is a rejection too
        broken = None
    assert broken is None or not (broken.intact and broken.valid)


def test_the_pdf_carries_the_number_the_layout_and_the_signature_block(scoped):
    import pypdfium2 as pdfium

    tenant, people = scoped
    letter = signed(tenant, people, on_behalf="Wali Kota Makassar", via="Sekretaris Daerah")
    pdf = pdfium.PdfDocument(signed_pdf(tenant, letter))
    text = " ".join(pdf[n].get_textpage().get_text_range() for n in range(len(pdf)))
    for words in ("000.8.3.3/1/DLH", "Nomor", "Hal", "Yth.", "Dinas Pekerjaan Umum", "a.n. Wali Kota Makassar",
                  "u.b.", "Kepala Dinas Lingkungan Hidup", "Tembusan", "Wali Kota Makassar"):
        assert words in text, words
    # PDFium reads a hyphen the layout broke the line at as U+FFFE; the code may contain "-"
    assert "verify/" + letter.document_code in "".join(text.split()).replace("\ufffe", "-")
    assert tenant.name.startswith("Kota ") and f"\n{tenant.name[5:]}, " in text  # the place, not "Kota ...,"


def test_the_place_of_signing(app, make_tenant):
    from ..settings import place

    gowa, _ = make_tenant(name="Kabupaten Gowa")
    seat, _ = make_tenant({"place": "Sungguminasa"}, name="Kabupaten Gowa")
    province, _ = make_tenant(name="Provinsi Sulawesi Selatan")
    with app.app_context():
        assert (place(gowa), place(seat), place(province)) == ("Gowa", "Sungguminasa", "Sulawesi Selatan")


def test_the_verification_page_shows_it_revoked_and_not_to_another_tenant(app, client, make_tenant, app_ctx):
    tenant, people = make_tenant()
    other, _ = make_tenant()
    with tenant_scope(tenant):
        letter = signed(tenant, people)
        code = letter.document_code
    page = client.get(f"/t/{tenant.slug}/verify/{code}")
    assert page.status_code == 200 and "000.8.3.3/1/DLH" in page.get_data(as_text=True)
    assert client.get(f"/t/{other.slug}/verify/{code}").status_code == 404  # another tenant's address
    with tenant_scope(tenant):
        documents.revoke(tenant, documents.find(tenant, code), "Salah alamat", "test")
        db.session.commit()
    assert "Salah alamat" in client.get(f"/t/{tenant.slug}/verify/{code}").get_data(as_text=True)


def test_a_surat_tugas_is_laid_out_as_one_and_its_template_is_safe(scoped):
    """The built-in ST type (Permendagri 1/2023's surat tugas): title and number at the top, no
    "Yth." block, "Ditetapkan di" above the signature; its template passes the template check."""
    import pypdfium2 as pdfium

    from ..richtext import same_when_sanitised
    from ..settings import DEFAULT_TYPES

    (kind,) = [t for t in DEFAULT_TYPES if t["code"] == "ST"]
    assert kind["layout"] == "surat_tugas" and same_when_sanitised(kind["template"])
    tenant, people = scoped
    body = kind["template"].replace("<li></li>", "<li>Peraturan Wali Kota Makassar Nomor 5 Tahun 2026</li>") \
        .replace("<td>:</td><td></td></tr><tr>", "<td>:</td><td>Andi Kurniawan</td></tr><tr>", 1)
    letter = signed(tenant, people, letter_type="ST", body=body, subject="Penugasan pemantauan TPA Antang")
    pdf = pdfium.PdfDocument(signed_pdf(tenant, letter))
    text = " ".join(pdf[n].get_textpage().get_text_range() for n in range(len(pdf)))
    for words in ("SURAT TUGAS", f"NOMOR {letter.number}", "Dasar", "MENUGASKAN", "Kepada", "Andi Kurniawan",
                  "Untuk", "Ditetapkan di"):
        assert words in text, words
    assert "Yth." not in text and "Hal" not in text.split()
