"""In Chromium on a 360 px phone (issue 20.2): an officer filters the queue (cards, the deadline on
screen, nothing sideways), takes a complaint ("assign to myself": the status names them), and
resolves it from a response template with a photo of the fix."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from core.kit import db, tenant_scope
from core.testing import unique
from modules.complaints import services, workflow

from .conftest import AGENCIES, DISTRICTS, SETTINGS, audit_actions
from .test_browser import PHONE, fits_the_phone, photo_jpeg, sign_in

pytestmark = pytest.mark.browser

TEMPLATE = "Sampah sudah diangkut oleh petugas kebersihan."


def test_an_officer_filters_takes_and_resolves_with_a_photo_on_a_phone(app, browser, live_server, create_tenant,
                                                                       create_user, screenshot):
    tenant = create_tenant(modules={"complaints": {**SETTINGS, "response_templates": [
        {"category": "SAMPAH", "title": "Sudah diangkut", "text": TEMPLATE}]}}, agencies=AGENCIES, districts=DISTRICTS)
    email = create_user(tenant, "officer", agency="DLH", email=f"{unique('dlh')}@example.test")
    with app.app_context(), tenant_scope(tenant):
        numbers = []
        for description in ("Sampah menumpuk di depan pasar Terong", "Sampah berserakan di taman kota",
                            "Bak sampah pasar Sentral penuh"):
            complaint, _ = services.file_complaint(tenant, None, services.Filing(
                category="SAMPAH", description=description), "portal")
            workflow.transition(tenant, "system", complaint, "verified")
            numbers.append(complaint.number)
        db.session.commit()
    target, other_park, other_market = numbers
    base = f"{live_server.url}/t/{tenant.slug}"
    context = browser.new_context(locale="id-ID", viewport=PHONE)
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        sign_in(page, base, email)
        page.goto(f"{base}/complaints/queue")
        expect(page.locator("#queue tbody tr")).to_have_count(3)
        assert fits_the_phone(page)
        due = page.locator("#queue tbody tr").first.locator("td.due")
        box = due.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]  # on screen
        page.locator("#filter-q").fill("pasar terong")
        page.locator("#more-filters summary").click()  # folded away on a phone
        page.locator("#filter-category").select_option("SAMPAH")
        with page.expect_navigation():
            page.locator("#queue-filters button[type=submit]").click()
        cards = page.locator("#queue tbody tr")
        expect(cards).to_have_count(1)
        expect(cards.first.locator("a.number")).to_have_text(target)
        expect(page.locator("#queue-count")).to_contain_text("1")
        assert fits_the_phone(page)
        screenshot("queue-filtered-phone", of=page)

        with page.expect_navigation():
            cards.first.locator("a.number").click()
        with page.expect_navigation():
            page.locator("#assign-me").click()
        expect(page.locator("#status")).to_have_class("status status-assigned")
        expect(page.locator("#assignee")).to_have_text(email.split("@")[0])  # the account's name

        form = page.locator("#status-form")
        form.locator("select[name=status]").select_option("in_progress")
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
        form = page.locator("#status-form")
        form.locator("select[name=status]").select_option("resolved")
        form.locator("#template-select").select_option(label="Sudah diangkut")
        expect(form.locator("textarea[name=note]")).to_have_value(TEMPLATE)  # filled, to be edited
        form.locator("textarea[name=note]").fill(TEMPLATE + " Terima kasih.")
        form.locator("#fix-photos").set_input_files(
            files=[{"name": "beres.jpg", "mimeType": "image/jpeg", "buffer": photo_jpeg()}])
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
        expect(page.locator("#status")).to_have_class("status status-resolved")
        expect(page.locator("ul.photos img")).to_have_count(1)
        screenshot("resolved-with-photo-phone", of=page)

        page.goto(f"{base}/complaints/queue?assignee=me&status=all")
        expect(page.locator("#queue a.number", has_text=target)).to_have_count(1)
        expect(page.locator("#queue a.number", has_text=other_park)).to_have_count(0)
        expect(page.locator("#queue a.number", has_text=other_market)).to_have_count(0)
    finally:
        context.close()
    with app.app_context(), tenant_scope(tenant):
        complaint = services.get_by_number(tenant, target)
        assert complaint.status_note == TEMPLATE + " Terima kasih." and len(complaint.photos) == 1
        assert audit_actions(tenant, target)[-4:] == [
            "complaints.assigned", "complaints.in_progress", "complaints.resolved", "complaints.fix_photos"]


@pytest.mark.parametrize("language, clock", [("id-ID", r"\d\d\.\d\d"), ("en-GB", r"\d\d:\d\d")])
def test_the_cards_dates_and_a_bad_query_on_a_phone(app, browser, live_server, create_tenant, create_user,
                                                     screenshot, language, clock):
    """The cards' dates read "15 Jul 2026 07.30 WITA" (never "7/15/26, 7:30 AM") and stay on screen;
    a page 0 or an impossible date shows the queue with the message at the top, the filters kept."""
    import re

    tenant = create_tenant(modules={"complaints": SETTINGS}, agencies=AGENCIES, districts=DISTRICTS)
    email = create_user(tenant, "officer", agency="DLH", email=f"{unique('dlh')}@example.test")
    with app.app_context(), tenant_scope(tenant):
        services.file_complaint(tenant, None, services.Filing(category="SAMPAH", description="Sampah di pasar"),
                                "portal")
        db.session.commit()
    base = f"{live_server.url}/t/{tenant.slug}"
    context = browser.new_context(locale=language, viewport=PHONE)
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        sign_in(page, base, email)
        page.goto(f"{base}/complaints/queue")
        card = page.locator("#queue tbody tr").first
        for cell in ("td[data-label]:nth-last-child(2)", "td.due"):
            text = card.locator(cell).inner_text()
            assert re.search(rf"\d{{1,2}} \w{{3}} \d{{4}} {clock} WITA", text), text
            box = card.locator(cell).bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        assert fits_the_phone(page)

        answer = page.goto(f"{base}/complaints/queue?page=0&category=SAMPAH")
        assert answer is not None and answer.status == 400
        problem = page.locator("#queue-problem")
        expect(problem).to_be_visible()
        assert problem.bounding_box()["y"] < PHONE["height"]  # on the first screen
        expect(page.locator("#filter-category")).to_have_value("SAMPAH")
        with page.expect_navigation():
            page.locator("#queue-first-page").click()
        expect(page.locator("#queue tbody tr")).to_have_count(1)

        answer = page.goto(f"{base}/complaints/queue?filed_from=2026-13-45&category=SAMPAH")
        assert answer is not None and answer.status == 400
        expect(page.locator("#filter-from-err")).to_be_visible()
        expect(page.locator("#filter-category")).to_have_value("SAMPAH")
        assert fits_the_phone(page)
        screenshot(f"queue-bad-date-phone-{language}", of=page)
    finally:
        context.close()
