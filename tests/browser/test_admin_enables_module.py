"""In Chromium: a tenant admin signs in through the real (CSRF-protected) form and enables a module."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from core.testing import PASSWORD, unique

pytestmark = pytest.mark.browser


def admin_email() -> str:
    return f"{unique('admin')}@example.test"


def sign_in(page, base: str | None, email: str) -> None:
    """Fill the sign-in form (on the current page when ``base`` is None)."""
    if base is not None:
        page.goto(f"{base}/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def test_tenant_admin_signs_in_and_enables_a_module(page, live_server, create_tenant, create_user, screenshot):
    tenant = create_tenant(branding={"primary_color": "#1d6b3a"})
    admin = create_user(tenant, "admin", email=admin_email())
    base = f"{live_server.url}/t/{tenant.slug}"
    assert page.goto(f"{base}/notes/").status == 404  # not enabled yet
    page.goto(f"{base}/admin/modules")
    assert page.url == f"{base}/login?next=/admin/modules"  # anonymous: sent to sign in first

    sign_in(page, None, admin)
    assert page.url == f"{base}/admin/modules"  # back where the admin was going
    expect(page.locator("nav li.right")).to_contain_text(admin)
    row = page.locator("tr", has=page.locator("button[name=enable-notes]"))
    expect(row).to_have_count(1)
    with page.expect_navigation():
        row.locator("button[name=enable-notes]").click()
    assert page.url == f"{base}/admin/modules"
    expect(page.locator("p.flash")).to_be_visible()
    expect(page.locator("button[name=disable-notes]")).to_have_count(1)
    expect(page.locator("button[name=enable-notes]")).to_have_count(0)
    screenshot("admin-modules")

    assert page.goto(f"{base}/notes/").status == 200
    expect(page.locator("nav").get_by_role("link", name="Notes")).to_have_attribute("href", f"/t/{tenant.slug}/notes/")

    page.goto(f"{base}/admin/audit")
    entry = page.locator("table.audit tbody tr", has=page.locator("code", has_text="tenant.module.enable"))
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text(admin)
    expect(entry).to_contain_text("module notes")
    screenshot("admin-audit")


def test_a_form_post_without_its_csrf_token_is_refused(page, live_server, create_tenant, create_user):
    tenant = create_tenant()
    admin = create_user(tenant, "admin", email=admin_email())
    base = f"{live_server.url}/t/{tenant.slug}"
    sign_in(page, base, admin)
    # signed in, but a cross-site style POST (no token) must not change anything
    response = page.request.post(f"{base}/admin/modules/notes/enable", form={}, max_redirects=0)
    assert response.status == 400
    assert page.goto(f"{base}/notes/").status == 404
