"""In Chromium on a 360 px phone, against the live server (CSRF on): an employee signs in, sees this
month's TPP with its breakdown without sideways scrolling, and sends an objection through the real
form; the personnel agency's run page shows the progress bar and the per-agency table."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from playwright.sync_api import expect

from core.kit import db
from core.testing import PASSWORD

from ..services import import_attendance, import_employees, run_month
from .helpers import MODULE, NIPS, SETTINGS, attendance_csv, employees_csv

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}


def sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def test_an_employee_reads_the_breakdown_on_a_phone_and_objects(app, page, live_server, create_tenant, create_user):
    tenant = create_tenant(modules={MODULE: SETTINGS}, locales=["id", "en"])
    andi = create_user(tenant, role="officer", agency="DLH")
    admin = create_user(tenant, role="admin")
    month = datetime.now(timezone.utc)
    with app.app_context():
        import_employees(tenant, "test", employees_csv((NIPS[0], "Andi Baso", "DLH", "JF-AHLI", andi)))
        day = f"{month:%Y-%m}-01T08:15:00+08:00"
        import_attendance(tenant, "test", attendance_csv((NIPS[0], day, "in")))
        run_month(tenant, "test", month.year, month.month)
        db.session.commit()
    base = f"{live_server.url}/t/{tenant.slug}"
    page.set_viewport_size(PHONE)
    sign_in(page, base, andi)
    page.goto(f"{base}/{MODULE}/")
    expect(page.locator("main h1")).to_have_text("TPP saya")
    expect(page.locator("dl.breakdown")).to_contain_text("Bagian kinerja")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.locator("#reason").fill("Saya dinas luar pada tanggal 1.")
    with page.expect_navigation():
        page.get_by_role("button", name="Kirim keberatan").click()
    expect(page.locator("body")).to_contain_text("Keberatan Anda sudah dikirim")

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1200, "height": 800})
    sign_in(page, base, admin)
    page.goto(f"{base}/{MODULE}/runs/{month.year}/{month.month}")
    expect(page.locator("progress")).to_have_attribute("value", "1")
    expect(page.locator("table")).to_contain_text("DLH")
