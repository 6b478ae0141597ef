"""In Chromium against the live server (CSRF on, no JavaScript needed by the pages): an officer
drafts a letter through the real form on a 360 px phone, the secretary gives the paraf, the head
signs it (a number, a signed PDF), the drafter sends it, and the head of the addressed agency opens
it and disposes it to a colleague, who sees it among their dispositions."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from core.kit import db, tenant_scope
from core.testing import PASSWORD

from ..access import get_letter
from .helpers import next_31_january

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}


def session(browser, base, email, phone=False):
    context = browser.new_context(locale="id-ID", viewport=PHONE if phone else {"width": 1024, "height": 768})
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto(f"{base}/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator("nav li.right")).to_contain_text(email)
    return page


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_draft_verify_sign_send_and_dispose_in_the_browser(app, browser, live_server, office, screenshot):
    tenant, people = office
    base = f"{live_server.url}/t/{tenant.slug}"

    drafter = session(browser, base, people.drafter, phone=True)
    drafter.goto(f"{base}/eoffice/")
    assert fits_the_phone(drafter)
    drafter.goto(f"{base}/eoffice/incoming/new")  # registering a paper letter, sent empty: every message on a phone
    with drafter.expect_navigation():
        drafter.locator("#register").click()
    expect(drafter.locator("#error-summary li")).to_have_count(4)  # sender, date, subject, scan
    assert fits_the_phone(drafter)
    drafter.goto(f"{base}/eoffice/new")
    drafter.locator("select[name=letter_type]").select_option("UND")
    drafter.locator("select[name=classification]").select_option("000.1.6")
    drafter.locator("input[name=subject]").fill("Undangan rapat koordinasi kebersihan kota")
    drafter.locator("textarea[name=body]").fill("Dengan hormat,\n\nKami mengundang Bapak/Ibu pada rapat koordinasi.")
    drafter.locator("select[name=to_units]").select_option(["PU"])
    drafter.locator("textarea[name=cc_external]").fill("Wali Kota Makassar")
    drafter.locator("select[name=verifier_1]").select_option("SEK-DLH")
    drafter.locator("select[name=signer]").select_option("KADIS-DLH")
    assert fits_the_phone(drafter)
    screenshot("eoffice-draft-phone", of=drafter)
    with drafter.expect_navigation():
        drafter.locator("#save-draft").click()
    letter_url = drafter.url
    with drafter.expect_navigation():
        drafter.locator("#submit-review").click()
    expect(drafter.locator("#letter-status")).to_have_text("Sedang diperiksa")

    secretary = session(browser, base, people.sekdis)
    secretary.goto(f"{base}/eoffice/")
    expect(secretary.locator("#to-verify strong")).to_have_text("1")
    secretary.goto(letter_url)
    with secretary.expect_navigation():
        secretary.locator("#verify").click()

    head = session(browser, base, people.kadis)
    head.goto(f"{base}/eoffice/review")
    with head.expect_navigation():
        head.locator("main .eo-letters a").first.click()
    with head.expect_navigation():
        head.locator("#sign").click()
    expect(head.locator("#letter-number")).to_have_text("000.1.6/1/DLH")
    pdf = head.request.get(live_server.url + head.locator("#letter-pdf").get_attribute("href"))
    assert pdf.ok and pdf.body().startswith(b"%PDF")

    drafter.goto(letter_url)
    with drafter.expect_navigation():
        drafter.locator("#send").click()
    expect(drafter.locator("#letter-status")).to_have_text("Terkirim")

    receiver = session(browser, base, people.kadis_pu, phone=True)
    receiver.goto(f"{base}/eoffice/")
    expect(receiver.locator("#unread strong")).to_have_text("1")
    receiver.goto(f"{base}/eoffice/inbox")
    with receiver.expect_navigation():
        receiver.locator("main .eo-unread a").first.click()
    receiver.locator("select[name=to]").select_option(index=0)
    receiver.locator("textarea[name=instruction]").fill("Siapkan bahan paparan untuk rapat.")
    receiver.locator("input[name=due_on]").fill(next_31_january(tenant).isoformat())  # within a year
    assert fits_the_phone(receiver)
    with receiver.expect_navigation():
        receiver.locator("#dispose").click()
    expect(receiver.locator("#timeline")).to_contain_text("Siapkan bahan paparan")
    screenshot("eoffice-letter-phone", of=receiver)

    staff = session(browser, base, people.staff_pu)
    staff.goto(f"{base}/eoffice/dispositions")
    expect(staff.locator("main .eo-letters")).to_contain_text("Siapkan bahan paparan untuk rapat.")
    letter_id = int(letter_url.rstrip("/").split("/")[-1])
    with app.app_context(), tenant_scope(tenant):
        letter = get_letter(tenant, letter_id)
        assert (letter.status, letter.number) == ("sent", "000.1.6/1/DLH")
        db.session.rollback()
