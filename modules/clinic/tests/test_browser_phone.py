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
