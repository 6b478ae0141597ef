"""The queue's rows made in Python (``queue_rows``) say what the template said with the ORM objects."""
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

from flask import g
from flask_babel import force_locale
from hypothesis import given, settings, strategies as st
from jinja2 import Environment

from modules.complaints import queue_rows
from modules.complaints.models import overdue_target

NOW = datetime(2026, 11, 30, 6, 0, tzinfo=timezone.utc)
TRUNCATE = Environment().from_string("{{ text|truncate(90) }}")
WORDS = st.lists(st.text(alphabet="abcdefghij ", min_size=0, max_size=30), max_size=12).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(WORDS)
def test_the_summary_is_jinjas_truncate(text):
    assert queue_rows.summary(text) == TRUNCATE.render(text=text)


def _row(**changes):
    base = dict(id=7, number="MKS-2026-000123", category_code="JALAN", agency_id=3, status="submitted",
                outcome="", assignee_id=None, escalation_level=0, unread_updates=0, confidential=False,
                anonymous=False, created_at=NOW - timedelta(days=2), response_due_at=NOW - timedelta(hours=1),
                followup_due_at=None, resolution_due_at=NOW + timedelta(days=5), paused_at=None,
                description="Jalan berlubang di depan pasar", photos=0)
    base.update(changes)
    return SimpleNamespace(**base)


def test_a_row_is_text_ready_to_print(app, create_tenant):
    tenant = create_tenant(timezone="Asia/Makassar")
    rows = [
        _row(),
        _row(id=8, number="MKS-2026-000124", status="assigned", assignee_id=5, unread_updates=2, confidential=True,
             photos=2),
        _row(id=9, number="MKS-2026-000125", status="closed", outcome="fixed", escalation_level=1),
        _row(id=10, number="MKS-2026-000126", paused_at=NOW - timedelta(days=1)),
    ]
    with app.test_request_context(f"/t/{tenant.slug}/"):
        g.tenant = tenant
        with force_locale("en"):
            built = queue_rows.build(rows, now=NOW, track_url=f"/t/x/complaints/track/{queue_rows.NUMBER}",
                                     cat_names={"JALAN": "Roads"}, unit_names={3: "Public works"},
                                     assignees={5: "Siti"})
    first, assigned, closed, paused = built
    assert first.href == "/t/x/complaints/track/MKS-2026-000123" and first.late  # the response target passed
    assert first.filed == "28 Nov 2026 14:00 WITA" and first.due == "30 Nov 2026 13:00 WITA"
    assert (first.category, first.agency, first.status_text, first.assignee) == ("Roads", "Public works", "Submitted", "")
    assert assigned.assignee == "Siti" and assigned.unread == "2 new" and assigned.photos == 2 and assigned.confidential
    assert assigned.due == "5 Dec 2026 14:00 WITA" and not assigned.late
    assert closed.outcome == "Fixed" and closed.escalation == 1 and closed.due == "" and not closed.late
    assert not paused.late  # the clock is stopped while the filer is asked
    assert [overdue_target(r, NOW) for r in rows] == ["response", "", "", ""]


def test_one_macro_writes_the_rows_for_the_table_and_the_phone_cards(app, create_tenant):
    """``queue_body(rows, choose)`` is the queue's only row markup (the stylesheet makes the cards of
    it); ``choose`` adds the bulk actions' tick box."""
    from flask import get_template_attribute
    from pathlib import Path

    tenant = create_tenant(timezone="Asia/Makassar")
    templates = Path(queue_rows.__file__).parent / "templates" / "complaints"
    assert "<tr class=" not in (templates / "queue.html").read_text()  # the page's rows: the macro's only
    assert (templates / "queue.html").read_text().count("queue_body(rows") == 1
    with app.test_request_context(f"/t/{tenant.slug}/"):
        g.tenant = tenant
        with force_locale("en"):
            built = queue_rows.build([_row(photos=2)], now=NOW, track_url=f"/t/x/complaints/track/{queue_rows.NUMBER}",
                                     cat_names={"JALAN": "Roads"}, unit_names={3: "Public works"}, assignees={})
            body = get_template_attribute("complaints/_queue_body.html", "queue_body")
            chosen, plain = str(body(built, True)), str(body(built, False))
    assert 'id="choose-MKS-2026-000123"' in chosen and 'name="numbers"' not in plain
    for html in (chosen, plain):
        assert html.count("<tr ") == 1 and 'href="/t/x/complaints/track/MKS-2026-000123"' in html
        assert 'data-label="Due" class="due">30 Nov 2026 13:00 WITA' in html and "📷 2" in html
