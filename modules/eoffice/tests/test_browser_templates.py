"""In Chromium on a 360 px phone (CSRF on, no JavaScript needed): the tenant admin opens the
letter types' page, edits a type's body template, previews it, saves it, and reads the page in
English too; nothing is wider than the phone."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from core.kit import tenant_scope

from ..settings import letter_types
from .test_browser import PHONE, fits_the_phone, session

pytestmark = pytest.mark.browser


def test_edit_preview_and_save_a_template_on_a_phone(app, browser, live_server, office, create_user, screenshot):
    tenant, _ = office
    admin = create_user(tenant, "admin")
    base = f"{live_server.url}/t/{tenant.slug}"
    page = session(browser, base, admin, phone=True)
    page.goto(f"{base}/eoffice/templates")
    expect(page.locator("main h1")).to_have_text("Jenis dan templat naskah")
    assert fits_the_phone(page)
    with page.expect_navigation():
        page.locator("#letter-types a", has_text="UND").click()
    page.locator("textarea[name=template]").fill(
        "<p>Dengan hormat,</p><table><tr><td>Hari/tanggal</td><td>Waktu dan tempat yang sangat panjang sekali "
        "sehingga tabelnya lebar</td></tr></table>")
    with page.expect_navigation():
        page.locator("button[value=preview]").click()
    expect(page.locator("#preview .eo-body td").first).to_have_text("Hari/tanggal")
    assert fits_the_phone(page)
    screenshot("eoffice-template-phone", of=page)
    with page.expect_navigation():
        page.locator("button[value=save]").click()
    expect(page.locator("#letter-types")).to_contain_text("Hari/tanggal")
    with app.app_context(), tenant_scope(tenant):
        assert letter_types(tenant)["UND"]["template"].startswith("<p>Dengan hormat,</p><table>")

    page.goto(f"{base}/lang?locale=en")
    page.goto(f"{base}/eoffice/templates/UND")
    expect(page.locator("main h1")).to_have_text("Letter type UND")
    expect(page.locator("label[for=template]")).to_have_text("Body template")
    assert fits_the_phone(page) and page.viewport_size == PHONE
