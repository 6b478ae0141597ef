"""The officer's queue at 200+ items (issue 20.2): counted, numbered pages that survive any page
number; keyword search with a hint when nothing is found; filters and allow-listed sorting with a
clear message for an unknown value. And lists that pay per page (issue 11.4): the same number of SQL
statements for 5 rows as for 50. Working the queue (assignee, bulk, templates): test_queue_work.py."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from core.kit import db, tenant_scope, utcnow
from core.testing import sql_statements
from modules.complaints import photos as photo_store
from modules.complaints import queue, queue_rows, services
from modules.complaints.models import Complaint, ComplaintPhoto

from .conftest import image_bytes
from .queue_common import file, in_table, move, officer, row  # noqa: F401  (officer: a fixture)


# -- pages -----------------------------------------------------------------------------------------

def test_the_queue_says_how_many_and_pages_by_number(app, tenant, officer):
    numbers = file(app, tenant, 3)
    page = officer.get(f"/t/{tenant.slug}/complaints/queue")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="queue-count"' in html
    assert re.search(r"\b3\b", html.split('id="queue-count"', 1)[1].split("</p>", 1)[0])
    assert all(n in in_table(html) for n in numbers)
    far = officer.get(f"/t/{tenant.slug}/complaints/queue?page=10000")  # past the last: the last page
    assert far.status_code == 200 and all(n in in_table(far.get_data(as_text=True)) for n in numbers)
    for bad in ("0", "-1", "abc", "1.5", "99999999999"):
        answer = officer.get(f"/t/{tenant.slug}/complaints/queue?page={bad}")
        assert answer.status_code == 400, bad
    assert officer.get(f"/t/{tenant.slug}/complaints/queue?page=%00").status_code in (200, 400)  # cleaned away


def test_page_numbers_are_a_numbered_pager(app, tenant, make_tenant):
    file(app, make_tenant(), 4)  # another tenant's complaints are not counted
    numbers = file(app, tenant, 7)
    with app.app_context():
        first = queue.search(tenant, status="open", per_page=3, count=True)
        last = queue.search(tenant, status="open", per_page=3, page=99, count=True, clamp=True)
    assert (first.total, first.pages, first.has_next) == (7, 3, True)
    assert (last.page, last.clamped, len(last.items), last.has_next) == (3, True, 1, False)
    assert {c.number for c in first.items} | {c.number for c in last.items} <= set(numbers)


_FILED: set = set()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(page=st.integers(min_value=1, max_value=1_000_000), per_page=st.integers(min_value=1, max_value=12))
def test_any_page_number_gives_a_valid_page(app, tenant, page, per_page):
    if tenant.slug not in _FILED:
        file(app, tenant, 5)
        _FILED.add(tenant.slug)
    with app.app_context():
        got = queue.search(tenant, status="all", per_page=per_page, page=page, count=True, clamp=True)
    assert 1 <= got.page <= got.pages == max(1, -(-got.total // per_page))
    assert got.page == min(page, got.pages)
    expected = min(per_page, got.total - (got.page - 1) * per_page)
    assert len(got.items) == expected and got.has_next == (got.page < got.pages)


# -- search ----------------------------------------------------------------------------------------

def test_keyword_search_looks_in_the_description_and_says_when_nothing_is_found(app, tenant, officer):
    rubbish = file(app, tenant, 1, description="Sampah menumpuk di depan Pasar Terong")[0]
    drain = file(app, tenant, 1, description="Saluran air tersumbat dedaunan")[0]
    base = f"/t/{tenant.slug}/complaints/queue"
    html = officer.get(base, query_string={"q": "SAMPAH"}).get_data(as_text=True)
    assert rubbish in in_table(html) and drain not in in_table(html)
    html = officer.get(base, query_string={"q": "pasar terong"}).get_data(as_text=True)  # every word, any order
    assert rubbish in in_table(html)
    html = officer.get(base, query_string={"q": "terong saluran"}).get_data(as_text=True)
    assert in_table(html) == ""
    empty = officer.get(base, query_string={"q": "banjir"})
    text = empty.get_data(as_text=True)
    assert empty.status_code == 200 and 'id="queue-empty"' in text and "banjir" in text.split('id="queue-empty"')[1]
    assert officer.get(base, query_string={"q": "100%_"}).status_code == 200  # LIKE's wildcards are text


def test_filters_narrow_the_queue(app, tenant, people, officer, user_of):
    market = file(app, tenant, 1, district="MRS", village="MRS-BTN")[0]
    elsewhere = file(app, tenant, 1, district="PNK")[0]
    old = file(app, tenant, 1)[0]
    with app.app_context(), tenant_scope(tenant):
        stale = services.get_by_number(tenant, old)
        stale.created_at = stale.response_due_at = stale.resolution_due_at = utcnow() - timedelta(days=40)
        db.session.commit()
    move(app, tenant, elsewhere, "verified")
    base = f"/t/{tenant.slug}/complaints/queue"

    def listed(**args):
        answer = officer.get(base, query_string=args)
        assert answer.status_code == 200, (args, answer.status_code)
        table = in_table(answer.get_data(as_text=True))
        return {n for n in (market, elsewhere, old) if n in table}

    assert listed(district="MRS") == {market}
    assert listed(village="MRS-BTN") == {market}
    assert listed(status="verified") == {elsewhere}
    assert listed(category="SAMPAH") == {market, elsewhere, old}
    assert listed(category="JALAN") == set()
    today = utcnow().date()
    assert listed(filed_from=(today - timedelta(days=2)).isoformat()) == {market, elsewhere}
    assert listed(filed_to=(today - timedelta(days=30)).isoformat()) == {old}
    assert listed(assignee="none") == {market, elsewhere, old}
    assert listed(assignee="me") == set()
    assert listed(overdue="1") == {old}
    first = in_table(officer.get(base, query_string={"sort": "-filed"}).get_data(as_text=True))
    assert first.index(old) > first.index(market)
    first = in_table(officer.get(base, query_string={"sort": "filed"}).get_data(as_text=True))
    assert first.index(old) < first.index(market)


@pytest.mark.parametrize("args", [
    {"category": "NOPE"}, {"district": "NOPE"}, {"village": "NOPE"}, {"status": "archived"},
    {"sort": "filer_phone"}, {"sort": "-password_hash"}, {"assignee": "someone"},
    {"filed_from": "2026-13-01"}, {"filed_from": "2026-11-30", "filed_to": "2026-11-01"},
])
def test_an_unknown_filter_value_is_a_clear_400(app, tenant, officer, args):
    file(app, tenant, 1)
    answer = officer.get(f"/t/{tenant.slug}/complaints/queue", query_string=args)
    assert answer.status_code == 400
    html = answer.get_data(as_text=True)
    assert "<form" in html or "<h1" in html


# -- per page, not per row (issue 11.4) --------------------------------------------------------------

def _statements(app, run) -> int:
    """How many statements ``run`` sends, leaving out the transaction's own (savepoints, the RLS setting)."""
    with sql_statements(app, ignore=("SAVEPOINT", "RELEASE", "ROLLBACK", "SELECT SET_CONFIG")) as seen:
        run()
    return seen.count


