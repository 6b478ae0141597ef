"""Wall two in the form the planner estimates well (core/rls.py, issue 11 and 20): a transaction of one
tenant is checked by an equality PostgreSQL merges with the ORM's own ``tenant_id = :id``; several
tenants are read through a role of their own, which the transaction leaves again. Isolation is what
it was: every role the app may act as sees exactly the tenants of the transaction's setting."""
import pytest
from sqlalchemy import text

from core.extensions import db
from core.rls import bypass_reason, several_tenants_role
from core.tenancy.scope import read_scope, tenant_scope
from tests.testmodule.models import Note


@pytest.fixture
def pg(app):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("Row Level Security is a PostgreSQL feature")
    return app


def _add_note(app, tenant, text_):
    with app.app_context(), tenant_scope(tenant):
        db.session.add(Note(text=text_))
        db.session.commit()


def _raw_texts() -> list[str]:
    return sorted(db.session.execute(text("SELECT text FROM test_notes")).scalars())


def _role() -> str:
    return db.session.execute(text("SELECT current_user")).scalar_one()


def test_one_tenant_is_one_condition_for_the_planner(pg, create_tenant):
    """The policy and the ORM's tenant filter form one equivalence class: the plan checks the setting
    once (a One-Time Filter) and the scan has the single condition tenant_id = <id>; the list form
    (= ANY) does not appear. This is what keeps the estimate right at 100,000 rows of a tenant."""
    a = create_tenant()
    _add_note(pg, a, "planned")
    with pg.app_context(), tenant_scope(a):
        query = db.select(Note).where(Note.text == "planned")
        # the ORM's statement, as the app sends it (with its tenant criterion), explained
        compiled = db.session.execute(query).scalars().all()
        assert [n.text for n in compiled] == ["planned"]
        sql = str(db.select(Note.id).where(Note.tenant_id.in_([a.id])).compile(
            dialect=db.engine.dialect, compile_kwargs={"literal_binds": True}))
        plan = "\n".join(db.session.execute(text("EXPLAIN " + sql)).scalars())
        db.session.rollback()
    assert "One-Time Filter" in plan, plan
    assert f"tenant_id = {a.id}" in plan, plan
    assert "ANY" not in plan, plan


def test_several_tenants_then_one_in_the_same_transaction(pg, create_tenant):
    a, b, c = create_tenant(), create_tenant(), create_tenant()
    _add_note(pg, a, "of a")
    _add_note(pg, b, "of b")
    _add_note(pg, c, "of c")
    with pg.app_context():
        app_role = _role()
        assert app_role == pg.config["PAMONG_DB_APP_ROLE"]
        with read_scope([a, b]):
            assert _raw_texts() == ["of a", "of b"]
            assert _role() == several_tenants_role(pg.config["PAMONG_DB_APP_ROLE"])
        with tenant_scope(c):  # same transaction: back to the app role, one tenant only
            assert _raw_texts() == ["of c"]
            assert _role() == app_role
        with read_scope([b, c]):
            assert _raw_texts() == ["of b", "of c"]
        assert _raw_texts() == []  # no scope: nothing, whatever role the transaction is in
        db.session.rollback()
        assert _role() == app_role  # the switch ended with the transaction
        db.session.rollback()


def test_a_savepoint_rolled_back_leaves_no_wider_view(pg, create_tenant):
    a, b = create_tenant(), create_tenant()
    _add_note(pg, a, "of a")
    _add_note(pg, b, "of b")
    with pg.app_context():
        with tenant_scope(a):
            assert _raw_texts() == ["of a"]
            nested = db.session.begin_nested()
            with read_scope([a, b]):
                assert _raw_texts() == ["of a", "of b"]
            with read_scope([a, b]):
                assert _raw_texts() == ["of a", "of b"]
                nested.rollback()
            assert _raw_texts() == ["of a"]
            assert _role() == pg.config["PAMONG_DB_APP_ROLE"]
        db.session.rollback()


def test_the_several_tenants_role_has_no_power_over_rls_and_is_not_inherited(pg):
    with pg.app_context():
        conn = db.session.connection().connection.dbapi_connection
        cursor = conn.cursor()
        try:
            assert bypass_reason(cursor, several_tenants_role(pg.config["PAMONG_DB_APP_ROLE"])) is None
            cursor.execute("SELECT rolinherit FROM pg_roles WHERE rolname = %s", (pg.config["PAMONG_DB_APP_ROLE"],))
            assert cursor.fetchone() == (False,)  # else the list policy would apply to the app role too
            cursor.execute("SELECT polname, polroles::regrole[]::text[] FROM pg_policy "
                           "WHERE polrelid = 'test_notes'::regclass ORDER BY polname")
            policies = dict(cursor.fetchall())
            several = several_tenants_role(pg.config["PAMONG_DB_APP_ROLE"])
            assert policies.pop("tenant_isolation") == ["-"] and policies.pop(several) == [several]
            # any other: another app role's own (tests/test_db_login.py), each to its role alone
            assert all(name.endswith("_several") and roles == [name] for name, roles in policies.items())
        finally:
            cursor.close()
        db.session.rollback()


def test_the_several_tenants_role_alone_sees_only_its_setting(pg, create_tenant):
    """Switched to by hand (as any code on the app's login could): no setting, no rows; a setting
    of one tenant, that tenant's rows; writing into a tenant outside the setting is refused."""
    from sqlalchemy.exc import ProgrammingError

    a, b = create_tenant(), create_tenant()
    _add_note(pg, a, "of a")
    _add_note(pg, b, "of b")
    with pg.app_context():
        db.session.execute(text(f'SET LOCAL ROLE "{several_tenants_role(pg.config["PAMONG_DB_APP_ROLE"])}"'))
        assert _raw_texts() == []
        db.session.execute(text("SELECT set_config('pamong.tenant_ids', :s, true)"), {"s": str(a.id)})
        assert _raw_texts() == ["of a"]
        with pytest.raises(ProgrammingError, match="row-level security"):
            db.session.execute(text("INSERT INTO test_notes (text, tenant_id) VALUES ('x', :b)"), {"b": b.id})
        db.session.rollback()


def test_lists_are_planned_for_their_own_tenant_and_nothing_else_is(pg):
    """A list over a tenant's rows is planned for its own tenant's size (rls.custom_plans: its
    statements are never prepared, so no generic plan estimated for an average tenant), for its
    transaction only and without a statement of its own; every other statement keeps psycopg's
    preparing (replanning a key lookup each time is pure cost: bench/ledger.py). The complaints
    queue and Open311 list ask for it (their own tests)."""
    from core.rls import custom_plans
    from core.testing import sql_statements

    probe = "SELECT count(*) FROM tenants WHERE id > %(n)s"

    def prepared(times):
        for _ in range(times):
            db.session.execute(text(probe.replace("%(n)s", ":n")), {"n": -1})
        return db.session.execute(text(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE 'SELECT count(*) FROM tenants WHERE id >%'"
        )).scalar_one()

    with pg.app_context():
        with sql_statements(pg) as seen:
            custom_plans(db.session)
        assert seen == []  # no round trip
        assert prepared(8) == 0  # run eight times, never prepared
        db.session.rollback()
        assert prepared(8) == 1  # the next transaction: psycopg prepares it as usual
        db.session.rollback()
        assert db.session.execute(text("SHOW plan_cache_mode")).scalar_one() == "auto"  # nothing changed it
