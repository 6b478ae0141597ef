"""In Chromium: the landing page, entering a tenant by path and by host, switching language."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from core.testing import unique

pytestmark = pytest.mark.browser


def indonesian(message: str) -> str:
    """The core catalogue's Indonesian for ``message`` (the English itself while untranslated)."""
    from babel.support import Translations

    from core.i18n import CORE_TRANSLATIONS

    return Translations.load(str(CORE_TRANSLATIONS), ["id"]).gettext(message)


def test_landing_page_lists_the_tenant_and_its_link_enters_it_by_path(page, live_server, create_tenant, screenshot):
    tenant = create_tenant(kind="regency", branding={"primary_color": "#7a1f5c", "tagline": "Melayani sepenuh hati"})
    response = page.goto(live_server.url + "/")
    assert response.status == 200
    expect(page.locator("h1")).to_have_count(1)
    link = page.get_by_role("link", name=tenant.name, exact=True)
    expect(link).to_have_attribute("href", f"/t/{tenant.slug}/")
    screenshot("landing")

    link.click()
    page.wait_for_url(f"{live_server.url}/t/{tenant.slug}/")
    expect(page.locator("main h1")).to_have_text(tenant.name)
    expect(page.locator("footer.site")).to_contain_text("Melayani sepenuh hati")
    # links keep the prefix, and the tenant's colour reaches the page through branding.css
    expect(page.locator("a.brand")).to_have_attribute("href", f"/t/{tenant.slug}/")
    header_bg = page.locator("header.site").evaluate("el => getComputedStyle(el).backgroundColor")
    assert header_bg == "rgb(122, 31, 92)"
    screenshot("tenant-by-path")


def test_a_tenant_domain_enters_the_tenant_by_host(page, live_server, create_tenant):
    slug = unique("host")
    tenant = create_tenant(slug=slug, domains=[f"{slug}.localhost"])  # Chromium maps *.localhost to loopback
    other = create_tenant()
    response = page.goto(f"http://{slug}.localhost:{live_server.port}/")
    assert response.status == 200
    expect(page.locator("main h1")).to_have_text(tenant.name)
    assert other.name not in page.content()
    # on its own domain a tenant's links have no /t/<slug>/ prefix
    expect(page.locator("a.brand")).to_have_attribute("href", "/")
    expect(page.get_by_role("link", name=re.compile("^(Sign in|" + re.escape(indonesian("Sign in")) + ")$"))).to_have_attribute(
        "href", "/login"
    )
    # an unknown *.localhost host is the deployment's landing page, not a tenant
    page.goto(f"http://nobody-{slug}.localhost:{live_server.port}/")
    expect(page.get_by_role("link", name=tenant.name, exact=True)).to_have_attribute("href", f"/t/{slug}/")
    expect(page.locator("main h1")).not_to_have_text(tenant.name)


def test_switching_language_changes_the_page_language_and_sticks(page, live_server, create_tenant, screenshot):
    slug = unique("lang")
    create_tenant(slug=slug, domains=[f"{slug}.localhost"])
    host = f"{slug}.localhost"
    page.goto(f"http://{host}:{live_server.port}/")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "id")  # Indonesian first
    expect(page.locator("#locale")).to_have_value("id")
    expect(page.locator("#locale option[selected]")).to_have_attribute("value", "id")
    sign_in_id = indonesian("Sign in")
    expect(page.locator("nav li.right a")).to_have_text(sign_in_id)
    # the local time in Indonesian, with its zone (core.i18n.local_datetime)
    expect(page.locator("main")).to_contain_text(re.compile(r"(Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Minggu), .* WITA"))

    page.locator("#locale").select_option("en")
    with page.expect_navigation():
        page.locator("form.lang button[type=submit]").click()
    assert page.url == f"http://{host}:{live_server.port}/"  # back where the switch was made
    expect(html).to_have_attribute("lang", "en")
    expect(page.locator("#locale option[selected]")).to_have_attribute("value", "en")
    expect(page.locator("nav li.right a")).to_have_text("Sign in")
    expect(page.locator("main")).to_contain_text(
        re.compile(r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), .* WITA"))
    screenshot("tenant-in-english")

    page.goto(f"http://{host}:{live_server.port}/login")  # the choice is kept in the session
    expect(html).to_have_attribute("lang", "en")
    page.locator("#locale").select_option("id")
    with page.expect_navigation():
        page.locator("form.lang button[type=submit]").click()
    assert page.url.endswith("/login")
    expect(html).to_have_attribute("lang", "id")
