"""The figures per agency on a 360 px phone (trial t14 defect 5): no number is broken across lines
("0," over "0"); the long label beside it wraps instead, and the page fits the phone."""
from __future__ import annotations

import pytest

from core.kit import tenant_scope

from .helpers import signed
from .test_browser import PHONE, fits_the_phone, session

pytestmark = pytest.mark.browser

# the number of lines each figure's text takes (one rectangle per line of a text node)
LINES = """() => [...document.querySelectorAll('#figures dd')].map(dd => {
  const range = document.createRange(); range.selectNodeContents(dd);
  return [dd.textContent.trim(), new Set([...range.getClientRects()].map(r => Math.round(r.top))).size];
})"""


def test_no_figure_breaks_on_a_phone(app, browser, live_server, office, screenshot):
    tenant, people = office
    with app.app_context(), tenant_scope(tenant):
        signed(tenant, people)
    page = session(browser, f"{live_server.url}/t/{tenant.slug}", people.auditor, phone=True)
    page.goto(f"{live_server.url}/t/{tenant.slug}/eoffice/figures")
    figures = page.evaluate(LINES)
    assert any("," in text for text, _lines in figures)  # the average, a decimal ("0,0") is among them
    assert figures and all(lines == 1 for _text, lines in figures), figures
    assert page.viewport_size == PHONE and fits_the_phone(page)
    screenshot("eoffice-figures-phone", of=page)
