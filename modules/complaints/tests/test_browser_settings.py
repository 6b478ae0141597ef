"""In Chromium, on a 360 px phone, against the live server (CSRF on): a tenant admin edits the
complaints settings as a form (issue 19.3): a value out of range and a new row missing its names are
shown on their fields with nothing saved; corrected, they save. Enter in a field saves (it does not
add a row); "add a row" works without JavaScript."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from core.kit import db, tenant_scope
from core.testing import unique

from .test_browser import PHONE, fits_the_phone, sign_in

pytestmark = pytest.mark.browser


def _stored(tenant) -> dict:
    from core.tenancy.models import TenantModule

    with tenant_scope(tenant):
        db.session.expire_all()
        return db.session.execute(
            db.select(TenantModule.settings).where(TenantModule.module == "complaints")).scalar_one()


def test_settings_form_with_an_error_shown_and_corrected(app, page, live_server, make_tenant, create_user, screenshot):
    tenant = make_tenant()
    admin = create_user(tenant, "admin", email=f"{unique('admin')}@example.test")
    base = f"{live_server.url}/t/{tenant.slug}"
    page.set_viewport_size(PHONE)
    sign_in(page, base, admin)
    page.goto(f"{base}/admin/modules/complaints/settings")
    expect(page.locator("legend", has_text="Kategori pengaduan")).to_be_visible()  # a label, not "categories"
    assert fits_the_phone(page)

    with page.expect_navigation():  # "add a row": one more empty row, nothing saved
        page.locator("button[name=_add_row][value=categories]").click()
    expect(page.locator("input[name='categories.3.code']")).to_have_count(1)

    page.locator("input[name=reopen_days]").fill("99")
    page.locator("input[name='categories.2.code']").fill("BANJIR")
    page.locator("select[name='categories.2.agency']").select_option("PU")
    with page.expect_navigation():
        page.locator("input[name=reopen_days]").press("Enter")  # Enter saves
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(page.locator("#e-reopen_days")).to_contain_text("90")  # the limit named
    expect(page.locator("#e-categories\\.2\\.name_id")).to_be_visible()
    expect(page.locator("#e-categories\\.2\\.name_en")).to_be_visible()
    expect(page.locator("input[name=reopen_days]")).to_have_value("99")  # what was typed, kept
    expect(page.locator("input[name='categories.2.code']")).to_have_value("BANJIR")
    assert fits_the_phone(page)
    screenshot("settings-form-errors")
    with app.app_context():
        assert _stored(tenant)["reopen_days"] == 7 and len(_stored(tenant)["categories"]) == 2  # nothing saved

    summary.locator("a[href='#s-reopen_days']").click()  # the summary leads to the field
    expect(page.locator("input[name=reopen_days]")).to_be_in_viewport()
    page.locator("input[name=reopen_days]").fill("30")
    page.locator("input[name='categories.2.name_id']").fill("Banjir")
    page.locator("input[name='categories.2.name_en']").fill("Flood")
    with page.expect_navigation():
        page.locator("form.settings-form button[name=save]:not(.default-submit)").click()
    assert page.url.split("#")[0] == f"{base}/admin/modules"
    expect(page.locator("p.flash")).to_be_visible()
    with app.app_context():
        settings = _stored(tenant)
    assert settings["reopen_days"] == 30
    assert settings["categories"][2] == {"code": "BANJIR", "name_id": "Banjir", "name_en": "Flood", "agency": "PU"}
