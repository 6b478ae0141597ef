"""Trial t14g: the letter's verification address broke across two lines; a revoked letter showed no
mark in the lists; signing twice or out of turn said only "not awaiting action"; a province's
figures of its cities said their heading twice and its auditor was offered the ordinary letters."""
from __future__ import annotations

import re

from core.kit import documents, tenant_scope

from .helpers import signed
from .test_pages import url
from .test_revoked import revoke
from .test_signed_pdf import signed_pdf


def pdf_lines(data: bytes) -> list[str]:
    """The PDF's text as PDFium lays it out, line by line (a hyphen it broke at reads U+FFFE)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    text = "\n".join(pdf[n].get_textpage().get_text_range() for n in range(len(pdf)))
    return [line.strip() for line in re.split(r"[\r\n]+", text)]


def test_the_verification_address_is_on_one_line_in_indonesian(app, make_tenant):
    # an English-first government still writes its naskah dinas in Indonesian
    tenant, people = make_tenant(slug="makassar-verifikasi-alamat-panjang", locales=["en", "id"], domains=[])
    with app.app_context(), tenant_scope(tenant):
        letter = signed(tenant, people)
        url = documents.verification_url(tenant, letter.document_code)
        lines = pdf_lines(signed_pdf(tenant, letter))
    assert "/t/makassar-verifikasi-alamat-panjang/verify/" in url
    holding = [line for line in lines if "verify/" in line]
    assert len(holding) == 1 and url in holding[0], holding
    assert any(line.startswith("Ditandatangani secara elektronik") for line in lines), lines
    assert not any("Signed electronically" in line for line in lines)


def test_the_letter_template_uses_the_shared_verification_line(app):
    from flask import render_template_string

    with app.test_request_context():
        css = render_template_string('{% from "documents/_verify.html" import verify_style %}{{ verify_style() }}')
        eoffice = app.jinja_env.loader.get_source(app.jinja_env, "eoffice/letter_pdf.html")[0]
        core = app.jinja_env.loader.get_source(app.jinja_env, "documents/letter.html")[0]
    assert re.search(r"\.verify-url \{[^}]*white-space: nowrap", css)
    for source in (eoffice, core):
        assert "verify_style()" in source and "verify_line(verification_url)" in source
        assert "verify-url" not in source and "Ditandatangani secara" not in source


def test_a_revoked_letter_is_marked_in_the_lists_and_on_its_page(app, client, office, login):
    tenant, people = office
    with app.app_context(), tenant_scope(tenant):
        kept = signed(tenant, people, subject="Surat tetap berlaku").id
        gone = signed(tenant, people, subject="Surat yang dicabut")
        gone_id = gone.id
        revoke(tenant, gone, "Salah alamat tujuan")
    login(client, people.drafter, tenant)
    page = client.get(url(tenant, "outgoing")).get_data(as_text=True)
    rows = {int(m.group(1)): m.group(0) for m in re.finditer(r'<li[^>]*>\s*<a href="[^"]*/letters/(\d+)".*?</li>', page, re.S)}
    assert re.search(r'class="eo-badge eo-revoked" title="Salah alamat tujuan">Dicabut</span>', rows[gone_id])
    assert "eo-revoked" not in rows[kept]
    letter_page = client.get(url(tenant, f"letters/{gone_id}")).get_data(as_text=True)
    assert "Dicabut" in re.search(r'id="letter-status">(.*?)</dd>', letter_page, re.S).group(1)
    client.get(f"/t/{tenant.slug}/lang?locale=en")
    english = client.get(url(tenant, "outgoing")).get_data(as_text=True)
    assert re.search(r'eo-revoked" title="Salah alamat tujuan">Revoked</span>', english)
    client.get(f"/t/{tenant.slug}/lang?locale=id")
    # the auditor's list of ordinary letters marks it too
    client.get(f"/t/{tenant.slug}/logout")
    login(client, people.auditor, tenant)
    overseen = client.get(url(tenant, "letters")).get_data(as_text=True)
    assert overseen.count("eo-badge eo-revoked") == 1
