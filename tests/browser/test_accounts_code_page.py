"""In Chromium (second accounts trial): a phone-only citizen who signs in before confirming lands on
the code page with a message saying why and when a new code can be asked, and its "send the code
again" answers; the admin's "withdraw" opens the question at an address without a bare "?"."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from core.testing import unique
from tests.browser.test_admin_enables_module import sign_in

pytestmark = pytest.mark.browser
NEW = "a-long-new-password-19"


def test_unconfirmed_phone_account_sees_why_and_can_ask_again(browser, live_server, create_tenant, outbox):
    tenant = create_tenant(accounts={"self_registration": True}, locales=["id", "en"])
    base = f"{live_server.url}/t/{tenant.slug}"
    context = browser.new_context(locale="en-GB", viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        page.goto(f"{base}/register")
        expect(page.locator("label[for=email]")).to_contain_text("(")  # marked optional, in either language
        page.locator("input[name=name]").fill("Daeng")
        page.locator("input[name=phone]").fill("0812-3456-7831")
        page.locator("input[name=password]").fill(NEW)
        page.locator("input[name=confirm]").fill(NEW)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        assert "/register/verify-sms/" in page.url
        page.goto(f"{base}/login")
        page.locator("input[name=email]").fill("081234567831")
        page.locator("input[name=password]").fill(NEW)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        assert "/register/verify-sms/" in page.url
        expect(page.locator("p.flash")).to_be_visible()
        expect(page.locator("p.flash")).to_contain_text(re.compile("5"))
        with page.expect_navigation():
            page.locator("#resend-code").click()
        assert "/register/verify-sms/" in page.url
        expect(page.locator("p.flash")).to_contain_text(re.compile("5"))
        assert len(outbox(tenant, "sms")) == 1  # one code: asked again within 5 min
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        context.close()


def test_withdraw_opens_the_question_without_a_bare_question_mark(page, live_server, create_tenant, create_user):
    tenant = create_tenant()
    admin = create_user(tenant, "admin", email=f"{unique('admin')}@example.test")
    person = create_user(tenant, "auditor", email=f"{unique('auditor')}@example.test")
    base = f"{live_server.url}/t/{tenant.slug}"
    sign_in(page, base, admin)
    page.goto(f"{base}/admin/users")
    with page.expect_navigation():
        page.locator("tr", has_text=person).locator("a[href$='/revoke']").click()
    assert page.url.endswith("/revoke") and "?" not in page.url
    expect(page.locator("#revoke-question")).to_contain_text(person)
