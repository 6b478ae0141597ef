"""In Chromium: the deployment operator signs in from the landing page, lands on the console, sees
the tenants, onboards one from a TOML file (a bad one first: its one-line error, nothing changed),
and signs out."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from core.testing import PASSWORD, unique

pytestmark = pytest.mark.browser

TOML = """slug = "{slug}"
name = "Kota {slug}"
kind = "{kind}"
timezone = "Asia/Makassar"
"""


def test_operator_signs_in_sees_tenants_onboards_one_and_signs_out(page, live_server, create_tenant, create_user,
                                                                   tmp_path, screenshot):
    tenant = create_tenant(modules={"notes": {}})
    operator = create_user(operator=True, email=f"{unique('op')}@example.test")
    base = live_server.url

    page.goto(f"{base}/")
    sign_in = page.locator("header nav li.right a")
    expect(sign_in).to_have_attribute("href", "/login")
    with page.expect_navigation():
        sign_in.click()
    page.locator("input[name=email]").fill(operator)
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.url == f"{base}/operator/"  # the operator lands on the console
    page.locator("input[name=q]").fill(tenant.slug)  # the tenants of the session's other tests too
    with page.expect_navigation():
        page.locator("form[role=search] button").click()

    expect(page.locator("header nav li.right")).to_contain_text(operator)  # who is signed in
    row = page.locator(f"#tenant-{tenant.slug}")
    expect(row).to_contain_text(tenant.name)
    expect(row.locator("li.module-enabled")).to_have_count(1)
    expect(row.locator(f'a[href="/t/{tenant.slug}/admin/"]')).to_have_count(1)  # into the tenant's admin
    expect(page.locator("#health-database strong.ok")).to_have_count(1)  # reachable
    screenshot("operator-console")

    slug = unique("br")
    bad = tmp_path / f"{slug}.toml"
    bad.write_text(TOML.format(slug=slug, kind="village"))
    page.locator("input[type=file]").set_input_files(str(bad))
    with page.expect_navigation():
        page.locator("form[action='/operator/tenants'] button[type=submit]").click()
    expect(page.locator("#upload-error")).to_contain_text(f"{slug}.toml: kind:")
    expect(page.locator(f"#tenant-{slug}")).to_have_count(0)  # nothing changed

    good = tmp_path / "good" / f"{slug}.toml"
    good.parent.mkdir()
    good.write_text(TOML.format(slug=slug, kind="city"))
    page.locator("input[type=file]").set_input_files(str(good))
    with page.expect_navigation():
        page.locator("form[action='/operator/tenants'] button[type=submit]").click()
    assert page.url == f"{base}/operator/?q={slug}"  # the new tenant's row
    expect(page.locator("p.flash")).to_contain_text(slug)
    expect(page.locator(f"#tenant-{slug}")).to_contain_text(f"Kota {slug}")

    with page.expect_navigation():
        page.locator("nav.submenu a[href='/operator/outbox']").click()
    expect(page.locator("table.outbox")).to_have_count(1)

    with page.expect_navigation():
        page.locator("header nav li.right button[type=submit]").click()
    expect(page.locator("header nav li.right a")).to_have_attribute("href", "/login")  # signed out
    page.goto(f"{base}/operator/")
    assert page.url == f"{base}/login?next=/operator/"
    screenshot("operator-signed-out")
