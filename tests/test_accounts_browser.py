"""In Chromium (issue 19.1): a tenant admin grants a role to a new e-mail; the person opens the
invitation link from the outbox, sets a password, signs in and signs out."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from core.testing import PASSWORD, unique

pytestmark = pytest.mark.browser
NEW = "a-long-new-password-19"


def submit(page, scope: str = "main form") -> None:
    with page.expect_navigation():
        page.locator(f"{scope} button[type=submit]").first.click()


def test_invitation_set_password_sign_in_sign_out(page, live_server, create_tenant, create_user, outbox, screenshot):
    tenant = create_tenant()
    admin = create_user(tenant, "admin", email=f"{unique('admin')}@example.test")
    person = f"{unique('colleague')}@example.test"
    base = f"{live_server.url}/t/{tenant.slug}"

    page.goto(f"{base}/login")
    page.locator("input[name=email]").fill(admin)
    page.locator("input[name=password]").fill(PASSWORD)
    submit(page)
    page.goto(f"{base}/admin/users")
    page.locator("#email").fill(person)
    page.locator("#role").select_option("auditor")
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Berikan|Grant")).click()
    expect(page.locator("table")).to_contain_text(person)
    expect(page.locator("tr", has_text=person).locator("form[action$='/invite']")).to_have_count(1)
    screenshot("accounts-invited")
    with page.expect_navigation():
        page.locator("nav li.right button[type=submit]").click()  # the admin signs out

    [message] = [m for m in outbox(tenant, "email") if m["recipient"] == person]
    link = re.findall(r"https?://\S+", message["body"])[0]
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    assert path.startswith("/invitation/")
    page.goto(base + path)
    expect(page.locator("main")).to_contain_text(person)
    page.locator("input[name=new]").fill(NEW)
    page.locator("input[name=confirm]").fill(NEW)
    screenshot("accounts-set-password")
    submit(page)
    assert page.url == f"{base}/login"
    expect(page.locator("p.flash")).to_be_visible()

    page.locator("input[name=email]").fill(person)
    page.locator("input[name=password]").fill(NEW)
    submit(page)
    expect(page.locator("nav li.right")).to_contain_text(person)
    with page.expect_navigation():
        page.locator("nav li.right button[type=submit]").click()
    expect(page.locator("nav li.right")).not_to_contain_text(person)
    assert page.goto(base + path).status == 400  # the invitation link worked once
