"""In Chromium on a 360 px phone, against the live server (CSRF on): a visitor follows a complaint
without an account, types a wrong code, and sees the error summary at the top of the page, focused;
its link puts the focus in the code field. The same on the track page itself: a rating sent without
a score is summed up at the top, far above the form, and the link focuses the first score."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from core.kit import db, tenant_scope
from modules.complaints import services, workflow

from .test_browser import PHONE, fits_the_phone

pytestmark = pytest.mark.browser


def _file(app, tenant, *statuses) -> tuple[str, str]:
    with app.app_context(), tenant_scope(tenant):
        complaint, key = services.file_complaint(tenant, None, services.Filing(
            category="SAMPAH", description="Sampah menumpuk di depan pasar", notify_by="none"), "portal")
        for status in statuses:
            workflow.transition(tenant, "system", complaint, status, note="Sudah diangkut")
        db.session.commit()
        return complaint.number, key


def _on_screen(page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    return box is not None and 0 <= box["y"] < PHONE["height"]


def test_a_wrong_follow_code_is_summed_up_at_the_top_and_its_link_focuses_the_field(
    app, browser, live_server, tenant, screenshot,
):
    number, _key = _file(app, tenant)
    base = f"{live_server.url}/t/{tenant.slug}"
    context = browser.new_context(locale="id-ID", viewport=PHONE)
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        page.goto(f"{base}/complaints/track/{number}")
        page.locator("#followc-contact").fill("0812-9999-0001")
        with page.expect_navigation():
            page.locator("#follow-contact-form button[type=submit]").click()
        assert page.url.endswith(f"/complaints/track/{number}/follow/confirm")
        expect(page.locator("#error-summary")).to_have_count(0)
        page.locator("#code").fill("000000" if "000000" not in page.content() else "111111")
        with page.expect_navigation():
            page.locator("#follow-code-form button[type=submit]").click()

        summary = page.locator("#error-summary")
        expect(summary).to_be_visible()
        expect(summary).to_be_focused()  # read first, shown first
        assert _on_screen(page, "#error-summary")
        expect(summary).to_contain_text("Kode ini tidak cocok")  # in the page's language
        link = summary.locator("a[href='#code']")
        expect(link).to_have_count(1)
        assert fits_the_phone(page)
        screenshot("follow-code-summary", of=page)
        link.click()
        expect(page.locator("#code")).to_be_focused()
        assert _on_screen(page, "#code")
    finally:
        context.close()


def test_a_rating_without_a_score_is_summed_up_at_the_top_of_the_track_page(
    app, browser, live_server, tenant, screenshot,
):
    number, key = _file(app, tenant, "verified", "assigned", "in_progress", "resolved", "closed")
    base = f"{live_server.url}/t/{tenant.slug}"
    context = browser.new_context(locale="id-ID", viewport=PHONE)
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        page.goto(f"{base}/complaints/track/{number}")
        page.locator("#rate-access_key").fill(key)
        with page.expect_navigation():
            page.locator("#rating-form button[type=submit]").click()
        summary = page.locator("#error-summary")
        expect(summary).to_be_focused()
        assert _on_screen(page, "#error-summary") and not _on_screen(page, "#rating-form")  # the form is far below
        link = summary.locator("a[href='#rate-score-0']")
        expect(link).to_have_count(1)
        assert "?:" not in summary.inner_text()
        assert fits_the_phone(page)
        screenshot("rating-summary", of=page)
        link.click()
        expect(page.locator("#rate-score-0")).to_be_focused()
        assert _on_screen(page, "#rate-score-0")
    finally:
        context.close()


def test_the_deadlines_are_readable_on_a_phone_in_indonesian(app, browser, live_server, tenant, screenshot):
    """A trial found the Indonesian deadline labels ("Rencana tindak lanjut paling lambat") so wide at
    360 px that their values were pushed off-screen: now the page does not scroll sideways and each
    deadline sits on the screen, wide enough to read."""
    number, _key = _file(app, tenant, "verified")
    context = browser.new_context(locale="id-ID", viewport=PHONE)
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/t/{tenant.slug}/complaints/track/{number}")
        deadlines = page.locator("#clock dl.details dd")
        assert deadlines.count() >= 1
        expect(page.locator("#clock")).to_contain_text("paling lambat")
        assert fits_the_phone(page)
        for i in range(deadlines.count()):
            box = deadlines.nth(i).bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
            assert box["width"] > 120  # the date and time, not a sliver
        screenshot("track-deadlines-360-id", of=page)
    finally:
        context.close()
