"""In Chromium on a 360 px phone, in English chosen with the kit's own language switch (the header's
``#locale`` form, as a person does; the pages start in Indonesian): a citizen applies for a
billboard permit and follows it; the counter officer finds it in the queue by the applicant's
name, approves it and records the fee; the admin reads the figures and the retribution
reconciliation, whose table becomes cards labelled in English. Every page fits the phone and
shows none of the Indonesian words checked. (``test_browser.py`` and the reconciliation page's
test walk the same pages in Indonesian.)"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .test_browser import PHONE, fits_the_phone, sign_in

pytestmark = pytest.mark.browser


def in_english(page) -> None:
    """Choose English in the page's language switch, as a person does (the choice is kept)."""
    expect(page.locator("html")).to_have_attribute("lang", "id")
    page.locator("#locale").select_option("en")
    with page.expect_navigation():
        page.locator("form.lang button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def no_indonesian(page, *words: str) -> None:
    text = page.locator("main").inner_text()
    assert not [w for w in words if w in text], [w for w in words if w in text]


def test_the_permit_pages_in_english_on_a_phone(browser, live_server, office):
    tenant, people, _ = office
    base = f"{live_server.url}/t/{tenant.slug}"

    citizen = browser.new_context(locale="id-ID", viewport=PHONE).new_page()
    sign_in(citizen, base, people["citizen"])
    citizen.goto(f"{base}/permits/")
    expect(citizen.locator("h1")).to_have_text("Perizinan")
    in_english(citizen)
    expect(citizen.locator("h1")).to_have_text("Permits")
    expect(citizen.locator("main")).to_contain_text("Permits you can apply for")
    expect(citizen.locator("main")).to_contain_text("Billboard permit")
    no_indonesian(citizen, "Izin yang dapat Anda ajukan", "Izin Reklame")
    assert fits_the_phone(citizen)
    citizen.locator("a[href$='/permits/apply/REK']").click()
    expect(citizen.locator("h1")).to_have_text("Billboard permit")
    expect(citizen.locator("main")).to_contain_text("Area (m²)")
    citizen.locator("input[name=name]").fill("Daeng Tahir")
    citizen.locator("input[name=nik]").fill("7371014101900001")
    citizen.locator("input[name=luas_m2]").fill("12")
    assert fits_the_phone(citizen)
    with citizen.expect_navigation():
        citizen.locator("input[name=send]").click()
    expect(citizen.locator("h1")).to_contain_text("REG/REK/")
    expect(citizen.locator("main")).to_contain_text("Timeline")
    no_indonesian(citizen, "Riwayat", "Izin Reklame")
    assert fits_the_phone(citizen)
    reference = citizen.locator("h1").inner_text().strip()

    officer = browser.new_context(locale="id-ID", viewport=PHONE).new_page()
    sign_in(officer, base, people["officer"])
    officer.goto(f"{base}/permits/queue")
    in_english(officer)
    expect(officer.locator("h1")).to_have_text("Permit queue")
    officer.locator("input[name=q]").fill("daeng tah")      # words from their start, any case
    with officer.expect_navigation():
        officer.locator("form.filters button[type=submit]").click()
    expect(officer.locator("main table")).to_contain_text(reference)
    no_indonesian(officer, "Antrean perizinan", "Saring")
    assert fits_the_phone(officer)
    with officer.expect_navigation():
        officer.locator(f"main table a:has-text('{reference}')").click()
    with officer.expect_navigation():
        officer.locator("form.act input[name=send]").click()
    expect(officer.locator("form.pay h2")).to_have_text("Record payment")
    with officer.expect_navigation():
        officer.locator("form.pay input[name=send]").click()   # the amount is the invoice's
    expect(officer.locator("main")).to_contain_text("paid")
    assert fits_the_phone(officer)

    admin = browser.new_context(locale="id-ID", viewport=PHONE).new_page()
    sign_in(admin, base, people["admin"])
    admin.goto(f"{base}/permits/figures")
    in_english(admin)
    expect(admin.locator("h1")).to_have_text("Permit figures")
    assert fits_the_phone(admin)
    admin.locator("#reconciliation-link").click()
    expect(admin.locator("h1")).to_have_text("Fee reconciliation")
    expect(admin.locator("#reconcile-status")).to_contain_text("Reconciles:")
    admin.wait_for_load_state("load")  # the stylesheet applied before its computed style is read (flaked once)
    assert admin.locator("table#reconciliation td").first.evaluate(
        "e => getComputedStyle(e, '::before').content") == '"Month: "'
    expect(admin.locator("table#reconciliation")).to_contain_text("Rp 330,000")   # 150,000 + 12 m² × 15,000
    no_indonesian(admin, "Rekonsiliasi retribusi", "Cocok:", "Bulan")
    assert fits_the_phone(admin)
    for page in (citizen, officer, admin):
        page.context.close()
