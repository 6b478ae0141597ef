"""The queue's keyword search by word start on the word index (words.py; issue 20.2, issue 11):
what it finds through the officer's page, the words kept with every change of a complaint's text,
another tenant's words never matching, the repair command, and the migration's backfill."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import create_engine, inspect, text

from core.kit import db, tenant_scope
from modules.complaints import queue, queue_rows, redaction, services, words
from modules.complaints.models import Complaint
from modules.complaints.words import ComplaintWord

from .queue_common import file, in_table, officer  # noqa: F401  (officer: a fixture)

TEXTS = ["Tumpukan sampah di pasar sejak tiga hari", "Truk sampah tidak lewat minggu ini",
         "Banjir setinggi lutut di Jl. Veteran", "Kambing lepas, merusak taman kota"]


def _file_texts(app, tenant):
    numbers = []
    for description in TEXTS:
        numbers += file(app, tenant, description=description)
    return dict(zip(TEXTS, numbers))


def _listed(officer, tenant, q):  # noqa: F811
    html = officer.get(f"/t/{tenant.slug}/complaints/queue", query_string={"status": "all", "q": q})
    assert html.status_code == 200
    return in_table(html.get_data(as_text=True))


def test_the_queue_finds_complaints_by_the_start_of_their_words(app, tenant, officer):  # noqa: F811
    by_text = _file_texts(app, tenant)
    rubbish, truck, flood, goat = (by_text[t] for t in TEXTS)
    found = _listed(officer, tenant, "samp")  # a prefix finds "sampah"
    assert rubbish in found and truck in found and flood not in found and goat not in found
    found = _listed(officer, tenant, "truk sampah")  # every word is needed
    assert truck in found and rubbish not in found
    found = _listed(officer, tenant, "SAMPAH, TRUK!")  # case and punctuation do not matter
    assert truck in found and rubbish not in found
    found = _listed(officer, tenant, "ampah")  # inside a word: not found (README: word start only)
    assert rubbish not in found and truck not in found
    assert flood in _listed(officer, tenant, "veteran banj") and goat not in _listed(officer, tenant, "veteran")


def test_words_are_kept_with_the_complaint_and_follow_a_redaction(app, tenant, people, user_of):
    (number,) = file(app, tenant, description="Banjir di gang, hubungi Pak Rahmat 081234567890")
    with app.app_context(), tenant_scope(tenant):
        complaint = services.get_by_number(tenant, number)
        kept = set(db.session.execute(db.select(ComplaintWord.word).where(
            ComplaintWord.complaint_id == complaint.id)).scalars())
        assert kept == set(words.words_of(number, complaint.description))
        assert {"banjir", "rahmat", "081234567890", number.split("-")[0].casefold()} <= kept
        redaction.redact_text(tenant, user_of(people["dlh"]), complaint, "description",
                              "Banjir di gang, hubungi [disamarkan]", "nomor telepon warga")
        db.session.commit()
    with app.app_context():
        assert [c.number for c in queue.search(tenant, status="all", q="rahmat").items] == []
        assert [c.number for c in queue.search(tenant, status="all", q="disamar").items] == [number]
        assert [c.number for c in queue.search(tenant, status="all", q="banjir gang").items] == [number]


def test_another_tenants_words_never_match(app, tenant, make_tenant):
    other = make_tenant()
    (theirs,) = file(app, other, description="Kambing lepas di pasar sentral")
    (ours,) = file(app, tenant, description="Tumpukan sampah di pasar")
    with app.app_context():
        assert [c.number for c in queue.search(tenant, status="all", q="kambing").items] == []
        assert [c.number for c in queue.search(tenant, status="all", q="pasar").items] == [ours]
        assert [c.number for c in queue.search(other, status="all", q="pasar kamb").items] == [theirs]
        with tenant_scope(tenant):  # the word rows themselves are scoped
            assert "kambing" not in set(db.session.execute(db.select(ComplaintWord.word)).scalars())


def test_rebuild_summary_rewrites_the_words(app, tenant):
    (number,) = file(app, tenant, description="Lampu jalan mati sepanjang gang")
    with app.app_context(), tenant_scope(tenant):  # as raw SQL around the ORM would leave it
        db.session.execute(db.delete(ComplaintWord).execution_options(synchronize_session=False))
        db.session.commit()
    with app.app_context():
        assert queue.search(tenant, status="all", q="lampu").items == []
    result = app.test_cli_runner().invoke(args=["complaints", "rebuild-summary", tenant.slug])
    assert result.exit_code == 0, result.output
    assert f"{tenant.slug}: 1 complaint(s) counted; the words of 1 complaint(s) rewritten" in result.output
    with app.app_context():
        assert [c.number for c in queue.search(tenant, status="all", q="lamp mati").items] == [number]


def test_words_of_folds_splits_and_caps():
    assert words.words_of("MKS-2026-000123", "Jalan RUSAK, jalan_berlubang; a 1 Straße") == [
        "mks", "2026", "000123", "jalan", "rusak", "berlubang", "strasse"]
    many = " ".join(f"kata{i}" for i in range(500))
    assert len(words.words_of("X-1", many)) == words.MAX_PER_COMPLAINT
    assert words.query_words("% _ \\ a") == []  # nothing to look for: no condition
    assert words.words_of("", "x" * 500) == ["x" * words.MAX_LEN]


FILED = datetime(2026, 5, 4, 1, 0, tzinfo=timezone.utc)


def test_the_migration_fills_the_words_of_every_tenant(database_before, scratch_url):
    """Revision 3ee0bca68847's backfill, tenant by tenant: on PostgreSQL as production's owner,
    held by Row Level Security (``each_tenant``); the words are those ``words.words_of`` gives."""
    old = database_before({"complaints": "d2a7c5e83f19"})
    tenants, texts = [], {"lama": "Sampah menumpuk di pasar", "lain": "Banjir di jalan raya"}
    with old.rows() as rows:
        for slug, description in texts.items():
            tid = rows.add("tenants", kind="city", parent_id=None, slug=slug, timezone="Asia/Makassar")
            rows.add("tenant_modules", tenant_id=tid, module="complaints", enabled=True, settings={})
            agency = rows.add("org_units", tenant_id=tid, kind="agency", code="PU", name="Dinas PU",
                              parent_id=None, active=True)
            rows.add("complaints", tenant_id=tid, agency_id=agency, number=f"{slug.upper()}-2026-000001",
                     description=description, category_code="JALAN", status="submitted", outcome="",
                     created_at=FILED, updated_at=FILED, response_due_at=FILED + timedelta(days=3),
                     resolution_due_at=FILED + timedelta(days=60), district_id=None, village_id=None,
                     duplicate_of_id=None, filer_user_id=None, assignee_id=None)
            tenants.append((tid, slug))
    old.upgrade(plain_owner=scratch_url.startswith("postgresql"))
    engine = create_engine(scratch_url)  # the tests' own login: reads every tenant's rows
    try:
        with engine.connect() as conn:
            for tid, slug in tenants:
                got = set(conn.execute(text("SELECT word FROM complaint_words WHERE tenant_id = :t"),
                                       {"t": tid}).scalars())
                assert got == set(words.words_of(f"{slug.upper()}-2026-000001", texts[slug]))
    finally:
        engine.dispose()
    old.downgrade()
    engine = create_engine(scratch_url)
    try:
        with engine.connect() as conn:
            assert "complaint_words" not in set(inspect(conn).get_table_names())
    finally:
        engine.dispose()


def test_common_and_rare_words_together_list_and_count_as_the_plain_conditions(app, tenant, monkeypatch):
    """With ``words.RARE`` lowered so that 'sampah' and 'pasar' are common here (asked row by row,
    ``words.probe``) and 'kambing' rare (read from the word index first), every query lists the same
    complaints in the same order, and counts the same total, as with every word rare (the plain
    ``complaint_id IN (...)`` conditions), and as worked out in Python from the words."""
    from core.testing import sql_statements

    file(app, tenant, 3, description="Sampah menumpuk di pasar")
    file(app, tenant, 2, description="Sampah dan kambing di pasar")
    file(app, tenant, 2, description="Kambing lepas di taman")
    file(app, tenant, 2, description="Truk sampah tidak lewat")

    def pages(q):  # as complaints, and as the officer's queue reads them (its columns: page and count shared)
        with app.app_context():
            found = [queue.search(tenant, status="all", q=q, per_page=2, page=n, count=True) for n in range(1, 6)]
            rows = [queue.search(tenant, status="all", q=q, per_page=2, page=n, count=True,
                                 columns=queue_rows.COLUMNS) for n in range(1, 6)]
        listed = [([c.number for c in p.items], p.total, p.capped, p.has_next) for p in found]
        assert [([r.number for r in p.items], p.total, p.capped, p.has_next) for p in rows] == listed
        return listed

    queries = ["sampah kambing", "kambing sampah", "samp pasar kamb", "sampah", "pasar truk", "sampah pasar"]
    plain = {q: pages(q) for q in queries}  # every word rare: RARE is 2,000
    monkeypatch.setattr(words, "RARE", 5)  # sampah 7, pasar 5: common; kambing 4, truk 2
    with app.app_context():
        assert words.rare_words(tenant, ["sampah", "pasar", "kambing", "truk"]) == {"kambing", "truk"}
    with sql_statements(app) as seen:
        mixed = {q: pages(q) for q in queries}
    assert any("complaint_words.complaint_id = complaints.id" in s for s in seen)  # the probe was used
    assert mixed == plain
    with app.app_context(), tenant_scope(tenant):
        texts = db.session.execute(db.select(Complaint.number, Complaint.description)).all()
    for q in queries:
        wanted = words.query_words(q)
        expected = {n for n, d in texts if all(any(w.startswith(p) for w in words.words_of(n, d)) for p in wanted)}
        listed = {n for numbers, *_ in mixed[q] for n in numbers}
        assert listed == expected and mixed[q][0][1] == len(expected), q
    assert len({n for numbers, *_ in mixed["sampah kambing"] for n in numbers}) == 2
    monkeypatch.setattr(queue, "KEYWORD_COUNT_CAP", 3)  # pages past the shared walk's cap read as before
    assert [total for _, total, *_ in pages("sampah")] == [3] * 5 and pages("sampah")[0][2]


def test_the_probe_index_replaces_the_per_complaint_index_and_back(database_before, scratch_url):
    """Revision 5b8e2f4c7a91: (tenant_id, complaint_id, word) in place of (tenant_id, complaint_id),
    on SQLite and PostgreSQL; its downgrade puts the old index back."""
    def indexes():
        engine = create_engine(scratch_url)
        try:
            with engine.connect() as conn:
                return {i["name"]: i["column_names"] for i in inspect(conn).get_indexes("complaint_words")}
        finally:
            engine.dispose()

    old = database_before({"complaints": "3ee0bca68847"})
    assert indexes().get("ix_complaint_words_tenant_complaint") == ["tenant_id", "complaint_id"]
    old.upgrade()
    now = indexes()
    assert now["ix_complaint_words_tenant_complaint_word"] == ["tenant_id", "complaint_id", "word"]
    assert "ix_complaint_words_tenant_complaint" not in now
    old.downgrade()
    back = indexes()
    assert back["ix_complaint_words_tenant_complaint"] == ["tenant_id", "complaint_id"]
    assert "ix_complaint_words_tenant_complaint_word" not in back
