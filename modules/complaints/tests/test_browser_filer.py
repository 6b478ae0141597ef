"""In Chromium at 360 px, against the live server (CSRF on): a citizen who is not signed in files a
confidential (*rahasia*) complaint and reaches it from the success page ("Pantau pengaduan Anda");
a visitor in another browser still gets 404 (issue 20.3)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .test_browser import PHONE, fits_the_phone

pytestmark = pytest.mark.browser


def test_a_rahasia_filer_reaches_their_complaint_from_the_success_page(page, browser, live_server, tenant,
                                                                        screenshot):
    base = f"{live_server.url}/t/{tenant.slug}"
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/complaints/new")
    page.locator("select[name=category]").select_option("SAMPAH")
    page.locator("textarea[name=description]").fill("Ada pungutan liar di loket pasar, mohon ditindak.")
    page.locator("input[name=phone]").fill("0812-3456-7892")
    page.locator("input[name=confidential]").check()
    with page.expect_navigation():
        page.locator("main form button[type=submit]:not([name=step])").click()
    assert "/complaints/filed/" in page.url, page.inner_text("body")[:1000]
    number = page.locator("#tracking-number").inner_text().strip()
    expect(page.locator("#track-link")).to_have_text("Pantau pengaduan Anda")
    assert fits_the_phone(page)
    screenshot("rahasia-filed")
    with page.expect_navigation():
        page.locator("#track-link").click()
    assert page.url == f"{base}/complaints/track/{number}"
    expect(page.locator("#tracking-number")).to_have_text(number)
    expect(page.locator("#privacy-note")).to_be_visible()
    expect(page.locator("main")).to_contain_text("pungutan liar")
    assert fits_the_phone(page)
    screenshot("rahasia-tracked")

    context = browser.new_context(locale="id-ID", viewport=PHONE)
    try:
        stranger = context.new_page()
        response = stranger.goto(f"{base}/complaints/track/{number}")
        assert response.status == 404
    finally:
        context.close()
