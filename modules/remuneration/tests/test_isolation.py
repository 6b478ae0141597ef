"""Another tenant never sees this module's rows: not through the service, the pages or the API,
and on PostgreSQL not even through raw SQL without a tenant (Row Level Security)."""
import pytest
from sqlalchemy import text

from core.kit import db, key_violations, tenant_scope

from ..api import PATH
from ..services import MODULE, create_entry, list_entries


def test_another_tenant_cannot_see_the_rows(app, client, create_tenant, create_token):
    mine = create_tenant(modules={MODULE: {}})
    theirs = create_tenant(modules={MODULE: {}})
    with app.app_context():
        create_entry(mine, "test", "Hanya milik kami")
        db.session.commit()
        with tenant_scope(theirs):
            assert list_entries(theirs) == []
        with tenant_scope(mine):
            assert [e.title for e in list_entries(mine)] == ["Hanya milik kami"]
    assert "Hanya milik kami" in client.get(f"/t/{mine.slug}/{MODULE}/").get_data(as_text=True)
    assert "Hanya milik kami" not in client.get(f"/t/{theirs.slug}/{MODULE}/").get_data(as_text=True)
    their_token = {"Authorization": f"Bearer {create_token(theirs, f'{MODULE}:read')}"}
    assert client.get(f"/t/{theirs.slug}{PATH}", headers=their_token).get_json()["entries"] == []
    assert client.get(f"/t/{mine.slug}{PATH}", headers=their_token).status_code == 401


def test_postgres_hides_the_rows_from_sql_without_a_tenant(app_ctx, create_tenant):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("Row Level Security is PostgreSQL's")
    tenant = create_tenant(modules={MODULE: {}})
    create_entry(tenant, "test", "Rahasia")
    db.session.commit()
    count = text(f"SELECT count(*) FROM {MODULE}_entries WHERE title = 'Rahasia'")
    assert db.session.execute(count).scalar() == 0
    with tenant_scope(tenant):
        assert db.session.execute(count).scalar() == 1


def test_the_tables_hold_the_tenant_keys(app_ctx):
    """DESIGN §4: tenant_id inside the primary key and every unique and foreign key between
    tenant tables, so a deployment can be distributed by tenant (read from the database itself)."""
    tables = {table for table in db.metadata.tables if table.startswith(f"{MODULE}_")}
    assert tables
    with db.engine.connect() as conn:
        assert key_violations(conn, tables=tables) == []
