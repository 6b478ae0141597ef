"""The OSS-RBA report on a 360 px phone: its table becomes one card per row (core's
``table.stacked``), each cell labelled, so no column runs off the screen (as a five-column table it
was 484 px wide in a 328 px column)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from core.documents import certs
from core.kit import db

from .. import issuance
from .conftest import user_actor
from .test_browser import PHONE, fits_the_phone, sign_in

pytestmark = pytest.mark.browser


def test_the_oss_report_reads_as_cards_on_a_phone(browser, live_server, office):
    tenant, people, _ = office
    admin = browser.new_context(locale="id-ID", viewport=PHONE).new_page()
    sign_in(admin, f"{live_server.url}/t/{tenant.slug}", people["admin"])
    admin.goto(f"{live_server.url}/t/{tenant.slug}/permits/oss-report?date_from=2026-03-01&date_to=2026-03-31")
    table = admin.locator("table#oss-report")
    expect(table).to_contain_text("Izin Reklame")
    admin.wait_for_load_state("load")
    width, room = table.evaluate("t => [t.scrollWidth, t.parentElement.clientWidth]")
    assert width <= room, (width, room)
    assert admin.locator("table#oss-report td[data-label]").nth(1).evaluate(
        "e => getComputedStyle(e, '::before').content") == '"Kode OSS: "'
    assert fits_the_phone(admin)
    admin.context.close()


def test_the_figures_read_as_cards_on_a_phone(browser, live_server, office):
    """The figures' seven columns ran off a 360 px phone: one card per month and type, as the OSS report."""
    tenant, people, _ = office
    admin = browser.new_context(locale="id-ID", viewport=PHONE).new_page()
    sign_in(admin, f"{live_server.url}/t/{tenant.slug}", people["admin"])
    admin.goto(f"{live_server.url}/t/{tenant.slug}/permits/figures")
    table = admin.locator("table#figures")
    expect(table).to_contain_text("Izin Reklame")
    admin.wait_for_load_state("load")
    width, room = table.evaluate("t => [t.scrollWidth, t.parentElement.clientWidth]")
    assert width <= room, (width, room)
    assert admin.locator("table#figures td[data-label]").nth(6).evaluate(
        "e => getComputedStyle(e, '::before').content").startswith('"Retribusi')
    assert fits_the_phone(admin)
    admin.context.close()


@pytest.mark.parametrize("path, table, cell, label", [
    ("register", "register", 2, '"Usaha: "'), ("queue", "queue", 2, '"Pemohon: "'),
    ("reconciliation", "reconciliation", 1, '"Izin: "')])
def test_every_list_of_the_module_keeps_its_headings_on_a_phone(app, browser, live_server, office, path, table,
                                                                cell, label):
    """The public register and the queue lost their column headings at 360 px (issue 15): one card
    per row, each cell named by its heading (the core's ``table.stacked``)."""
    tenant, people, aid = office
    if path == "register":   # the paid application's permit issued, so the register lists it
        with app.app_context():
            certs.ensure_tenant_cert(app.config["INSTANCE_DIR"], tenant)
            issuance.issue_permit(tenant, user_actor(people["officer"], tenant), aid)
            db.session.commit()
    page = browser.new_context(locale="id-ID", viewport=PHONE).new_page()
    sign_in(page, f"{live_server.url}/t/{tenant.slug}", people["admin"])
    page.goto(f"{live_server.url}/t/{tenant.slug}/permits/{path}")
    page.wait_for_load_state("load")
    rows = page.locator(f"table#{table} tbody tr")
    expect(rows.first).to_be_visible()
    assert page.locator(f"table#{table} thead").evaluate("t => t.getBoundingClientRect().height") <= 1
    assert page.locator(f"table#{table} tbody tr").first.locator("td").nth(cell).evaluate(
        "e => getComputedStyle(e, '::before').content") == label
    assert fits_the_phone(page)
    page.context.close()
