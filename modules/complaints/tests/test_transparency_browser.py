"""In Chromium on a 360 px phone: the transparency chart's month labels are legible (about 10 px or
more, none overlapping its neighbour, named months), times carry the tenant's zone, and the recent
complaints are cards within the screen."""
from __future__ import annotations

import re

import pytest

from core.kit import db, tenant_scope
from modules.complaints import services

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}


def test_the_chart_reads_on_a_phone(app, page, live_server, tenant, screenshot):
    with app.app_context(), tenant_scope(tenant):
        services.file_complaint(tenant, None, services.Filing(
            category="SAMPAH", description="Sampah di selokan", notify_by="none"), "portal")
        db.session.commit()
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/t/{tenant.slug}/complaints/transparency")
    labels = page.locator('svg.chart text[font-size="14"][fill="#333"]')
    assert labels.count() == 12
    boxes = [labels.nth(i).bounding_box() for i in range(12)]
    texts = [labels.nth(i).text_content() for i in range(12)]
    assert all(re.fullmatch(r"[A-Z][a-z]{2}", t) for t in texts), texts
    assert min(b["height"] for b in boxes) >= 9, boxes  # a 14-unit label drawn at 360 px
    for left, right in zip(boxes, boxes[1:]):
        assert left["x"] + left["width"] <= right["x"], (left, right)  # no label runs into the next
    chart = page.locator("svg.chart").bounding_box()
    assert chart["x"] >= 0 and chart["x"] + chart["width"] <= PHONE["width"]
    assert "WITA" in page.locator("#public-list").inner_text()
    # the recent complaints are cards on a phone, as the officer's queue (the issue 20 trial: a table
    # 715 px wide, the number broken over three lines)
    listed = page.locator("#public-list").bounding_box()
    assert listed["x"] >= 0 and listed["x"] + listed["width"] <= PHONE["width"], listed
    number = page.locator("#public-list a.number").first.bounding_box()
    assert number["height"] < 30, number  # one line
    assert page.locator("#public-list thead").is_hidden()
    screenshot("transparency-phone")