def test_a_list_page_costs_the_same_statements_for_5_and_50_rows(app, tenant, people, officer, user_of,
                                                                 token_for_tenant):
    numbers = file(app, tenant, 5)
    with app.app_context(), tenant_scope(tenant):
        for n in numbers[:2]:
            complaint = services.get_by_number(tenant, n)
            services.store_photos(tenant, complaint, [photo_store.check_photo(image_bytes(), 10**6)])
        db.session.commit()
    for n in numbers[:3]:
        move(app, tenant, n, "verified")
    token = token_for_tenant(tenant, "complaints:read")
    headers = {"Authorization": f"Bearer {token}"}
    base = f"/t/{tenant.slug}"

    def pages():
        officer.get(f"{base}/complaints/queue?status=all")
        assert officer.get(f"{base}/complaints/queue?status=all").status_code == 200
        api = app.test_client().get(f"{base}/api/v1/complaints/?per_page=100", headers=headers)
        assert api.status_code == 200  # warm, as the queue: the process keeps the token after its first use
        q = _statements(app, lambda: officer.get(f"{base}/complaints/queue?status=all"))
        a = _statements(app, lambda: app.test_client().get(f"{base}/api/v1/complaints/?per_page=100", headers=headers))
        return q, a

    few = pages()
    more = file(app, tenant, 45)
    with app.app_context(), tenant_scope(tenant):
        complaint = services.get_by_number(tenant, more[-1])
        services.store_photos(tenant, complaint, [photo_store.check_photo(image_bytes(), 10**6)])
        db.session.commit()
    for n in more[:10]:
        move(app, tenant, n, "verified")
    with app.app_context(), tenant_scope(tenant):
        assert db.session.execute(db.select(db.func.count()).select_from(Complaint)).scalar_one() == 50
    many = pages()
    assert many == few, (few, many)


