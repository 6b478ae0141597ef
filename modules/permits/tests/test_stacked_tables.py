"""Every table of the module's pages is one card per row on a phone (the core's ``table.stacked``),
each body cell named by its column's heading (``data-label``): the register and the queue lost their
headings at 360 px (issue 15). The permit's PDF (``permit.html``, printed on A4) is no page."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "permits"
PRINTED = {"permit.html"}
PAGES = sorted(p for p in TEMPLATES.glob("*.html") if p.name not in PRINTED and "<table" in p.read_text())


def test_the_module_has_list_pages():
    assert {"queue.html", "register.html", "reconciliation.html"} <= {p.name for p in PAGES}


@pytest.mark.parametrize("template", PAGES, ids=lambda p: p.name)
def test_each_table_is_stacked_and_each_cell_named_by_its_heading(template):
    for table in re.findall(r"<table\b.*?</table>", template.read_text(), flags=re.S):
        assert re.match(r'<table\b[^>]*\bclass="[^"]*\bstacked\b', table), table[:80]
        head, body = table.split("</thead>", 1)
        headings = re.findall(r"<th\b[^>]*>\{\{ _\(\"([^\"]+)\"\) \}\}</th>", head)
        cells = re.findall(r"<td\b([^>]*)>", body)
        labels = [re.search(r"data-label=\"\{\{ _\('([^']+)'\) \}\}\"", attrs) for attrs in cells]
        assert all(labels), (template.name, [a for a, m in zip(cells, labels) if not m])
        assert [m.group(1) for m in labels] == headings, template.name
