"""Keys that shard by tenant (DESIGN §4, issue 9 item 6): after ``pamong db upgrade`` every tenant
table (any table with a tenant_id column) has tenant_id in its primary key, in every unique key and
in every foreign key to another tenant table. On PostgreSQL this walks pg_catalog; SQLite is checked
for its own variant (``core/tenancy/keys.py``)."""
import pytest
from sqlalchemy import create_engine, inspect, text

from core.extensions import db
from core.tenancy.key_check import REGISTRY, key_violations
from core.tenancy.scope import TenantOwned, tenant_scope
from tests.testmodule.models import Note

# the tenant tables of the core, the complaints module and the test module, as of issue 9
KNOWN = {
    "api_tokens", "audit_entries", "inbound_sms", "memberships", "org_units", "outbox_messages",
    "role_permissions", "tenant_modules", "complaint_counters", "complaint_events", "complaint_followers",
    "complaint_photos", "complaint_redactions", "complaint_update_receipts", "complaints", "test_notes",
}


@pytest.fixture
def engine(app):
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    yield engine
    engine.dispose()


def tenant_tables(conn) -> set[str]:
    inspector = inspect(conn)
    return {t for t in inspector.get_table_names() if "tenant_id" in {c["name"] for c in inspector.get_columns(t)}}


def test_every_tenant_table_holds_the_keys(engine):
    with engine.connect() as conn:
        assert KNOWN <= tenant_tables(conn) - REGISTRY
        assert key_violations(conn) == []


def test_every_tenant_owned_model_is_keyed_in_the_metadata(app):
    """What TenantOwned gives a model: primary key (tenant_id, id), the ORM's identity on id."""
    models = [m.class_ for m in db.Model.registry.mappers if issubclass(m.class_, TenantOwned)]
    assert {m.__tablename__ for m in models} >= KNOWN
    for model in models:
        table = model.__table__
        assert list(table.primary_key.columns.keys()) == ["tenant_id", "id"], model
        assert [c.key for c in inspect(model).primary_key] == ["id"], model
        for fk in table.foreign_key_constraints:
            if fk.referred_table.name != "tenants" and "tenant_id" in fk.referred_table.c:
                assert [c.name for c in fk.columns][0] == "tenant_id", (model, fk.name)
                assert [e.column.name for e in fk.elements][0] == "tenant_id", (model, fk.name)


def test_the_check_names_each_kind_of_broken_key(engine):
    """A table shaped as before issue 9 is caught: the checker cannot pass on everything."""
    serial = "SERIAL PRIMARY KEY" if engine.dialect.name == "postgresql" else "INTEGER PRIMARY KEY"
    with engine.connect() as conn:
        trans = conn.begin()
        try:
            conn.execute(text(f"CREATE TABLE bad_parent (id {serial}, tenant_id INTEGER NOT NULL REFERENCES tenants (id))"))
            conn.execute(text(
                f"CREATE TABLE bad_child (id {serial}, tenant_id INTEGER NOT NULL, code VARCHAR(8), "
                "parent_id INTEGER CONSTRAINT fk_bad_child_parent REFERENCES bad_parent (id), "
                "CONSTRAINT uq_bad_child_code UNIQUE (code))"
            ))
            conn.execute(text("CREATE UNIQUE INDEX ix_bad_child_parent ON bad_child (parent_id)"))
            found = key_violations(conn, tables={"bad_parent", "bad_child"})
        finally:
            trans.rollback()
    with engine.begin() as conn:  # SQLite's driver does not take DDL into the transaction
        conn.execute(text("DROP TABLE IF EXISTS bad_child"))
        conn.execute(text("DROP TABLE IF EXISTS bad_parent"))
    assert any(v.startswith("bad_child: foreign key ") and "(parent_id) -> bad_parent" in v for v in found), found
    assert any(v.startswith("bad_child: unique key uq_bad_child_code (code) lacks tenant_id") for v in found), found
    assert any("ix_bad_child_parent (parent_id) lacks tenant_id" in v for v in found), found
    with engine.connect() as conn:  # a table named but not there is not passed over
        assert key_violations(conn, tables={"bad_parent"}) == ["bad_parent: not a tenant table here (missing, or no tenant_id)"]
    if engine.dialect.name == "postgresql":
        assert "bad_parent: primary key bad_parent_pkey (id) lacks tenant_id" in found, found
    else:
        assert "bad_parent: no unique (tenant_id, id) for composite foreign keys to refer to" in found, found


def test_a_reference_to_another_tenants_row_is_refused(app, create_tenant, engine):
    """The composite foreign key holds a reference inside its tenant, below the ORM."""
    mine, theirs = create_tenant(), create_tenant()
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        theirs_unit = conn.execute(text("SELECT id FROM org_units WHERE tenant_id = :t"), {"t": theirs.id}).scalar()
        mine_unit = conn.execute(text("SELECT id FROM org_units WHERE tenant_id = :t"), {"t": mine.id}).scalar()
        conn.commit()
        insert = text("INSERT INTO org_units (tenant_id, kind, code, name, parent_id, active, extra) "
                      "VALUES (:t, 'district', :code, 'Kecamatan', :parent, :yes, '{}')")
        conn.execute(insert, {"t": mine.id, "code": "OK1", "parent": mine_unit, "yes": True})  # inside: fine
        with pytest.raises(Exception, match="(?i)foreign key"):
            conn.execute(insert, {"t": mine.id, "code": "BAD1", "parent": theirs_unit, "yes": True})
        conn.rollback()


def test_ids_are_generated_and_the_orm_finds_a_row_by_id(app_ctx, create_tenant):
    tenant = create_tenant()
    with tenant_scope(tenant):
        notes = [Note(text=f"n{i}") for i in range(3)]
        db.session.add_all(notes)
        db.session.flush()
        ids = [n.id for n in notes]
        assert len(set(ids)) == 3 and all(isinstance(i, int) for i in ids)
        db.session.commit()
    db.session.expunge_all()
    with tenant_scope(tenant):
        assert db.session.get(Note, ids[1]).text == "n1"


def test_the_registry_is_the_only_exception_and_refers_only_to_tenants(engine):
    """tenant_domains is read to find the tenant (before any scope, like tenants): under Citus a
    reference table beside tenants, which may refer to nothing distributed."""
    assert REGISTRY == {"tenant_domains"}
    with engine.connect() as conn:
        fks = inspect(conn).get_foreign_keys("tenant_domains")
    assert fks and {fk["referred_table"] for fk in fks} == {"tenants"}
