"""In Chromium at 360 px (brief cltrial, what a new-user trial found): the figures page's cards and
chart fit the phone's width and its chart text stays readable; the desk's buttons never break their
label across lines."""
from __future__ import annotations

import copy

import pytest

from .. import demo
from .test_demo import makassar_settings

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}
LONG_NAME = "Puskesmas Pembantu Barombong Kecamatan Tamalate"

# the chart's text as the phone shows it: the font's size on screen, and whether it lies inside the svg
CHART_TEXT = """() => { const svg = document.querySelector('svg.chart'); const box = svg.getBoundingClientRect();
  const scale = box.width / svg.viewBox.baseVal.width;
  return [...svg.querySelectorAll('text')].map(t => { const r = t.getBoundingClientRect();
    return {text: t.textContent, px: parseFloat(t.getAttribute('font-size')) * scale,
            inside: r.left >= box.left - 0.5 && r.right <= box.right + 0.5}; }); }"""
OVERFLOWING_CARDS = """() => [...document.querySelectorAll('.figure-cards .card')]
  .filter(c => c.scrollWidth > c.clientWidth || c.getBoundingClientRect().right > window.innerWidth)
  .map(c => c.querySelector('h2').textContent)"""


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


@pytest.mark.parametrize("locale, month", [("id-ID", "Maret 2026"), ("en-US", "March 2026")])
def test_the_figures_page_reads_on_a_phone(app, browser, live_server, create_tenant, create_user, frozen_clock,
                                          screenshot, locale, month):
    settings = copy.deepcopy(makassar_settings())
    settings["clinics"][1]["name"] = LONG_NAME  # a label of two lines in the chart
    with app.app_context():
        tenant = create_tenant(modules={"clinic": settings}, locales=["id", "en"])
        create_user(tenant, role="officer", agency="DLH", email="officer@makassar.test")
        demo.seed(tenant)
    phone = browser.new_context(locale=locale, viewport=PHONE).new_page()
    phone.goto(f"{live_server.url}/t/{tenant.slug}/lang?locale={locale[:2]}&next=/clinic/figures")
    phone.goto(f"{live_server.url}/t/{tenant.slug}/clinic/figures")
    assert phone.locator(".figure-cards .card").count() == 5
    assert fits(phone), phone.evaluate("document.documentElement.scrollWidth")
    assert phone.evaluate(OVERFLOWING_CARDS) == []
    texts = phone.evaluate(CHART_TEXT)
    assert len(texts) >= 10 and "Puskesmas Pembantu Barombong" in [t["text"] for t in texts]  # wrapped
    small = [t for t in texts if t["px"] < 12 or not t["inside"]]
    assert small == [], small
    assert month in phone.locator("main > p").first.inner_text()  # the period with the month's name
    screenshot(f"clinic-figures-phone-{locale}", of=phone)


# each desk button's label as the phone shows it: how many lines its text takes, and the page's width
BUTTON_LINES = """() => [...document.querySelectorAll('.queue .actions button, button.big')].map(b => {
  const range = document.createRange(); range.selectNodeContents(b);
  const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
  const box = b.getBoundingClientRect();
  return {label: b.textContent.trim(), lines: tops.size, inside: box.right <= window.innerWidth}; })"""


def desk_on_phone(app, browser, live_server, create_tenant, create_user, locale, viewport=None):
    """The desk of Makassar's demo (PKM-KASSI, poli UMUM) at 09:00 in a 360 px Chromium, its officer
    logged in, in ``locale``."""
    from core.testing import PASSWORD

    with app.app_context():
        tenant = create_tenant(modules={"clinic": makassar_settings()}, locales=["id", "en"])
        email = create_user(tenant, role="officer", agency="DLH", email="officer@makassar.test")
        demo.seed(tenant)  # 09:00: three done, one called (call again, start, skip, absent), waiting (call)
    base = f"{live_server.url}/t/{tenant.slug}"
    phone = browser.new_context(locale="id-ID", viewport=viewport or PHONE).new_page()
    phone.goto(f"{base}/lang?locale={locale}&next=/login")
    phone.goto(f"{base}/login")
    phone.locator("input[name=email]").fill(email)
    phone.locator("input[name=password]").fill(PASSWORD)
    with phone.expect_navigation():
        phone.locator("main form button[type=submit]").click()
    phone.goto(f"{base}/clinic/desk/PKM-KASSI/UMUM")
    return phone


@pytest.mark.parametrize("locale", ["id", "en"])
def test_the_desk_buttons_keep_their_label_on_one_line(app, browser, live_server, create_tenant, create_user,
                                                      frozen_clock, screenshot, locale):
    phone = desk_on_phone(app, browser, live_server, create_tenant, create_user, locale)
    buttons = phone.evaluate(BUTTON_LINES)
    labels = " ".join(b["label"] for b in buttons)
    for word in {"id": ("Panggil ulang A-004", "Lewati A-004", "Tidak hadir A-004", "Panggil A-005"),
                 "en": ("Call again A-004", "Skip A-004", "Absent A-004", "Call A-005")}[locale]:
        assert word in labels, labels
    broken = [b for b in buttons if b["lines"] != 1 or not b["inside"]]
    assert broken == [], broken
    assert fits(phone), phone.evaluate("document.documentElement.scrollWidth")
    screenshot(f"clinic-desk-phone-{locale}", of=phone)


