"""In Chromium against the live server (CSRF on): a citizen on a 360 px phone applies for a building
approval, saves half-way, comes back, uploads the requirements and submits; three officers approve
their stages; the cashier records the fee; the signer issues and then suspends it with a reason; the
citizen finds the permit number and its public verification page, which says why it is suspended;
the PDF is validated by pyHanko."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from core.kit import db, documents, storage, tenant_scope
from core.testing import PASSWORD  # the fixtures' password (as complaints' browser test)

from ..models import Application
from .conftest import NIK, jpeg, pdf
from .pdf_check import assert_signed_permit

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}


def sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


WIDEST = """() => [document.documentElement.scrollWidth, ...[...document.querySelectorAll('body *')]
    .filter(e => e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0)
    .map(e => e.tagName + '.' + e.className + ' ' + e.scrollWidth + ': '
              + (e.textContent || '').trim().slice(0, 50))]"""


def fits_the_phone(page) -> bool:
    """Nothing wider than the phone's screen; else the assertion names the widest elements."""
    wide = page.evaluate("document.documentElement.scrollWidth") > PHONE["width"]
    assert not wide, page.evaluate(WIDEST)
    return True


def test_application_to_issued_permit_in_the_browser(app, browser, live_server, tenant, people, signer, screenshot):
    base = f"{live_server.url}/t/{tenant.slug}"
    phone = browser.new_context(locale="id-ID", viewport=PHONE)
    citizen = phone.new_page()
    sign_in(citizen, base, people["citizen"])
    citizen.goto(f"{base}/permits/")
    assert fits_the_phone(citizen)
    citizen.locator("a[href$='/permits/apply/PBG']").click()
    citizen.locator("input[name=name]").fill("Andi Mappanyukki")
    citizen.locator("input[name=nik]").fill(NIK)
    citizen.locator("input[name=business_name]").fill("CV Andi Jaya")
    citizen.locator("input[name=luas_m2]").fill("150")
    with citizen.expect_navigation():
        citizen.locator("input[name=save]").click()
    assert fits_the_phone(citizen)
    citizen.locator("a[href*='/edit']").click()  # come back to the saved draft
    expect(citizen.locator("input[name=luas_m2]")).to_have_value("150")
    citizen.locator("input[name=alamat]").fill("Jl. Ratulangi 5")
    citizen.locator("input[name=ktp]").set_input_files(files=[{"name": "ktp.jpg", "mimeType": "image/jpeg",
                                                               "buffer": jpeg()}])
    citizen.locator("input[name=gambar]").set_input_files(files=[{"name": "gambar.pdf", "mimeType": "application/pdf",
                                                                  "buffer": pdf()}])
    assert fits_the_phone(citizen)
    with citizen.expect_navigation():
        citizen.locator("input[name=send]").click()
    expect(citizen.locator("h1")).to_contain_text("REG/PBG/")
    application_url = citizen.url

    for who in ("intake", "pu", "admin"):
        desk = browser.new_context(locale="id-ID").new_page()
        sign_in(desk, base, people[who])
        desk.goto(application_url)
        with desk.expect_navigation():
            desk.locator("form.act input[name=send]").click()
        if who == "admin":
            expect(desk.locator(".payment-code")).to_be_visible()
            with desk.expect_navigation():
                desk.locator("form.pay input[name=send]").click()
            with desk.expect_navigation():
                desk.locator("form.issue input[name=send]").click()
            expect(desk.locator(".permit-number")).to_contain_text("PBG/0001/")
            # the head suspends it with a reason (a plain form, no JavaScript)
            desk.locator("form.permit-status select[name=action]").select_option("suspend")
            desk.locator("form.permit-status textarea[name=reason]").fill("Pemeriksaan struktur oleh Dinas PU")
            desk.locator("form.permit-status input[name=confirm]").check()
            with desk.expect_navigation():
                desk.locator("form.permit-status input[name=send]").click()
            expect(desk.locator(".permit-number")).to_contain_text("Pemeriksaan struktur oleh Dinas PU")
        desk.context.close()

    citizen.goto(application_url)
    number = citizen.locator(".permit-number").inner_text()
    assert re.match(r"PBG/0001/\d{4}", number)
    assert fits_the_phone(citizen)
    screenshot("permit-issued", of=citizen)
    with citizen.expect_navigation():
        citizen.locator("#permit-verify").click()
    expect(citizen.locator("main")).to_contain_text(number.split()[0])
    expect(citizen.locator("main")).to_contain_text("Pemeriksaan struktur oleh Dinas PU")  # suspended, and why
    assert fits_the_phone(citizen)
    phone.close()

    with app.app_context(), tenant_scope(tenant):
        row = db.session.execute(db.select(Application).where(Application.status == "issued")).scalar_one()
        doc = documents.find(tenant, row.document_code)
        data, url = storage().get(doc.storage_key, tenant=tenant), documents.verification_url(tenant, doc.code)
    assert_signed_permit(app, data, url)
