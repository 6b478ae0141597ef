"""Data migrations reach every tenant's rows under Row Level Security (``core.kit.each_tenant``).

The owner that runs ``pamong db upgrade`` in production is held by the FORCEd policies as the app's
role is; the tests' superuser is not, so on PostgreSQL these run as the app's role (no power over
RLS, the same policies). A setting naming every tenant at once, as the backfills once used, shows
such a role no row when there are two tenants; naming each alone shows each its own."""
from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import text

from core.kit import each_tenant
from core.migrate import owner_engine
from core.text_rows import clean_stored_text

EVERY = "SELECT set_config('pamong.tenant_ids', (SELECT string_agg(id::text, ',') FROM tenants), true)"


@contextmanager
def held_by_rls(app):
    """A connection (transaction rolled back at the end) that Row Level Security holds: on
    PostgreSQL the app's role; on SQLite, which has none, the plain connection."""
    engine = owner_engine(app)
    try:
        with engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text(f'SET LOCAL ROLE "{app.config["PAMONG_DB_APP_ROLE"]}"'))
                assert conn.execute(text("SELECT rolsuper OR rolbypassrls FROM pg_roles "
                                         "WHERE rolname = current_user")).scalar_one() is False
            yield conn
            conn.rollback()
    finally:
        engine.dispose()


def _units(app, tenants, name):
    engine = owner_engine(app)  # the tests' own login: every tenant's rows
    try:
        with engine.begin() as conn:
            for tenant in tenants:
                conn.execute(text("UPDATE org_units SET name = :n WHERE tenant_id = :t"), {"n": name, "t": tenant.id})
    finally:
        engine.dispose()


def test_each_tenant_sees_each_tenants_rows_and_names_none_afterwards(app, create_tenant):
    tenants = [create_tenant(), create_tenant()]
    with held_by_rls(app) as conn:
        postgres = conn.dialect.name == "postgresql"
        if postgres:
            conn.execute(text(EVERY))  # the old backfills' setting: no row at all
            assert conn.execute(text("SELECT count(*) FROM org_units")).scalar_one() == 0
        seen = {}

        def count(tenant):
            seen[tenant] = conn.execute(text("SELECT count(*) FROM org_units WHERE tenant_id = :t"),
                                        {"t": tenant}).scalar_one()
            return seen[tenant]

        total = each_tenant(conn, count)
        assert all(seen[t.id] > 0 for t in tenants) and total == sum(seen.values())
        if postgres:
            assert conn.execute(text("SELECT current_setting('pamong.tenant_ids')")).scalar_one() == ""
            assert conn.execute(text("SELECT count(*) FROM org_units")).scalar_one() == 0


def test_stored_text_is_cleaned_in_every_tenant(app, create_tenant):
    tenants = [create_tenant(), create_tenant()]
    _units(app, tenants, "Dinas\uffff Kebersihan")
    with held_by_rls(app) as conn:
        assert clean_stored_text(conn, ["org_units"]) >= 2
        if conn.dialect.name == "postgresql":
            conn.execute(text("RESET ROLE"))
        names = conn.execute(text("SELECT DISTINCT name FROM org_units WHERE tenant_id IN (:a, :b)"),
                             {"a": tenants[0].id, "b": tenants[1].id}).scalars().all()
        assert names == ["Dinas Kebersihan"]
