"""Another tenant never sees this module's rows: not through the service, the pages or the API, and
on PostgreSQL not even through raw SQL without a tenant (Row Level Security); the tables hold the
tenant keys (DESIGN §4)."""
import pytest
from sqlalchemy import text

from core.kit import db, key_violations, tenant_scope

from .. import services
from ..demo import seed
from .helpers import CARD, SETTINGS, system


def test_another_tenant_sees_none_of_the_cards(app, client, create_tenant, create_token):
    mine = create_tenant(modules={"smartcard": SETTINGS})
    theirs = create_tenant(modules={"smartcard": SETTINGS})
    with app.app_context():
        services.issue_card(mine, system(mine), CARD)
        services.top_up(mine, system(mine), "r1", CARD, 70_000)
        services.pay(mine, system(mine), "p1", CARD, "pasar-terong", 12_345)
        db.session.commit()
        with pytest.raises(services.CardError):
            services.find_card(theirs, CARD)
    assert "12.222" in client.get(f"/t/{mine.slug}/smartcard/").get_data(as_text=True)
    assert "12.222" not in client.get(f"/t/{theirs.slug}/smartcard/").get_data(as_text=True)


def test_postgres_hides_the_rows_from_sql_without_a_tenant(app_ctx, create_tenant):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("Row Level Security is PostgreSQL's")
    tenant = create_tenant(modules={"smartcard": SETTINGS})
    services.issue_card(tenant, system(tenant), CARD)
    db.session.commit()
    count = text("SELECT count(*) FROM smartcard_cards")
    assert db.session.execute(count).scalar() == 0
    with tenant_scope(tenant):
        assert db.session.execute(count).scalar() == 1


def test_the_tables_hold_the_tenant_keys(app_ctx):
    tables = {table for table in db.metadata.tables if table.startswith("smartcard_")}
    assert len(tables) == 4
    with db.engine.connect() as conn:
        assert key_violations(conn, tables=tables) == []


def test_the_demo_seeds_once_and_balances(app_ctx, create_tenant):
    from core.kit import ledger

    tenant = create_tenant(modules={"smartcard": SETTINGS})
    seed(tenant)
    db.session.commit()
    seed(tenant)  # again: nothing more
    db.session.commit()
    assert ledger.check([tenant]) == []
    assert services.find_card(tenant, "6032981000000004").status == "blocked"
    assert services.balance(tenant, "6032981000000001").balance > 0