def test_the_queue_does_not_decrypt_the_filers_contact(app, tenant):
    file(app, tenant, 2, name="Daeng Rani", phone="081234567890")
    with app.app_context():
        got = queue.search(tenant, status="all")
        from sqlalchemy import inspect

        assert all({"filer_name", "filer_phone", "filer_email"} <= inspect(c).unloaded for c in got.items)


def test_counting_stops_at_the_cap_and_says_more_than(app, tenant, officer, monkeypatch):
    numbers = file(app, tenant, 5)
    monkeypatch.setattr(queue, "COUNT_CAP", 3)
    with app.app_context():
        got = queue.search(tenant, status="all", per_page=2, count=True, clamp=True)
        far = queue.search(tenant, status="all", per_page=2, page=3, count=True, clamp=True)
    assert (got.total, got.capped, got.pages, got.has_next) == (3, True, 2, True)
    assert (far.page, len(far.items), far.has_next) == (3, 1, False)  # past the counted pages: still served
    html = officer.get(f"/t/{tenant.slug}/complaints/queue?status=all").get_data(as_text=True)
    assert 'id="queue-count"' in html and all(n in in_table(html) for n in numbers)


def test_a_keyword_search_is_counted_to_its_own_smaller_cap(app, tenant, officer, monkeypatch):
    """A keyword scan is the expensive count: counted to ``KEYWORD_COUNT_CAP``, with a hint to
    narrow it; a list without words keeps the larger cap and shows no hint."""
    numbers = file(app, tenant, 5)
    monkeypatch.setattr(queue, "COUNT_CAP", 4)
    monkeypatch.setattr(queue, "KEYWORD_COUNT_CAP", 2)
    with app.app_context():
        words = queue.search(tenant, status="all", q="sampah pasar", per_page=1, count=True, clamp=True)
        plain = queue.search(tenant, status="all", per_page=1, count=True, clamp=True)
        number = queue.search(tenant, status="all", q=numbers[0], per_page=1, count=True)
    assert (words.total, words.capped, words.keyword) == (2, True, True)
    assert (plain.total, plain.capped, plain.keyword) == (4, True, False)
    assert not number.keyword  # a tracking number keeps its exact meaning: not a keyword scan
    html = officer.get(f"/t/{tenant.slug}/complaints/queue?status=all&q=sampah").get_data(as_text=True)
    assert 'id="queue-narrow"' in html and 'id="queue-count"' in html
    assert "Tambahkan kata atau saringan untuk mempersempit pencarian." in html  # Indonesian first
    assert 'id="queue-narrow"' not in officer.get(f"/t/{tenant.slug}/complaints/queue?status=all").get_data(as_text=True)
    monkeypatch.setattr(queue, "KEYWORD_COUNT_CAP", 200)
    few = officer.get(f"/t/{tenant.slug}/complaints/queue?status=all&q=sampah").get_data(as_text=True)
    assert 'id="queue-narrow"' not in few and all(n in in_table(few) for n in numbers)


def test_a_queue_row_counts_its_visible_photos_only(app, tenant, officer):
    """The queue's rows count their photos in the rows' own statement (``queue_rows.PHOTOS``), and
    only those an officer sees: a photo hidden by a redaction is not counted (as ``photo_counts``)."""
    shown, hidden_only, none = file(app, tenant, 3)
    with app.app_context(), tenant_scope(tenant):
        for number, n in ((shown, 3), (hidden_only, 1)):
            complaint = services.get_by_number(tenant, number)
            services.store_photos(tenant, complaint, [photo_store.check_photo(image_bytes(), 10**6)] * n)
        db.session.flush()
        for number in (shown, hidden_only):
            photo = db.session.execute(db.select(ComplaintPhoto).join(ComplaintPhoto.complaint)
                                       .where(Complaint.number == number).limit(1)).scalar_one()
            photo.hidden = True
        db.session.commit()
    with app.app_context():
        page = queue.search(tenant, status="all", columns=queue_rows.COLUMNS)
        counted = {r.number: r.photos for r in page.items}
        complaints = queue.search(tenant, status="all").items
        by_id = queue.photo_counts(tenant, complaints)
        assert {c.number: by_id.get(c.id, 0) for c in complaints} == counted == {shown: 2, hidden_only: 0, none: 0}
    with sql_statements(app) as seen:
        html = officer.get(f"/t/{tenant.slug}/complaints/queue?status=all").get_data(as_text=True)
    assert not [s for s in seen if "complaint_photos" in s and "complaints.id" not in s]  # no statement of its own
    assert html.count('class="photo-count"') == 1 and "📷 2" in in_table(html)
