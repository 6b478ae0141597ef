"""The name search by indexed words (``names.py``, migration 6b2d9e4f1c83): every word asked for
starts a word of the applicant's or business name, in any case and order; the register finds
business names only (never the applicant's: no personal data there); a renamed draft is found by
its new name only; and on PostgreSQL the app's role under Row Level Security can use the words'
index for the search (an ILIKE could not use the trigram indexes it replaced)."""
from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.dialects import postgresql

from core.kit import db, tenant_scope

from .. import names, queries, services
from ..models import Application
from .test_queue import refs, submitted
from .test_services import APPLICANT


def test_words_are_case_folded_unique_and_bounded():
    assert names.words("  Andi  Dg. MAPPANYUKKI andi ") == ["andi", "dg", "mappanyukki"]
    assert names.words("Straße Ömer") == ["strasse", "ömer"]
    assert names.words("%_-") == ["_"] and names.words("") == []
    assert names.words("x" * 100) == ["x" * 64]


def test_the_queue_finds_words_from_their_start_in_any_order(app_ctx, tenant, people, actor):
    citizen = actor(people["citizen"])
    andi = submitted(tenant, citizen, "Andi Mappanyukki")
    andika = submitted(tenant, citizen, "Andika Tenri")
    db.session.commit()
    assert refs(queries.queue(tenant, q="andi")) == [andi.reference, andika.reference]
    assert refs(queries.queue(tenant, q="ANDI mapp")) == [andi.reference]
    assert refs(queries.queue(tenant, q="tenri andika")) == [andika.reference]
    assert refs(queries.queue(tenant, q="ndi")) == []          # from a word's start only
    assert refs(queries.queue(tenant, q="andi besse")) == []   # every word must match
    assert refs(queries.queue(tenant, q="%")) == [] and refs(queries.queue(tenant, q="a_b")) == []


def test_a_renamed_draft_is_found_by_its_new_name_and_the_register_by_business_only(
        app_ctx, tenant, people, actor):
    citizen = actor(people["citizen"])
    application = services.save_draft(tenant, citizen, "SKU", {**APPLICANT, "name": "Besse Tenri",
                                                               "business_name": "Coto Daeng"}, {"usaha": "Warung"})
    services.save_draft(tenant, citizen, "SKU", {**APPLICANT, "name": "Besse Naba", "business_name": "Coto Daeng"},
                        {"usaha": "Warung"}, application=application)
    services.submit(tenant, citizen, application.id)
    db.session.commit()
    with tenant_scope(tenant):
        reference = application.reference
        db.session.execute(db.update(Application).where(Application.id == application.id)
                           .values(status="issued", permit_number="SKU/0001/2026"))
        db.session.commit()
    assert refs(queries.register(tenant, q="coto")) == [reference]
    assert refs(queries.register(tenant, q="besse")) == []      # the applicant's name is not searched there
    with tenant_scope(tenant):
        kept = sorted(db.session.execute(db.select(names.NameWord.kind, names.NameWord.word)
                                         .where(names.NameWord.application_id == application.id)).all())
    assert kept == [("a", "besse"), ("a", "naba"), ("b", "coto"), ("b", "daeng")]


def test_the_app_role_can_use_the_words_index_under_row_level_security(app, tenant, people, actor):
    """PostgreSQL: the search's statement, explained as the app's role in the tenant's scope with
    sequential scans priced out, reads ``ix_permits_name_words_tenant_word`` with the word range as
    its index condition (the planner would not do so for an operator that is not LEAKPROOF)."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("Row Level Security is a PostgreSQL feature")
    with app.app_context():
        submitted(tenant, actor(people["citizen"]), "Besse Tenri")
        db.session.commit()
        query = queries._search(db.select(Application.id), "besse").where(Application.tenant_id == tenant.id)
        sql = str(query.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))
        with tenant_scope(tenant):
            assert db.session.execute(text("SELECT current_user")).scalar_one() == app.config["PAMONG_DB_APP_ROLE"]
            db.session.execute(text("SET LOCAL enable_seqscan = off"))
            plan = "\n".join(db.session.execute(text("EXPLAIN " + sql)).scalars())
        db.session.rollback()
    assert "ix_permits_name_words_tenant_word" in plan, plan
    assert "Index Cond: ((tenant_id = " in plan and "(word >= 'besse'" in plan, plan


def test_rows_written_in_bulk_get_their_words_from_reindex(app_ctx, tenant, people, actor):
    besse = submitted(tenant, actor(people["citizen"]), "Besse Tenri")
    with tenant_scope(tenant):
        db.session.execute(db.delete(names.NameWord))    # as rows inserted without the service
    db.session.commit()
    assert refs(queries.queue(tenant, q="besse")) == []
    assert names.reindex_tenant(tenant) == 1
    db.session.commit()
    assert refs(queries.queue(tenant, q="besse")) == [besse.reference]
