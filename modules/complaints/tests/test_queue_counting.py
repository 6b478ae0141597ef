"""What a queue page costs, whatever the plan (issue 11.4, issue 20.2): the page's rows in one
statement, the total counted in one more only when the page does not show where the list ends, and
the same statements for a list of two pages as for one of twenty; the total is right either way. And
the keyword condition PostgreSQL estimates at one half (queue.py) finds the same rows as a plain one,
those whose words begin with every word asked for."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st
from core.kit import db, tenant_scope
from core.testing import sql_statements
from modules.complaints import queue, services
from modules.complaints.models import Complaint
from modules.complaints.words import matching, query_words, words_of


def file(app, tenant, n: int, description="Tumpukan sampah di pasar"):
    with app.app_context(), tenant_scope(tenant):
        for i in range(n):
            services.file_complaint(tenant, None, services.Filing(
                category="SAMPAH", description=f"{description} nomor {i}"), "portal")
        db.session.commit()


# what a page costs in statements: the transaction's settings (RLS, the plan for its tenant) aside
SETTINGS = ("SAVEPOINT", "RELEASE", "ROLLBACK", "SELECT SET_CONFIG", "SELECT CURRENT_USER", "SET LOCAL")


def statements(app, run) -> tuple[list[str], object]:
    with sql_statements(app, ignore=SETTINGS) as seen, app.app_context():
        result = run()
    return list(seen), result


def _search(tenant, page=1, **kw):
    return lambda: queue.search(tenant, status="all", per_page=5, page=page, count=True, clamp=True, **kw)


def test_a_list_that_fits_its_page_is_not_counted_again(app, tenant):
    file(app, tenant, 3)
    seen, got = statements(app, _search(tenant))
    assert len(seen) == 1 and "count(" not in seen[0].lower()
    assert (got.total, got.pages, got.has_next, len(got.items)) == (3, 1, False, 3)


def test_two_pages_or_twenty_cost_the_same_statements(app, tenant):
    file(app, tenant, 12)
    few, got = statements(app, _search(tenant))
    assert (got.total, got.pages, got.has_next) == (12, 3, True)
    file(app, tenant, 88)
    many, got = statements(app, _search(tenant))
    assert (got.total, got.pages, got.has_next) == (100, 20, True)
    assert len(few) == len(many) == 2
    # the last page shows where the list ends: its total needs no count, and is the same
    last, got = statements(app, _search(tenant, page=20))
    assert len(last) == 1 and (got.total, got.pages, len(got.items), got.has_next) == (100, 20, 5, False)
    # a page past the end is counted and clamped to the last
    past, got = statements(app, _search(tenant, page=25))
    assert (got.page, got.clamped, got.total, len(got.items)) == (20, True, 100, 5)
    assert len(past) == 3


def test_an_empty_first_page_counts_nothing(app, tenant):
    """A word search asks first how common its words are (``words.rare_words``, one statement on
    the word index), then reads its page; an empty first page is not counted."""
    file(app, tenant, 2)
    seen, got = statements(app, _search(tenant, q="kambing"))
    assert len(seen) == 2 and (got.total, got.pages, got.items) == (0, 1, [])
    assert "complaint_words" in seen[0] and "complaints." not in seen[0].split("FROM", 1)[0]


WORDS = ["sampah", "samp", "ampah", "pasar", "got", "nomor", "1", "100", "%", "_", "\\", "SAMPAH", "tumpukan",
         "gang_1", "Mampet"]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=3))
def test_the_keyword_condition_finds_exactly_the_word_start_rows(app, tenant, words):
    """``coalesce(id IN (...), false)`` (estimated at one half on PostgreSQL) is the same filter as
    the plain ``words.matching``, and both find exactly the complaints where every query word
    begins a word of the number or description (worked out here in Python), wildcards included."""
    with app.app_context(), tenant_scope(tenant):
        if not db.session.execute(db.select(db.func.count()).select_from(Complaint)).scalar_one():
            for i, text_ in enumerate(["Tumpukan sampah di pasar", "Got mampet 100% di gang_1",
                                       "Jalan rusak \\ berlubang", "SAMPAH lagi nomor 1"]):
                services.file_complaint(tenant, None, services.Filing(category="SAMPAH", description=text_), "portal")
            db.session.commit()
        q = " ".join(words)
        wanted = query_words(q)
        rows = db.session.execute(db.select(Complaint.id, Complaint.number, Complaint.description)).all()
        expected = {cid for cid, number, description in rows
                    if all(any(w.startswith(p) for w in words_of(number, description)) for p in wanted)}
        if wanted:
            got = {c.id for c in db.session.execute(db.select(Complaint).where(queue.keyword_condition(q))).scalars()}
            rare = {c.id for c in db.session.execute(  # a rare word's condition is left plain: the same rows
                db.select(Complaint).where(queue.keyword_condition(q, set(wanted[:1])))).scalars()}
            assert rare == got
            plain = {c.id for c in db.session.execute(db.select(Complaint).where(matching(q))).scalars()}
        else:  # nothing to look for ("%", "1"): no condition, every complaint listed
            assert queue.keyword_condition(q) is None and matching(q) is None
            got = plain = expected
        db.session.rollback()
    assert got == plain == expected
    if wanted and set(wanted) <= {"samp", "sampah"}:
        assert len(expected) == 2  # the prefix finds "sampah" and "SAMPAH"
    if wanted == ["ampah"]:
        assert not expected  # inside a word: not found


def test_the_queue_and_open311_list_plan_for_their_tenants_size(app, tenant, client):
    """On PostgreSQL both lists run with a plan for their own tenant (core.rls.custom_plans: their
    statements unprepared), not a generic one estimated for an average tenant, with no statement of
    its own (no ``SET LOCAL plan_cache_mode`` round trip); on SQLite nothing is asked."""
    from unittest import mock

    from core.rls import CUSTOM_PLANS

    file(app, tenant, 2)
    postgres = app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
    asked = []
    real = queue.custom_plans

    def spy(session):
        real(session)
        asked.append(session.connection().info.get(CUSTOM_PLANS, False))

    with mock.patch.object(queue, "custom_plans", spy), sql_statements(app) as seen, app.app_context():
        queue.search(tenant, status="all")
    assert asked == [postgres] and not [s for s in seen if "plan_cache_mode" in s]
    from modules.complaints import open311

    asked.clear()
    with mock.patch.object(open311, "custom_plans", spy), sql_statements(app) as seen:
        answer = client.get(f"/t/{tenant.slug}/open311/v2/requests.json")
    assert answer.status_code == 200 and len(answer.get_json()) == 2
    assert asked == [postgres] and not [s for s in seen if "plan_cache_mode" in s]
