"""In Chromium: the API documentation page (Swagger UI served by the app) shows the tenant's
operations, under the app's own Content-Security-Policy, with no request leaving the app."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_docs_page_renders_the_tenants_operations(page, live_server, create_tenant, screenshot, monkeypatch):
    from modules.complaints.tests.conftest import AGENCIES, DISTRICTS, SETTINGS, with_chat_secret

    tenant = with_chat_secret(create_tenant, monkeypatch)(modules={"complaints": SETTINGS}, agencies=AGENCIES, districts=DISTRICTS)
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


def test_try_it_out_calls_the_pages_own_origin(page, live_server, create_tenant):
    """On the path address, "Try it out" sends the request to this same origin and base (the
    document's first server), so the page's CSP lets it through and an answer comes back."""
    tenant = create_tenant(modules={})
    sent, problems = [], []
    page.on("request", lambda r: sent.append(r.url) if "/api/v1/tenant" in r.url else None)
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" and "401" not in m.text else None)
    page.goto(f"{live_server.url}/t/{tenant.slug}/api/v1/docs")
    servers = page.locator(".servers select")
    expect(servers).to_have_value(f"/t/{tenant.slug}", timeout=15000)
    page.locator(".opblock-summary-path", has_text="/api/v1/tenant").first.click()
    opened = page.locator(".opblock", has_text="/api/v1/tenant").first
    opened.locator(".try-out__btn").click()
    opened.locator(".execute").click()
    expect(opened.locator(".live-responses-table tbody .response-col_status").first).to_contain_text("401", timeout=15000)
    assert sent == [f"{live_server.url}/t/{tenant.slug}/api/v1/tenant"], sent
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p or "Failed to fetch" in p], problems