# each waiting patient's estimate as the phone shows it, and every element wider than the screen
ESTIMATES = """() => [...document.querySelectorAll('.desk-queue tr.s-booked, .desk-queue tr.s-waiting')].map(tr => {
  const cell = tr.querySelector('.estimate'); const box = cell ? cell.getBoundingClientRect() : null;
  return {number: tr.cells[0].textContent.trim(), text: cell ? cell.innerText.trim() : '',
          shown: !!box && box.width > 0 && box.height > 0 && box.left >= 0 && box.right <= window.innerWidth
                 && cell.scrollWidth <= cell.clientWidth}; })"""
TOO_WIDE = """() => [...document.body.querySelectorAll('*')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
  .map(e => e.tagName + '.' + e.className)"""


@pytest.mark.parametrize("locale, label, time", [("id", "Perkiraan dilayani", r"\d\d\.\d\d WITA"),
                                                 ("en", "Estimated time", r"\d\d:\d\d WITA")])
def test_the_desk_shows_each_waiting_patients_estimate_on_a_phone(app, browser, live_server, create_tenant,
                                                                  create_user, frozen_clock, screenshot,
                                                                  locale, label, time):
    import re

    phone = desk_on_phone(app, browser, live_server, create_tenant, create_user, locale)
    rows = phone.evaluate(ESTIMATES)
    assert len(rows) >= 3, rows  # two checked in, the rest booked
    hidden = [r for r in rows if not r["shown"] or not re.fullmatch(rf"{label}: {time}", r["text"])]
    assert hidden == [], hidden
    assert phone.evaluate(TOO_WIDE) == []
    assert fits(phone), phone.evaluate("document.documentElement.scrollWidth")
    screenshot(f"clinic-desk-estimates-phone-{locale}", of=phone)


@pytest.mark.parametrize("locale, saved", [("id", "NIK dr. Satu telah disimpan."), ("en", "The NIK of dr. Satu was kept.")])
def test_the_practitioners_nik_page_on_a_phone_without_javascript(app, browser, live_server, create_tenant,
                                                                  create_user, frozen_clock, screenshot,
                                                                  locale, saved):
    """The tenant admin sets a practitioner's NIK at 360 px with JavaScript off: a wrong NIK comes back
    beside its field, a right one is kept and shown masked; nothing wider than the screen."""
    from core.testing import PASSWORD

    from .fixtures import SETTINGS

    with app.app_context():
        tenant = create_tenant(modules={"clinic": SETTINGS}, locales=["id", "en"])
        email = create_user(tenant, role="admin")
    base = f"{live_server.url}/t/{tenant.slug}"
    phone = browser.new_context(locale="id-ID", viewport=PHONE, java_script_enabled=False).new_page()
    phone.goto(f"{base}/lang?locale={locale}&next=/login")
    phone.goto(f"{base}/login")
    phone.locator("input[name=email]").fill(email)
    phone.locator("input[name=password]").fill(PASSWORD)
    with phone.expect_navigation():
        phone.locator("main form button[type=submit]").click()
    phone.goto(f"{base}/clinic/admin/practitioners/PKM-A/DR-A")
    phone.locator("input[name=nik]").fill("1234")
    with phone.expect_navigation():
        phone.locator("button[value=save]").click()
    assert phone.locator("#nik-err").count() == 1 and phone.locator(".error-summary").count() == 1
    assert phone.evaluate(TOO_WIDE) == [] and fits(phone)
    phone.locator("input[name=nik]").fill("7371 0155 0680 0004")
    with phone.expect_navigation():
        phone.locator("button[value=save]").click()
    text = phone.locator("main").inner_text()
    assert saved in text and "7371**********04" in text and "7371015506800004" not in phone.content()
    assert phone.evaluate(TOO_WIDE) == [] and fits(phone)
    screenshot(f"clinic-practitioners-nik-phone-{locale}", of=phone)


# the time column at 1280 px: each cell says whether it is an estimate or the time called (t17 defect 8)
TIMES = """() => [...document.querySelectorAll('.desk-queue tbody tr')].map(tr =>
  [tr.className, tr.querySelector('.estimate') ? tr.querySelector('.estimate').innerText.trim() : ''])"""


@pytest.mark.parametrize("locale, header, estimate, called", [("id", "Waktu", "Perkiraan dilayani", "Dipanggil pukul"),
                                                              ("en", "Time", "Estimated time", "Called at")])
def test_the_desk_on_a_wide_screen_says_which_time_each_row_shows(app, browser, live_server, create_tenant,
                                                                  create_user, frozen_clock, locale, header,
                                                                  estimate, called):
    wide = desk_on_phone(app, browser, live_server, create_tenant, create_user, locale,
                         viewport={"width": 1280, "height": 800})
    assert wide.locator(".desk-queue thead th").nth(2).inner_text().strip() == header
    rows = wide.evaluate(TIMES)
    waiting = [text for kind, text in rows if kind in ("s-booked", "s-waiting", "s-skipped")]
    served = [text for kind, text in rows if kind in ("s-called", "s-serving", "s-done")]
    assert waiting and served, rows
    assert all(t.startswith(f"{estimate}: ") for t in waiting) and all(t.startswith(f"{called}: ") for t in served), rows
