"""What the officer's queue page says (issue 20.6 and "Bad input", from a second trial): its dates
as Indonesia writes them, with the zone, in both languages; a bad page number or an impossible date
answered by the queue page itself, filters kept, the message beside its field and in the summary."""
from __future__ import annotations

import re

import pytest

from core.kit import db, tenant_scope
from modules.complaints import services

from .queue_common import file, in_table, officer  # noqa: F401  (officer: the fixture)

def test_the_queue_writes_dates_as_indonesia_does_with_the_zone(app, tenant, officer):
    from datetime import datetime, timezone

    filed = datetime(2026, 7, 14, 23, 30, tzinfo=timezone.utc)  # 15 July 07.30 in Makassar (WITA)
    with app.app_context(), tenant_scope(tenant):
        complaint, _key = services.file_complaint(tenant, None, services.Filing(
            category="SAMPAH", description="Sampah di selokan", notify_by="none"), "portal", now=filed)
        db.session.commit()
    base = f"/t/{tenant.slug}/complaints/queue?status=all"
    table = in_table(officer.get(base, headers={"Accept-Language": "id"}).get_data(as_text=True))
    assert "15 Jul 2026 07.30 WITA" in table and "15/07/26" not in table
    table = in_table(officer.get(base, headers={"Accept-Language": "en"}).get_data(as_text=True))
    assert "15 Jul 2026 07:30 WITA" in table and "7/15/26" not in table and " AM" not in table
    due = table.split('class="due"', 1)[1].split("</td>", 1)[0]
    assert re.search(r"\d{1,2} [A-Z][a-z]{2} \d{4} \d\d:\d\d WITA", due)  # the deadline too


def _problem(html: str) -> str:
    return html.split('id="queue-problem"', 1)[1].split("</div>", 1)[0]


@pytest.mark.parametrize("bad", ["0", "-1", "abc", "99999999999"])
def test_a_bad_page_number_answers_the_queue_with_its_filters_and_a_message(app, tenant, officer, bad):
    file(app, tenant, 1)
    args = {"page": bad, "category": "SAMPAH", "q": "pasar"}
    answer = officer.get(f"/t/{tenant.slug}/complaints/queue", query_string=args, headers={"Accept-Language": "id"})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 400 and 'id="queue-filters"' in html
    problem = _problem(html)
    assert "Halaman" in problem or "halaman" in problem, problem
    message = problem.split("<p>", 1)[1].split("</p>", 1)[0]
    assert "page:" not in html and "page" not in message
    assert re.search(r'<option value="SAMPAH" selected', html) and 'value="pasar"' in html  # filters kept
    first = re.search(r'id="queue-first-page"', problem) and re.search(r'href="([^"]+)" id="queue-first-page"', problem)
    assert first and "page=1" in first.group(1) and "category=SAMPAH" in first.group(1)
    english = officer.get(f"/t/{tenant.slug}/complaints/queue", query_string=args, headers={"Accept-Language": "en"})
    assert english.status_code == 400 and "There is no such page" in _problem(english.get_data(as_text=True))


@pytest.mark.parametrize("name, element", [("filed_from", "filter-from"), ("filed_to", "filter-to")])
def test_an_impossible_date_is_shown_beside_its_field(app, tenant, officer, name, element):
    file(app, tenant, 1)
    args = {name: "2026-13-45", "category": "SAMPAH", "status": "all"}
    answer = officer.get(f"/t/{tenant.slug}/complaints/queue", query_string=args, headers={"Accept-Language": "id"})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert f'href="#{element}"' in _problem(html)  # the summary links to the field
    beside = re.search(rf'<p class="error" id="{element}-err">([^<]+)</p>', html)
    assert beside and "YYYY-MM-DD" in beside.group(1) and name not in beside.group(1)
    assert re.search(rf'id="{element}" name="{name}" value="2026-13-45" aria-invalid="true"', html)
    assert re.search(r'<option value="SAMPAH" selected', html) and re.search(r'<option value="all" selected', html)
    assert "<details" in html and re.search(r'id="more-filters"\s+open', html)


def test_an_unknown_filter_value_is_named_beside_its_field(app, tenant, officer):
    file(app, tenant, 1)
    answer = officer.get(f"/t/{tenant.slug}/complaints/queue", query_string={"category": "NOPE"},
                         headers={"Accept-Language": "en"})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 400 and 'href="#filter-category"' in _problem(html)
    assert re.search(r'id="filter-category" name="category" aria-invalid="true"', html)
    assert 'id="filter-category-err">This category is not one of the list.</p>' in html


@pytest.mark.parametrize("value", ["maybe", "y", "true"])
def test_an_overdue_value_the_form_never_sends_is_a_named_400(app, tenant, officer, value):
    file(app, tenant, 1)
    base = f"/t/{tenant.slug}/complaints/queue"
    for good in ("1", ""):
        assert officer.get(base, query_string={"overdue": good}).status_code == 200
    answer = officer.get(base, query_string={"overdue": value}, headers={"Accept-Language": "en"})
    problem = _problem(answer.get_data(as_text=True))
    assert answer.status_code == 400 and 'href="#filter-overdue"' in problem and "Overdue only" in problem
    answer = officer.get(base, query_string={"unread": value}, headers={"Accept-Language": "en"})
    assert answer.status_code == 400 and 'href="#filter-unread"' in _problem(answer.get_data(as_text=True))
