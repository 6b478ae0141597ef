"""Trial t14g: the letter's verification address broke across two lines; a revoked letter showed no
mark in the lists; signing twice or out of turn said only "not awaiting action"; a province's
figures of its cities said their heading twice and its auditor was offered the ordinary letters."""
from __future__ import annotations

import re

import pytest

from core.kit import approvals, db, documents, tenant_scope

from ..access import get_letter
from ..review import take_number, verify
from .conftest import actor_of
from .helpers import signed, submitted
from .test_pages import csrf, url
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


def test_signing_twice_or_out_of_turn_says_what_the_letter_awaits(app, client, office, login, audit_entries):
    tenant, people = office
    with app.app_context(), tenant_scope(tenant):
        done = signed(tenant, people)
        done_id, signer_name = done.id, done.signer_name
        waiting = submitted(tenant, people)
        numbers = len(audit_entries(tenant, "eoffice.letter.number"))
        # the service: stable codes, the English message for the logs and the CLI
        with pytest.raises(approvals.ApprovalError) as twice:
            take_number(tenant, actor_of(tenant, people.kadis), done_id, 2)
        assert twice.value.code == "already_signed" and signer_name in str(twice.value)
        db.session.rollback()
        with pytest.raises(approvals.OutOfTurn) as early:
            take_number(tenant, actor_of(tenant, people.kadis), waiting, 2)
        assert early.value.code == "approval_out_of_turn"
        db.session.rollback()
        with pytest.raises(approvals.OutOfTurn) as skipped:
            verify(tenant, actor_of(tenant, people.sekdis), waiting, 1)  # the Kabid's paraf comes first
        assert skipped.value.code == "approval_out_of_turn"
        db.session.rollback()
        assert len(audit_entries(tenant, "eoffice.letter.number")) == numbers
    login(client, people.kadis, tenant)
    for letter_id, said in ((done_id, rf"Naskah ini sudah ditandatangani oleh {re.escape(signer_name)} pada \d"),
                            (waiting, "Naskah menunggu paraf Kepala Bidang Kebersihan terlebih dahulu.")):
        token = csrf(client.get(url(tenant, f"letters/{letter_id}")).get_data(as_text=True))
        answer = client.post(url(tenant, f"letters/{letter_id}/sign"), data={"csrf_token": token, "step": 2})
        assert answer.status_code == 400
        text = answer.get_data(as_text=True)
        assert re.search(said, text) and "tidak sedang menunggu" not in text, letter_id
    client.get(f"/t/{tenant.slug}/lang?locale=en")
    token = csrf(client.get(url(tenant, f"letters/{waiting}")).get_data(as_text=True))
    text = client.post(url(tenant, f"letters/{waiting}/sign"), data={"csrf_token": token, "step": 2}).get_data(as_text=True)
    assert "The letter awaits the paraf of" in text and "first." in text
    with app.app_context(), tenant_scope(tenant):
        assert get_letter(tenant, waiting).number is None


def test_a_provinces_figures_of_its_cities_say_their_heading_once(app, client, create_tenant, create_user, login,
                                                                   make_tenant):
    province = create_tenant(kind="province", name="Provinsi Banten Uji", modules={"eoffice": {}})
    make_tenant(parent=province.slug, name="Kota Tangerang Uji")
    auditor = create_user(province, "auditor")
    login(client, auditor, province)
    page = client.get(f"/t/{province.slug}/eoffice/figures/cities").get_data(as_text=True)
    body = page.split("<body", 1)[1]
    assert body.count("Angka kabupaten/kota") == 1 and "<h1>Angka kabupaten/kota</h1>" in body
    assert re.search(r'/eoffice/figures/cities">Kabupaten/kota</a>', body)
    # the province writes no letter in e-office: no link to an empty list, its home is the figures
    assert "/eoffice/letters\"" not in body
    home = client.get(f"/t/{province.slug}/eoffice/")
    assert home.status_code == 302 and home.headers["Location"].endswith(f"/t/{province.slug}/eoffice/figures/cities")
    assert client.get(f"/t/{province.slug}/eoffice/letters").status_code == 200  # still readable, only not offered


def test_a_province_with_letters_of_its_own_offers_their_list(app, client, create_user, login, make_tenant):
    province, people = make_tenant(kind="province", name="Provinsi Uji Bernaskah")
    login(client, people.auditor, province)
    assert client.get(f"/t/{province.slug}/eoffice/").headers["Location"].endswith("/eoffice/figures/cities")
    with app.app_context(), tenant_scope(province):
        signed(province, people)
    page = client.get(f"/t/{province.slug}/eoffice/figures/cities").get_data(as_text=True)
    assert re.search(r'/eoffice/letters">Naskah bersifat biasa</a>', page)
    assert client.get(f"/t/{province.slug}/eoffice/").headers["Location"].endswith("/eoffice/letters")


def test_the_auditors_note_on_ordinary_letters_is_english_in_english(app, client, office, login):
    # trial 7: the English note read "letters of security classification biasa"
    tenant, people = office
    login(client, people.auditor, tenant)
    client.get(f"/t/{tenant.slug}/lang?locale=en")
    page = client.get(url(tenant, "letters")).get_data(as_text=True)
    note = re.search(r'id="overseen-note">(.*?)</p>', page, re.S).group(1)
    assert "Ordinary security class" in note and "biasa" not in note
