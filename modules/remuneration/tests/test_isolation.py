"""Another tenant never sees this module's rows: not through the service, the pages or the API,
and on PostgreSQL not even through raw SQL without a tenant (Row Level Security)."""
import pytest
from sqlalchemy import text

from core.kit import db, key_violations, tenant_scope

from ..services import get_run, import_employees, run_month, runs
from .helpers import MODULE, SETTINGS, three_employees


def test_another_tenant_cannot_see_the_rows(app, client, create_tenant, create_token):
    mine = create_tenant(modules={MODULE: SETTINGS})
    theirs = create_tenant(modules={MODULE: SETTINGS})
    with app.app_context():
        import_employees(mine, "test", three_employees())
        run_month(mine, "test", 2026, 3)
        db.session.commit()
        with tenant_scope(theirs):
            assert runs(theirs) == [] and get_run(theirs, 2026, 3) is None
        assert len(runs(mine)) == 1
        # the same NIPs are another tenant's own employees: nothing collides
        assert import_employees(theirs, "test", three_employees())["added"] == 3
        db.session.commit()
    their_token = {"Authorization": f"Bearer {create_token(theirs, f'{MODULE}:read')}"}
    assert client.get(f"/t/{theirs.slug}/api/v1/{MODULE}/runs/2026/3", headers=their_token).status_code == 404
    assert client.get(f"/t/{mine.slug}/api/v1/{MODULE}/runs/2026/3", headers=their_token).status_code == 401


def test_postgres_hides_the_rows_from_sql_without_a_tenant(app_ctx, create_tenant):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("Row Level Security is PostgreSQL's")
    tenant = create_tenant(modules={MODULE: SETTINGS})
    import_employees(tenant, "test", three_employees())
    db.session.commit()
    count = text(f"SELECT count(*) FROM {MODULE}_employees")
    assert db.session.execute(count).scalar() == 0
    with tenant_scope(tenant):
        assert db.session.execute(count).scalar() == 3


def test_the_tables_hold_the_tenant_keys(app_ctx):
    """DESIGN §4: tenant_id inside the primary key and every unique and foreign key between
    tenant tables, so a deployment can be distributed by tenant (read from the database itself)."""
    tables = {table for table in db.metadata.tables if table.startswith(f"{MODULE}_")}
    assert len(tables) == 10
    with db.engine.connect() as conn:
        assert key_violations(conn, tables=tables) == []
