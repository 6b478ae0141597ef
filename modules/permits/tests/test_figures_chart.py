"""The figures chart's months (a trial: its labels, "Mar 2026" at 10 units in a viewBox scaled to the
page's width, were 30 px on a desktop and 10 px on a 360 px phone): short month names in the
reader's language from the core's chart axis (``core.kit.month_axis``, as complaints' transparency
chart), the year with the first month and each January, at a size that reads on a phone."""
from __future__ import annotations

import re

import pytest

from core.kit import month_axis

from .test_browser import PHONE, fits_the_phone, sign_in

EN = {"Accept-Language": "en"}


def _chart(page: str) -> str:
    return page[page.index('<svg class="chart"'):page.index("</svg>")]


@pytest.mark.parametrize("headers, month", [({}, "Mar"), (EN, "Mar")])
def test_the_chart_names_its_months_shortly_in_the_readers_language(app, client, office, headers, month):
    tenant, _people, _ = office
    page = client.get(f"/t/{tenant.slug}/permits/figures", headers=headers).get_data(as_text=True)
    chart = _chart(page)
    texts = re.findall(r'<text [^>]*font-size="(\d+)"[^>]*>([^<]*)</text>', chart)
    assert (("14", month) in texts) and ("12", "2026") in texts, texts  # "Mar", the year under it
    assert not re.search(r"\b20\d\d-\d\d\b", chart) and "Mar 2026" not in [t for _, t in texts]
    assert all(int(size) >= 12 for size, _ in texts), texts
    assert 'viewBox="0 0 320 ' in chart  # about a phone's width: the sizes are what the phone shows


def test_the_axis_is_the_cores(app):
    from flask_babel import force_locale

    with app.test_request_context("/"):
        with force_locale("id"):
            assert month_axis(["2026-11", "2026-12", "2027-01", "2027-08"]) == [
                ("Nov", "2026"), ("Des", ""), ("Jan", "2027"), ("Agu", "")]
        assert month_axis(["2026-12"], "en") == [("Dec", "2026")]


# the chart's text as the phone shows it: the font's size on screen, and whether it lies inside the svg
CHART_TEXT = """() => { const svg = document.querySelector('svg.chart'); const box = svg.getBoundingClientRect();
  const scale = box.width / svg.viewBox.baseVal.width;
  return [...svg.querySelectorAll('text')].map(t => { const r = t.getBoundingClientRect();
    return {text: t.textContent, px: parseFloat(t.getAttribute('font-size')) * scale,
            inside: r.left >= box.left - 0.5 && r.right <= box.right + 0.5}; }); }"""


@pytest.mark.browser
@pytest.mark.parametrize("viewport, low, high", [(PHONE, 12, 16), ({"width": 1280, "height": 900}, 12, 20)])
def test_the_chart_text_reads_on_a_phone_and_a_desktop(browser, live_server, office, viewport, low, high):
    tenant, people, _ = office
    page = browser.new_context(locale="id-ID", viewport=viewport).new_page()
    sign_in(page, f"{live_server.url}/t/{tenant.slug}", people["admin"])
    page.goto(f"{live_server.url}/t/{tenant.slug}/permits/figures")
    texts = page.evaluate(CHART_TEXT)
    assert "Mar" in [t["text"] for t in texts], texts
    wrong = [t for t in texts if not low <= t["px"] <= high or not t["inside"]]
    assert wrong == [], wrong
    if viewport is PHONE:
        assert fits_the_phone(page)
    page.context.close()
