"""The app's own database login (issue 10.13): in production the app logs in as the restricted role
itself, which cannot leave it; an owner's login is refused unless the deployment says it is a demo.
"""
import re
import secrets

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from core import create_app, migrate
from core.errors import PamongError
from core.extensions import db
from core.rls import bypass_reason, check_login
from core.tenancy.scope import tenant_scope
from tests.testmodule.models import Note


@pytest.fixture(scope="module")
def owner_url(app):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("postgresql"):
        pytest.skip("database logins and Row Level Security are PostgreSQL's")
    return url


def _role_name(owner_url: str, prefix: str) -> str:
    """Roles are shared by every database of the server: name the test's after its database."""
    database = re.sub(r"[^a-z0-9_]", "_", (make_url(owner_url).database or "db").lower())
    return f"{prefix}_{database}"[:63]


@pytest.fixture(scope="module")
def login_app(app, owner_url, pamong_extra_plugins, tmp_path_factory):
    """The app as deployed for real: its own LOGIN role, made by ``db upgrade`` from the owner URL."""
    role = _role_name(owner_url, "pamong_login")
    login_url = make_url(owner_url).set(username=role, password=secrets.token_urlsafe(12))
    login = create_app(
        {
            "DATABASE_URL": login_url.render_as_string(hide_password=False), "DATABASE_OWNER_URL": owner_url,
            "PAMONG_DEMO": False, "SECRET_KEY": "test-secret", "TESTING": True, "WTF_CSRF_ENABLED": False,
            "INSTANCE_DIR": str(tmp_path_factory.mktemp("login-instance")), "PAMONG_PUBLIC_FIGURES_TTL": 0,
            "PAMONG_DATA_KEY": app.config.get("PAMONG_DATA_KEY") or app.config["SECRET_KEY"],
        },
        extra_plugins=pamong_extra_plugins,
    )
    assert login.config["PAMONG_DB_APP_ROLE"] == role
    migrate.upgrade(login)  # as the owner: creates the login role, its grants and the policies
    check_login(login)  # the app's login passes the start-up check
    yield login
    with login.app_context():
        db.session.remove()
        db.engine.dispose()


def _notes(app, a, b):
    with app.app_context():
        for tenant, words in ((a, "alpha only"), (b, "beta only")):
            with tenant_scope(tenant):
                db.session.add(Note(text=words))
                db.session.commit()


def test_the_login_role_cannot_leave_itself_and_sees_no_other_tenant(app, login_app, create_tenant, owner_url):
    a, b = create_tenant(modules={"notes": {}}), create_tenant(modules={"notes": {}})
    _notes(app, a, b)
    owner = make_url(owner_url).username
    with login_app.app_context():
        role = login_app.config["PAMONG_DB_APP_ROLE"]
        assert db.session.execute(text("SELECT session_user, current_user")).one() == (role, role)
        db.session.execute(text("RESET ROLE"))
        assert db.session.execute(text("SELECT current_user")).scalar_one() == role
        assert db.session.execute(text("SELECT count(*) FROM test_notes")).scalar_one() == 0
        assert db.session.execute(text("SELECT count(*) FROM audit_entries")).scalar_one() == 0
        db.session.rollback()
        for target in (owner, "pamong_app"):
            with pytest.raises(DBAPIError, match="permission denied"):
                db.session.execute(text(f'SET ROLE "{target}"'))
            db.session.rollback()
        with tenant_scope(a):
            db.session.execute(text("RESET ROLE"))
            texts = db.session.execute(text("SELECT text FROM test_notes")).scalars().all()
            assert "alpha only" in texts and "beta only" not in texts
        db.session.rollback()
    client = login_app.test_client()
    page = client.get(f"/t/{a.slug}/notes/").get_data(as_text=True)
    assert "alpha only" in page and "beta only" not in page


def test_the_login_app_files_and_seals(login_app, create_tenant):
    """A request through the login role writes, audits and seals like the demo's."""
    from core.audit import verify_tenant
    from core.tenancy.models import Tenant

    tenant = create_tenant()
    with login_app.app_context():
        with tenant_scope(tenant):
            db.session.add(Note(text="through the login"))
            from core.audit import record

            record(tenant, "tester", "test.login", "note", 1)
            db.session.commit()
        verdict = verify_tenant(db.session.get(Tenant, tenant.id))
        db.session.rollback()
    assert verdict.ok and verdict.unsealed == 0 and verdict.checked >= 1


