"""In Chromium: the API documentation page (Swagger UI served by the app) shows the tenant's
operations, under the app's own Content-Security-Policy, with no request leaving the app."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_docs_page_renders_the_tenants_operations(page, live_server, create_tenant, screenshot):
    from modules.complaints.tests.conftest import AGENCIES, DISTRICTS, SETTINGS

    tenant = create_tenant(modules={"complaints": SETTINGS}, agencies=AGENCIES, districts=DISTRICTS)
    outside, problems = [], []
    page.on("request", lambda r: None if r.url.startswith(live_server.url) else outside.append(r.url))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(f"{live_server.url}/t/{tenant.slug}/")
    page.get_by_role("link", name="API").first.click()  # the footer's link, in either language
    page.wait_for_url(f"{live_server.url}/t/{tenant.slug}/api/v1/docs")
    expect(page.locator(".swagger-ui .opblock-summary-path").first).to_be_visible(timeout=15000)
    expect(page.locator(".swagger-ui")).to_contain_text("/api/v1/complaints/{number}/status")
    expect(page.locator(".swagger-ui")).to_contain_text("File a complaint")
    page.locator(".opblock-summary-path", has_text="/api/v1/tenant").first.click()
    opened = page.locator(".opblock", has_text="/api/v1/tenant").first  # its answer's schema, as an example
    expect(opened.locator(".response", has_text="200").first).to_contain_text('"timezone"')
    screenshot("api-docs")
    assert outside == [], outside
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
