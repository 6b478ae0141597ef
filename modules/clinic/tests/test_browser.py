"""In Chromium against the live server (CSRF on): a patient takes a number on a 360 px phone and
sees it on the status page; the desk, on a tablet with JavaScript turned off, calls it by button;
the board (meta refresh, no JavaScript) shows it called."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from core.testing import PASSWORD

from .fixtures import DESK_A, NIK_A, SETTINGS

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}


# how many lines each value of the status card takes (its text's boxes, by their top)
LINES_OF_EACH_VALUE = """() => [...document.querySelectorAll('.ticket dd')].map(dd => {
  const range = document.createRange(); range.selectNodeContents(dd);
  return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size; })"""


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_phone_registration_desk_call_and_board(app, browser, live_server, create_tenant, create_user, frozen_clock,
                                               screenshot):
    with app.app_context():
        tenant = create_tenant(modules={"clinic": SETTINGS})
        desk_email = create_user(tenant, role="officer", agency="DLH", email=DESK_A)
    base = f"{live_server.url}/t/{tenant.slug}"

    phone = browser.new_context(locale="id-ID", viewport=PHONE).new_page()
    phone.goto(f"{base}/clinic/register")
    phone.locator("select[name=place]").select_option("PKM-A/UMUM")
    phone.locator("input[name=day]").fill("2026-03-02")
    phone.locator("input[name=nik]").fill(NIK_A)
    phone.locator("input[name=name]").fill("Andi Baso")
    assert fits(phone)
    with phone.expect_navigation():
        phone.locator("main form button[type=submit]").click()
    expect(phone.locator(".ticket .number")).to_have_text("A-001")
    expect(phone.locator(".ticket")).to_contain_text("Terdaftar")
    assert fits(phone)
    assert phone.evaluate(LINES_OF_EACH_VALUE) == [1] * phone.locator(".ticket dd").count()  # no word broken
    screenshot("clinic-status-phone", of=phone)

    tablet = browser.new_context(locale="id-ID", viewport={"width": 800, "height": 1280},
                                 java_script_enabled=False).new_page()
    tablet.goto(f"{base}/login")
    tablet.locator("input[name=email]").fill(desk_email)
    tablet.locator("input[name=password]").fill(PASSWORD)
    with tablet.expect_navigation():
        tablet.locator("main form button[type=submit]").click()
    tablet.goto(f"{base}/clinic/desk/PKM-A/UMUM")
    expect(tablet.locator("#remaining")).to_have_text("1")
    with tablet.expect_navigation():
        tablet.get_by_role("button", name="Panggil berikutnya").click()
    expect(tablet.locator("main")).to_contain_text("Memanggil A-001.")
    expect(tablet.locator("#remaining")).to_have_text("0")
    with tablet.expect_navigation():
        tablet.get_by_role("button", name="Panggil ulang A-001").click()
    expect(tablet.locator("tr.s-called")).to_contain_text("×2")
    screenshot("clinic-desk", of=tablet)

    board = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 720},
                                java_script_enabled=False).new_page()
    board.goto(f"{base}/clinic/board/PKM-A")
    expect(board.locator(".board .poli").first.locator(".number")).to_have_text("A-001")
    assert board.locator("meta[http-equiv=refresh]").get_attribute("content") == "15"
    screenshot("clinic-board", of=board)

    phone.reload()
    expect(phone.locator(".ticket")).to_contain_text("Dipanggil")


def test_the_board_updates_live_by_server_sent_events(app, browser, live_server, create_tenant, frozen_clock,
                                                      screenshot, monkeypatch):
    from core.kit import db, tenant_scope

    from .. import queue
    from .fixtures import NIK_B, booked

    monkeypatch.setenv("PAMONG_CLINIC_BOARD_STREAM", "8")  # short streams: the browser reconnects
    with app.app_context():
        tenant = create_tenant(modules={"clinic": SETTINGS})
        booked(tenant)
        booked(tenant, nik=NIK_B)
    board = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 720}).new_page()
    board.goto(f"{live_server.url}/t/{tenant.slug}/clinic/board/PKM-A")
    expect(board.locator("#board-live")).to_be_visible()  # the first event arrived
    expect(board.locator(".board .poli").first.locator(".now")).to_have_text("—")
    board.evaluate("window.__same_page = true")  # gone if the page reloads
    with app.app_context(), tenant_scope(tenant):
        queue.call_next(tenant, None, "PKM-A", "UMUM")
        db.session.commit()
    expect(board.locator(".board .poli").first.locator(".number")).to_have_text("A-001", timeout=10_000)
    assert board.evaluate("window.__same_page === true")  # replaced by the event, not by a reload
    assert board.locator("meta[http-equiv=refresh]").count() == 0  # the polling fallback stays asleep
    screenshot("clinic-board-live", of=board)


def test_a_queue_number_on_the_board_is_never_broken_at_360_px(app, browser, live_server, create_tenant, frozen_clock):
    """Trial finding 14: two numbers called at once, "A-002" was cut after its hyphen on a phone."""
    from core.kit import db, tenant_scope

    from .. import queue
    from .fixtures import NIK_B, booked

    with app.app_context():
        tenant = create_tenant(modules={"clinic": SETTINGS})
        for nik in (NIK_A, NIK_B):
            booked(tenant, nik=nik)
        with tenant_scope(tenant):
            for _ in range(2):
                queue.call_next(tenant, None, "PKM-A", "UMUM")
            db.session.commit()
    board = browser.new_context(locale="id-ID", viewport=PHONE, java_script_enabled=False).new_page()
    board.goto(f"{live_server.url}/t/{tenant.slug}/clinic/board/PKM-A")
    numbers = board.locator(".board .poli").first.locator(".number")
    expect(numbers).to_have_count(2)
    lines = board.evaluate("""() => [...document.querySelectorAll('.board .number')].map(n => {
      const range = document.createRange(); range.selectNodeContents(n);
      return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size; })""")
    assert lines == [1, 1]
    assert fits(board)
