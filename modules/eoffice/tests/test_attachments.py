"""Attachments (lampiran): PDF files only, whatever the name says; read by whoever reads the letter."""
import pytest

from core.kit import ValidationError, db, tenant_scope

from ..attachments import MAX_BYTES, check, of
from ..demo import scan_pdf
from .helpers import drafted
from .test_pages import FORM, url

PDF = scan_pdf(["Daftar hadir"])  # a PDF that opens (attachments.opens)


@pytest.mark.parametrize("files, code", [
    ([("surat.pdf", b"MZ\x90\x00 this is an exe")], "not_pdf"),
    ([("foto.pdf", b"\xff\xd8\xff\xe0 JFIF")], "not_pdf"),
    ([("besar.pdf", b"%PDF-" + b"0" * MAX_BYTES)], "too_large"),
    ([(f"{n}.pdf", PDF) for n in range(6)], "too_many"),
])
def test_what_is_not_an_acceptable_pdf_is_refused(files, code):
    with pytest.raises(ValidationError) as error:
        check(files)
    assert (error.value.where, error.value.code) == ("attachments", code)


def test_a_draft_with_a_fake_pdf_writes_nothing(scoped):
    tenant, people = scoped
    with pytest.raises(ValidationError):
        drafted(tenant, people, attachments=[("lampiran.pdf", b"<html>not a pdf</html>")])
    db.session.rollback()
    letter_id = drafted(tenant, people, attachments=[("../../etc/lampiran.pdf", PDF)])
    from ..access import get_letter

    (row,) = of(tenant, get_letter(tenant, letter_id))
    assert row.filename.endswith("lampiran.pdf") and "/" not in row.filename and row.size == len(PDF)


def test_attachments_over_http(app, client, office, login):
    from io import BytesIO

    tenant, people = office
    login(client, people.drafter, tenant)
    bad = client.post(url(tenant, "new"), data={**FORM, "attachments": [(BytesIO(b"GIF89a..."), "undangan.pdf")]},
                      content_type="multipart/form-data")
    assert bad.status_code == 400 and "undangan.pdf" in bad.get_data(as_text=True)
    good = client.post(url(tenant, "new"), data={**FORM, "attachments": [(BytesIO(PDF), "daftar hadir.pdf")]},
                       content_type="multipart/form-data")
    assert good.status_code == 302
    page = client.get(good.headers["Location"]).get_data(as_text=True)
    link = page.split('id="attachments"><li><a href="')[1].split('"')[0]
    download = client.get(link)
    assert download.status_code == 200 and download.data == PDF
    stranger = app.test_client()
    login(stranger, people.outsider, tenant)
    assert stranger.get(link).status_code == 404
    with app.app_context(), tenant_scope(tenant):
        db.session.rollback()
