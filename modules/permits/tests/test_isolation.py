"""Another tenant never sees this module's rows, and the tables hold the tenant keys (DESIGN §4)."""
import pytest
from sqlalchemy import text

from core.kit import db, key_violations, tenant_scope

from .. import services
from ..models import Application
from .test_services import APPLICANT


def test_another_tenant_sees_no_application(app_ctx, make_tenant, create_user, actor):
    mine, theirs = make_tenant(), make_tenant()
    email = create_user(mine, "citizen")
    services.save_draft(mine, actor(email), "PBG", APPLICANT, {"alamat": "Rahasia"})
    db.session.commit()
    with tenant_scope(theirs):
        assert db.session.execute(db.select(Application)).all() == []
    with tenant_scope(mine):
        assert len(db.session.execute(db.select(Application)).all()) == 1


def test_postgres_hides_the_rows_from_sql_without_a_tenant(app_ctx, tenant, people, actor):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("Row Level Security is PostgreSQL's")
    services.save_draft(tenant, actor(people["citizen"]), "PBG", APPLICANT, {})
    db.session.commit()
    count = text("SELECT count(*) FROM permits_applications")
    assert db.session.execute(count).scalar() == 0
    with tenant_scope(tenant):
        assert db.session.execute(count).scalar() == 1


def test_the_tables_hold_the_tenant_keys(app_ctx):
    tables = {table for table in db.metadata.tables if table.startswith("permits_")}
    assert tables == {"permits_applications", "permits_uploads", "permits_events", "permits_reconciliation_alerts",
                      "permits_name_words"}
    with db.engine.connect() as conn:
        assert key_violations(conn, tables=tables) == []