def test_an_owner_login_is_refused_without_the_demo_flag(app, owner_url, pamong_extra_plugins, tmp_path):
    refused = create_app({"DATABASE_URL": owner_url, "PAMONG_DEMO": False, "SECRET_KEY": "x",
                          "INSTANCE_DIR": str(tmp_path)}, extra_plugins=pamong_extra_plugins)
    with pytest.raises(PamongError) as caught:
        check_login(refused)
    message = str(caught.value)
    assert caught.value.code == "db_login_bypasses_rls"
    assert message.startswith("PAMONG_DATABASE_URL: ") and "superuser" in message and "PAMONG_DEMO=1" in message
    assert "\n" not in message
    with refused.app_context():  # and every connection, not only the start-up check
        with pytest.raises(PamongError):
            db.session.execute(text("SELECT 1"))
        db.session.remove()
        db.engine.dispose()
    demo = create_app({"DATABASE_URL": owner_url, "PAMONG_DEMO": True, "SECRET_KEY": "x",
                       "INSTANCE_DIR": str(tmp_path)}, extra_plugins=pamong_extra_plugins)
    check_login(demo)  # the demo's convenience: owner login, SET ROLE to the restricted role
    with demo.app_context():
        assert db.session.execute(text("SELECT current_user")).scalar_one() == demo.config["PAMONG_DB_APP_ROLE"]
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def scratch_roles(owner_url):
    """Roles with one power each, and a login that is a member of each (dropped afterwards)."""
    engine = create_engine(owner_url)
    names = {kind: _role_name(owner_url, f"pamong_t_{kind}") for kind in ("bypass", "owner", "m1", "m2", "plain")}
    table = f"{names['owner']}_tbl"

    def drop(conn):
        conn.execute(text(f'DROP TABLE IF EXISTS "{table}"'))
        for name in names.values():
            conn.execute(text(f'DROP ROLE IF EXISTS "{name}"'))

    with engine.begin() as conn:
        drop(conn)
        conn.execute(text(f'CREATE ROLE "{names["bypass"]}" NOLOGIN BYPASSRLS'))
        conn.execute(text(f'CREATE ROLE "{names["owner"]}" NOLOGIN'))
        conn.execute(text(f'CREATE TABLE "{table}" (id int)'))
        conn.execute(text(f'ALTER TABLE "{table}" OWNER TO "{names["owner"]}"'))
        for login, power in (("m1", "bypass"), ("m2", "owner")):
            conn.execute(text(f'CREATE ROLE "{names[login]}" LOGIN'))
            conn.execute(text(f'GRANT "{names[power]}" TO "{names[login]}"'))
        conn.execute(text(f'CREATE ROLE "{names["plain"]}" LOGIN'))
    yield engine, names
    with engine.begin() as conn:
        drop(conn)
    engine.dispose()


def test_bypass_is_found_through_membership(scratch_roles):
    engine, names = scratch_roles
    with engine.connect() as conn:
        cursor = conn.connection.dbapi_connection.cursor()
        assert bypass_reason(cursor, names["m1"]) == f"member of '{names['bypass']}', which is BYPASSRLS"
        assert bypass_reason(cursor, names["m2"]) == f"member of '{names['owner']}', which owns the schema's tables"
        assert bypass_reason(cursor, names["owner"]) == "owns the schema's tables"
        assert bypass_reason(cursor, names["plain"]) is None
        assert bypass_reason(cursor, "postgres") == "superuser"
        cursor.close()


def test_init_refuses_the_owner_as_the_apps_login(owner_url, pamong_extra_plugins, tmp_path):
    same = create_app({"DATABASE_URL": owner_url, "DATABASE_OWNER_URL": owner_url, "SECRET_KEY": "x",
                       "INSTANCE_DIR": str(tmp_path)}, extra_plugins=pamong_extra_plugins)
    with pytest.raises(PamongError) as caught:
        migrate.upgrade(same)
    assert caught.value.code == "db_login_is_owner" and "restricted login of its own" in str(caught.value)
