"""Cross-tenant isolation at both walls (DESIGN §4): the ORM scope, and PostgreSQL RLS."""
import pytest
from sqlalchemy import text

from core.extensions import db
from core.tenancy.scope import TenantScopeError, read_scope, tenant_scope
from tests.testmodule.models import Note


def _add_note(app, tenant, text_):
    with app.app_context(), tenant_scope(tenant):
        db.session.add(Note(text=text_))
        db.session.commit()


def test_orm_reads_only_the_scoped_tenant(app, create_tenant):
    a, b = create_tenant(), create_tenant()
    _add_note(app, a, "note of a")
    _add_note(app, b, "note of b")
    with app.app_context():
        with tenant_scope(a):
            assert [n.text for n in db.session.execute(db.select(Note)).scalars()] == ["note of a"]
        with tenant_scope(b):
            assert [n.text for n in db.session.execute(db.select(Note)).scalars()] == ["note of b"]
        # no scope: no tenant rows at all, not "all of them"
        assert db.session.execute(db.select(Note)).scalars().all() == []
        with read_scope([a, b]):
            assert sorted(n.text for n in db.session.execute(db.select(Note)).scalars()) == ["note of a", "note of b"]


def test_orm_updates_and_deletes_are_scoped(app, create_tenant):
    a, b = create_tenant(), create_tenant()
    _add_note(app, a, "keep me")
    with app.app_context(), tenant_scope(b):
        db.session.execute(db.update(Note).values(text="hacked"))
        db.session.execute(db.delete(Note))
        db.session.commit()
    with app.app_context(), tenant_scope(a):
        assert [n.text for n in db.session.execute(db.select(Note)).scalars()] == ["keep me"]


def test_a_row_for_another_tenant_cannot_be_added(app, create_tenant):
    a, b = create_tenant(), create_tenant()
    with app.app_context():
        with tenant_scope(a), pytest.raises(TenantScopeError):
            db.session.add(Note(text="smuggled", tenant_id=b.id))
        db.session.rollback()
        with pytest.raises(TenantScopeError):
            db.session.add(Note(text="no tenant"))
        db.session.rollback()


def test_pages_and_api_show_only_the_requests_tenant(client, app, create_tenant):
    from core.auth.service import create_token

    a = create_tenant(modules={"notes": {}})
    b = create_tenant(modules={"notes": {}})
    _add_note(app, a, "alpha secret")
    _add_note(app, b, "beta secret")
    page_b = client.get(f"/t/{b.slug}/notes/").get_data(as_text=True)
    assert "beta secret" in page_b and "alpha secret" not in page_b
    with app.app_context():
        token_a = create_token(db.session.get(type(a), a.id), "reader", ["notes:read"], "test")
        db.session.commit()
    headers = {"Authorization": f"Bearer {token_a}"}
    assert client.get(f"/t/{a.slug}/api/v1/notes/", headers=headers).get_json()["notes"][0]["text"] == "alpha secret"
    # tenant A's token means nothing at tenant B
    refused = client.get(f"/t/{b.slug}/api/v1/notes/", headers=headers)
    assert refused.status_code == 401 and refused.get_json()["error"]["code"] == "unauthorized"


# -- Wall two: PostgreSQL Row Level Security ------------------------------------------------------

@pytest.fixture
def pg(app):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("Row Level Security is a PostgreSQL feature")
    return app


def test_app_connections_run_as_the_restricted_role(pg):
    with pg.app_context():
        row = db.session.execute(text(
            "SELECT current_user, r.rolsuper, r.rolbypassrls FROM pg_roles r WHERE r.rolname = current_user"
        )).one()
        db.session.rollback()
    assert row == (pg.config["PAMONG_DB_APP_ROLE"], False, False)


def test_raw_sql_without_tenant_context_sees_no_tenant_rows(pg, create_tenant):
    a = create_tenant()
    _add_note(pg, a, "raw secret")
    with pg.app_context():
        assert db.session.execute(text("SELECT count(*) FROM test_notes")).scalar_one() == 0
        assert db.session.execute(text("SELECT count(*) FROM audit_entries")).scalar_one() == 0
        db.session.rollback()
        with tenant_scope(a):
            assert db.session.execute(text("SELECT text FROM test_notes")).scalars().all() == ["raw secret"]
        db.session.rollback()


def test_raw_sql_cannot_write_into_another_tenant(pg, create_tenant):
    from sqlalchemy.exc import ProgrammingError

    a, b = create_tenant(), create_tenant()
    with pg.app_context():
        with tenant_scope(a), pytest.raises(ProgrammingError, match="row-level security"):
            db.session.execute(text("INSERT INTO test_notes (text, tenant_id) VALUES ('x', :b)"), {"b": b.id})
        db.session.rollback()


def test_every_tenant_owned_table_has_a_forced_policy(pg):
    with pg.app_context():
        rows = db.session.execute(text(
            "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, "
            "  EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid) "
            "FROM pg_class c JOIN information_schema.columns col ON col.table_name = c.relname "
            "WHERE col.column_name = 'tenant_id' AND col.table_schema = 'public' AND c.relkind = 'r' "
            "AND c.relname <> 'tenant_domains'"
        )).all()
        db.session.rollback()
    assert rows, "no tenant-owned tables found"
    assert {"test_notes", "audit_entries", "memberships", "tenant_modules"} <= {r[0] for r in rows}
    assert [r[0] for r in rows if not (r[1] and r[2] and r[3])] == []
