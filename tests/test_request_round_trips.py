"""No empty round trips on the request path (issue 11.5): no ping per checkout, no RLS setting
sent just before the rollback, and a dead pooled connection costs a retry, not an error page."""
import pytest

from core.extensions import db
from core.testing import sql_statements


@pytest.fixture
def pg(app):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("PostgreSQL's per-transaction tenant setting and server-side connections")
    return app


def test_the_tenant_setting_is_sent_once_and_only_when_a_statement_needs_it(pg, client, create_tenant, monkeypatch):
    from core.tenancy import scope

    sent = []
    original = scope._send_setting
    monkeypatch.setattr(scope, "_send_setting",
                        lambda conn, setting, *rest: (sent.append(setting), original(conn, setting, *rest)))
    bare, with_notes = create_tenant(), create_tenant(modules={"notes": {}})
    client.get(f"/t/{bare.slug}/"), client.get(f"/t/{with_notes.slug}/notes/")  # warm the caches
    sent.clear()
    with sql_statements(pg) as seen:
        client.get(f"/t/{bare.slug}/")
    assert seen.count == 1 and sent == []  # the tenant's row; no tenant table read, no setting sent
    with sql_statements(pg) as seen:
        client.get(f"/t/{with_notes.slug}/notes/")
    assert sent == [str(with_notes.id)], (sent, seen)  # once, for the notes read under the scope
    assert not [s for s in seen if "set_config" in s]


def test_a_dead_pooled_connection_is_retried_once(pg, client, create_tenant):
    import psycopg

    tenant = create_tenant(name="Kota Tahan Putus")
    assert client.get(f"/t/{tenant.slug}/").status_code == 200
    # the server drops every connection of this database but the killer's own (a restart, say)
    with psycopg.connect(pg.config["SQLALCHEMY_DATABASE_URI"].replace("postgresql+psycopg", "postgresql"),
                         autocommit=True) as killer:
        killed = killer.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()[0]
    assert killed >= 1
    page = client.get(f"/t/{tenant.slug}/")
    assert page.status_code == 200 and "Kota Tahan Putus" in page.get_data(as_text=True)


def test_a_failed_savepoint_rolls_back_and_the_scope_still_holds(pg, create_tenant):
    """A statement failing inside a savepoint: its ROLLBACK TO SAVEPOINT runs on the failed
    transaction (nothing may be sent before it), and the next statement reads under the scope."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from core.tenancy.scope import tenant_scope
    from tests.testmodule.models import Note

    tenant = create_tenant(modules={"notes": {}})
    with pg.app_context():
        with tenant_scope(tenant):
            db.session.add(Note(text="kept"))
            db.session.commit()
        with tenant_scope(tenant):
            db.session.execute(text("SELECT 1"))
            with pytest.raises(DBAPIError):
                with db.session.begin_nested():
                    db.session.execute(text("SELECT 1 / 0"))
            seen = db.session.execute(text("SELECT count(*) FROM test_notes")).scalar_one()
        db.session.rollback()
    assert seen == 1  # row security saw the tenant's scope after the rollback to the savepoint


def test_the_tenant_setting_goes_in_the_round_trip_of_its_statement(pg, create_tenant, monkeypatch):
    """The setting due before a statement is sent with it (one pipeline, one sync): with bound
    parameters, without any (``do_execute_no_params``), and from a server-side cursor (sent alone
    first); each statement sees exactly its scope's rows under Row Level Security."""
    import psycopg
    from sqlalchemy import text

    from core.auth.service import create_token
    from core.tenancy.models import Tenant
    from core.tenancy import scope
    from core.tenancy.scope import SCOPE_PENDING, tenant_scope

    mine, theirs = create_tenant(), create_tenant()
    pipelines, sends = [], []
    setting = scope._send_setting
    monkeypatch.setattr(scope, "_send_setting", lambda conn, wanted, with_next=False: (
        sends.append(with_next), setting(conn, wanted, with_next))[1])
    original = psycopg.Connection.pipeline
    monkeypatch.setattr(psycopg.Connection, "pipeline", lambda self: (pipelines.append(1), original(self))[1])
    with pg.app_context():
        a, b = db.session.get(Tenant, mine.id), db.session.get(Tenant, theirs.id)
        create_token(a, "mine", ["tenant:read"], "test")
        create_token(b, "theirs", ["tenant:read"], "test")
        db.session.commit()
        count = text("SELECT count(*) FROM api_tokens WHERE name = :name OR name <> :name")  # no ORM filter
        pipelines.clear(), sends.clear()
        for tenant, name in ((a, "mine"), (b, "theirs"), (a, "mine")):
            with tenant_scope(tenant):
                assert db.session.execute(count, {"name": "x"}).scalar_one() == 1
                assert db.session.execute(text("SELECT name FROM api_tokens")).scalar_one() == name
        # every setting rode with the statement after it: one pipeline each, none sent alone
        assert len(sends) >= 3 and all(sends) and len(pipelines) == len(sends)
        db.session.rollback()
        with tenant_scope(b):
            assert db.session.execute(text("SELECT name FROM api_tokens").execution_options(
                no_parameters=True)).scalar_one() == "theirs"
            streamed = db.session.execute(text("SELECT name FROM api_tokens").execution_options(
                stream_results=True)).scalars().all()
            assert streamed == ["theirs"]
            assert SCOPE_PENDING not in db.session.connection().info
        db.session.rollback()
        with tenant_scope(a):
            rows = db.session.execute(text("SELECT name FROM api_tokens").execution_options(
                stream_results=True)).scalars().all()  # a named cursor: the setting went alone, first
            assert rows == ["mine"] and SCOPE_PENDING not in db.session.connection().info
        db.session.rollback()
