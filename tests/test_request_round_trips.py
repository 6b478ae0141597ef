"""No empty round trips on the request path (issue 11.5): no ping per checkout, no RLS setting
sent just before the rollback, and a dead pooled connection costs a retry, not an error page."""
import pytest
from sqlalchemy import event

from core.extensions import db


@pytest.fixture
def pg(app):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("PostgreSQL's per-transaction tenant setting and server-side connections")
    return app


def _statements(app, run):
    seen = []
    with app.app_context():
        engine = db.engine

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen


def test_a_tenant_page_ends_with_its_own_work_not_a_scope_reset(pg, client, create_tenant):
    tenant = create_tenant()
    client.get(f"/t/{tenant.slug}/")  # warm: the pool holds a connection
    seen = _statements(pg, lambda: client.get(f"/t/{tenant.slug}/"))
    assert seen, "the page ran no SQL at all"
    assert "set_config" not in seen[-1], seen
    assert sum("set_config" in s for s in seen) == 1, seen  # once, when the tenant's scope began


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
