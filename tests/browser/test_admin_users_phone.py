"""In Chromium on a 360 px phone: the admin's Users page reads as one card per person, every cell
inside the screen (trial finding 5: its columns were cut off), a self-registered citizen among them."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from core.testing import unique
from tests.browser.test_admin_enables_module import sign_in
from tests.test_admin_users_list import _register

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}


def test_the_users_table_fits_a_phone(app, browser, live_server, create_tenant, create_user, screenshot):
    tenant = create_tenant(accounts={"self_registration": True},
                           agencies=[{"code": "DLH", "name": "Dinas Lingkungan Hidup dan Kebersihan Kota"}])
    admin = create_user(tenant, "admin", email=f"{unique('admin')}@example.test")
    create_user(tenant, "officer", agency="DLH", email=f"{unique('petugas-kebersihan')}@dinas.example.test")
    citizen = f"{unique('warga-yang-mendaftar-sendiri')}@example.test"
    _register(app, tenant, citizen)
    base = f"{live_server.url}/t/{tenant.slug}"
    context = browser.new_context(locale="id-ID", viewport=PHONE)
    page = context.new_page()
    try:
        sign_in(page, base, admin)
        page.goto(f"{base}/admin/users")
        rows = page.locator("table#people tbody tr")
        expect(rows).to_have_count(3)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        for n in range(3):
            row = rows.nth(n)
            cells = row.locator("td")
            tops = []
            for c in range(cells.count()):
                box = cells.nth(c).bounding_box()
                if box is None or box["height"] == 0:
                    continue
                assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (n, c, box)
                tops.append(box["y"])
            assert tops == sorted(tops) and len(set(tops)) == len(tops)  # stacked, one under another
        card = page.locator("tr", has_text=citizen)
        label = card.locator("td[data-label]").nth(2).evaluate("e => getComputedStyle(e, '::before').content")
        assert "Akun" in label or "Account" in label  # each line says which column it is
        screenshot("admin-users-phone", of=page)
    finally:
        context.close()
