"""In Chromium on a 360 px phone with JavaScript off: a tenant admin filters the register of signed
documents (one card per document, every cell on the screen, the kind in words), revokes one after
the question page through the real (CSRF-protected) form, and its public verification page shows
the reason."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from core.testing import unique
from tests.browser.test_admin_enables_module import sign_in
from tests.test_admin_documents import add_documents

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}


def test_admin_revokes_a_document_on_a_phone_without_javascript(app, browser, live_server, create_tenant, create_user,
                                                                 screenshot):
    tenant = create_tenant(locales=["en", "id"])
    admin = create_user(tenant, "admin", email=f"{unique('admin')}@example.test")
    [letter] = add_documents(app, tenant, 1)
    add_documents(app, tenant, 2, kind="permit", subject="Izin mendirikan bangunan untuk gedung serbaguna kelurahan")
    base = f"{live_server.url}/t/{tenant.slug}"
    context = browser.new_context(locale="en-GB", viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, base, admin)
        page.goto(f"{base}/admin/documents")
        rows = page.locator("table.documents tbody tr")
        expect(rows).to_have_count(3)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing off-screen
        for n in range(3):
            tops = []
            for cell in rows.nth(n).locator("td").all():
                box = cell.bounding_box()
                if box is None or box["height"] == 0:
                    continue
                assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (n, box)
                tops.append(box["y"])
            assert tops == sorted(tops) and len(set(tops)) == len(tops)  # one card: cells one under another
        permit = rows.filter(has_text="permit/1")
        expect(permit.locator("td.kind")).to_have_text("Permits")  # the module's name, not the code
        label = permit.locator("td.kind").evaluate("e => getComputedStyle(e, '::before').content")
        assert "Kind" in label
        screenshot("admin-documents-cards-phone", of=page)
        page.locator("select[name=status]").select_option("valid")
        page.locator("input[name=kind]").fill("letter")
        with page.expect_navigation():
            page.locator("form.filters button[type=submit]").click()
        expect(rows).to_have_count(1)
        row = rows.first
        expect(row.get_by_role("link", name="Verification page")).to_have_attribute(
            "href", f"/t/{tenant.slug}/verify/{letter}")
        with page.expect_navigation():
            row.locator("form.revoke button[type=submit]").click()  # the question: nothing changes yet
        expect(page.locator("h1")).to_contain_text("letter/1")
        page.get_by_label("Reason for revoking").fill("Issued to the wrong applicant")
        with page.expect_navigation():
            page.locator("#confirm-revoke").click()
        assert page.url.startswith(f"{base}/admin/documents") and "status=valid" in page.url
        expect(page.locator("p.flash")).to_be_visible()
        screenshot("admin-documents-phone", of=page)
        page.goto(f"{base}/verify/{letter}")
        expect(page.locator("main")).to_contain_text("Issued to the wrong applicant")
    finally:
        context.close()
