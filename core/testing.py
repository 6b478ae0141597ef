"""Pytest fixtures for the core and for every module, in-tree or published (entry point ``pytest11``).

Each test runs on SQLite and, when ``PAMONG_TEST_DATABASE_URL`` names a PostgreSQL database, on
PostgreSQL too (``PAMONG_REQUIRE_POSTGRES=1``, as in CI, turns a missing PostgreSQL into a failure).
The database is migrated once per session with ``pamong db upgrade``'s own code; tests create
their own tenants with unique slugs, so they never depend on each other's rows.
"""
from __future__ import annotations

import contextlib
import itertools
import os

import pytest

PASSWORD = "correct-horse-battery"
_counter = itertools.count(1)


def pytest_addoption(parser):
    parser.addoption(
        "--backend", choices=("sqlite", "postgres"), default=None,
        help="run only the tests on this database; tests that take no database run with 'sqlite' "
             "(make test runs the two halves side by side, each with its own app and database)")


def pytest_configure(config):
    # Tests may log in as the owner and SET ROLE (the demo's convenience, core/rls.py); the
    # production way (the app's own login role) is tested with an app of its own.
    os.environ.setdefault("PAMONG_DEMO", "1")
    # Test accounts are hashed with argon2's cheapest parameters (production keeps the defaults;
    # tests/test_auth.py checks a sign-in upgrades such a hash to them).
    from argon2.profiles import CHEAPEST

    from .auth import passwords

    passwords.use_parameters(CHEAPEST)
    config.addinivalue_line("markers", "postgres: needs PostgreSQL (PAMONG_TEST_DATABASE_URL)")
    config.addinivalue_line("markers", "browser: drives the system Chromium with Playwright")


def _backend_of(item) -> str:
    callspec = getattr(item, "callspec", None)
    return callspec.params.get("database_url", "sqlite") if callspec else "sqlite"


def pytest_collection_modifyitems(config, items):
    wanted = config.getoption("--backend")
    if not wanted:
        return
    keep = [item for item in items if _backend_of(item) == wanted]
    if len(keep) != len(items):
        config.hook.pytest_deselected(items=[item for item in items if _backend_of(item) != wanted])
        items[:] = keep


def _backends():
    return ["sqlite", "postgres"]


@pytest.fixture(scope="session", params=_backends())
def database_url(request, tmp_path_factory):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    url = os.environ.get("PAMONG_TEST_DATABASE_URL")
    if not url:
        if os.environ.get("PAMONG_REQUIRE_POSTGRES") == "1":
            pytest.fail("PAMONG_TEST_DATABASE_URL is not set but PAMONG_REQUIRE_POSTGRES=1")
        pytest.skip("PostgreSQL not configured (set PAMONG_TEST_DATABASE_URL)")
    _reset_postgres(url)
    return url


def _reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    from .config import normalise_db_url

    engine = create_engine(normalise_db_url(url))
    try:
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    except Exception as exc:  # noqa: BLE001
        pytest.fail(f"PostgreSQL at PAMONG_TEST_DATABASE_URL is not reachable: {exc}")
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def pamong_extra_plugins():
    """Override to load plugins that are not installed (the core's tests use a test module)."""
    return []


@pytest.fixture(scope="session")
def app(database_url, pamong_extra_plugins, tmp_path_factory):
    from . import create_app, migrate
    from .jobs import huey

    huey.immediate = True
    instance = tmp_path_factory.mktemp("instance")
    app = create_app(
        {
            "DATABASE_URL": database_url, "SECRET_KEY": "test-secret", "TESTING": True,
            "WTF_CSRF_ENABLED": False, "SESSION_COOKIE_SECURE": False, "REMEMBER_COOKIE_SECURE": False,
            "INSTANCE_DIR": str(instance), "RATELIMIT_ENABLED": True,
            "PAMONG_TENANTS_DIR": str(tmp_path_factory.mktemp("tenants")),
            "PAMONG_PUBLIC_FIGURES_TTL": 0,  # tests read figures right after changing them
            "PAMONG_LOGIN_RATE": "10000 per minute",  # tests sign in often; test_auth checks the real limit
        },
        extra_plugins=pamong_extra_plugins,
    )
    migrate.upgrade(app)
    yield app
    from .extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()


TEST_STATUS_HEADER = "X-Pamong-Test-Status"
TEST_LATE_HEADER = "X-Pamong-Test-Late"


@pytest.fixture(scope="module")
def error_app(app, pamong_extra_plugins, error_plugins):
    """The app as deployed for error tests (exceptions answered, not raised; CSRF on), on the
    session's database, with ``error_plugins`` added. A request carrying the header
    ``X-Pamong-Test-Status: <status>`` fails with that status before anything else runs (500: an
    unhandled RuntimeError), so each error format can be checked for every status, tenant or not;
    ``X-Pamong-Test-Late: <status>`` fails after the tenant and the user are known (``db``: a failed
    SQL statement first, then the RuntimeError, as a view that broke its transaction would)."""
    from flask import abort, request

    from . import create_app

    def fail_on_request():
        status = request.headers.get(TEST_STATUS_HEADER)
        if not status:
            return None
        if status == "500":
            raise RuntimeError("a deliberate failure of the error tests")
        abort(int(status))

    def fail_late():
        status = request.headers.get(TEST_LATE_HEADER)
        if not status:
            return None
        if status == "db":
            from sqlalchemy import text

            from .extensions import db

            db.session.execute(text("SELECT no_such_column FROM no_such_table"))
        if status in ("db", "500"):
            raise RuntimeError("a deliberate failure of the error tests")
        abort(int(status))

    instance = app.config["INSTANCE_DIR"]
    failing = create_app(
        {
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": "error-secret",
            "PAMONG_DATA_KEY": app.config.get("PAMONG_DATA_KEY") or app.config["SECRET_KEY"],
            "TESTING": False, "PROPAGATE_EXCEPTIONS": False, "WTF_CSRF_ENABLED": True,
            "SESSION_COOKIE_SECURE": False, "REMEMBER_COOKIE_SECURE": False, "INSTANCE_DIR": instance,
            "RATELIMIT_ENABLED": True, "PAMONG_TENANTS_DIR": app.config["PAMONG_TENANTS_DIR"],
        },
        extra_plugins=[*pamong_extra_plugins, *error_plugins],
    )
    failing.before_request_funcs.setdefault(None, []).insert(0, fail_on_request)
    failing.before_request_funcs[None].append(fail_late)
    yield failing
    from .extensions import db

    with failing.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def error_plugins():
    """Override to add plugins to ``error_app`` only (e.g. one declaring its own error format)."""
    return []


@pytest.fixture
def app_ctx(app):
    from .extensions import db

    with app.app_context():
        yield app
        db.session.rollback()


@pytest.fixture
def client(app):
    return app.test_client()


def unique(prefix: str = "t") -> str:
    return f"{prefix}{os.getpid() % 1000}x{next(_counter)}"


@pytest.fixture
def create_tenant(app):
    """``create_tenant(kind="city", parent=None, modules={"name": {...}}, **fields) -> Tenant``"""
    return tenant_factory(app)


def tenant_factory(app):
    """``create_tenant``'s function, for a fixture of a wider scope (rows that several tests read)."""
    from .extensions import db
    from .tenancy import service
    from .tenancy.schema import parse_tenant

    def make(slug=None, kind="city", parent=None, modules=None, agencies=None, **fields):
        slug = slug or unique("tn")
        data = {
            "slug": slug, "name": fields.pop("name", f"Kota {slug}"), "kind": kind,
            "timezone": fields.pop("timezone", "Asia/Makassar"), "parent": parent or "",
            "domains": fields.pop("domains", [f"{slug}.example.test"]),
            "agencies": agencies if agencies is not None else [{"code": "DLH", "name": "Dinas Lingkungan Hidup"}],
            "modules": {k: {"enabled": True, "settings": v or {}} for k, v in (modules or {}).items()},
            **fields,
        }
        with app.app_context():
            doc = parse_tenant(data, "test")
            (_, doc), = service.check_batch([("test", doc)], app.extensions["pamong"])
            tenant = service.apply_doc(doc, "test", app.extensions["pamong"])
            db.session.commit()
            tenant_id = tenant.id
        with app.app_context():
            return _detached_tenant(tenant_id)

    return make


def _detached_tenant(tenant_id):
    from .extensions import db
    from .tenancy.models import Tenant

    tenant = db.session.get(Tenant, tenant_id)
    _ = tenant.domains, tenant.parent
    db.session.expunge(tenant)
    return tenant


@pytest.fixture
def create_user(app):
    """``create_user(tenant, role="citizen", agency=None, email=None) -> email`` (password: PASSWORD)."""
    from .auth import service as accounts
    from .extensions import db
    from .tenancy.models import Tenant

    def make(tenant=None, role="citizen", agency=None, email=None, operator=False):
        email = email or f"{unique('u')}@example.test"
        with app.app_context():
            user = accounts.find_user(email) or accounts.create_user(email, password=PASSWORD, operator=operator)
            if tenant is not None:
                accounts.grant_role(db.session.get(Tenant, tenant.id), user, role, "test", agency=agency)
            db.session.commit()
        return email

    return make


@pytest.fixture
def login():
    """``login(client, email, tenant=None)``: sign in through the real form."""

    def do(client, email, tenant=None, password=PASSWORD):
        prefix = f"/t/{tenant.slug}" if tenant is not None else ""
        response = client.post(f"{prefix}/login", data={"email": email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response

    return do


@pytest.fixture
def create_token(app):
    """``create_token(tenant, *scopes) -> token``: an API token of ``tenant``, sent as ``Bearer``."""
    from .auth.service import create_token as make_token
    from .extensions import db
    from .tenancy.models import Tenant

    def make(tenant, *scopes):
        with app.app_context():
            token = make_token(db.session.get(Tenant, tenant.id), unique("token"), list(scopes), "test")
            db.session.commit()
        return token

    return make


@pytest.fixture
def audit_entries(app):  # the audit trail, as a module's test reads it
    """``audit_entries(tenant, action=None) -> [{"action", "actor", "object_type", "object_id", "summary"}]``,
    oldest first: what the audit trail holds for ``tenant``."""
    from .audit import AuditEntry
    from .extensions import db
    from .tenancy.scope import read_scope

    def read(tenant, action=None):
        with app.app_context(), read_scope([tenant]):
            query = db.select(AuditEntry).order_by(AuditEntry.id)
            if action is not None:
                query = query.where(AuditEntry.action == action)
            return [
                {"action": e.action, "actor": e.actor, "object_type": e.object_type, "object_id": e.object_id,
                 "summary": e.summary}
                for e in db.session.execute(query).scalars()
            ]

    return read


@pytest.fixture
def outbox(app):
    """``outbox(tenant, channel=None) -> [{"channel", "recipient", "subject", "body", "ref", "status"}]``,
    oldest first: the messages (SMS, e-mail, ...) the tenant's outbox holds, as the worker would send
    them (``recipient`` decrypted)."""
    from .extensions import db
    from .notify.models import OutboxMessage
    from .tenancy.scope import tenant_scope

    def read(tenant, channel=None):
        with app.app_context(), tenant_scope(tenant):
            query = db.select(OutboxMessage).order_by(OutboxMessage.id)
            if channel is not None:
                query = query.where(OutboxMessage.channel == channel)
            return [
                {"channel": m.channel, "recipient": m.recipient, "subject": m.subject, "body": m.body,
                 "ref": m.ref, "status": m.status}
                for m in db.session.execute(query).scalars()
            ]

    return read


FROZEN_AT = "2026-03-02T01:00:00+00:00"  # a Monday, 09:00 in Makassar (WITA)


@pytest.fixture
def frozen_clock():
    """The core's clock stopped at ``FROZEN_AT`` (``core/clock.py``): ``utcnow()`` of the kit, the
    models' defaults, signed-webhook windows and the login throttle all read it. ``.now``,
    ``.set(datetime)``, ``.advance(days=..., hours=...)``; running again after the test."""
    from datetime import datetime

    from .clock import FrozenClock, freeze

    clock = FrozenClock(datetime.fromisoformat(FROZEN_AT))
    yield clock
    freeze(None)


class Statements(list):
    """The SQL statements ``sql_statements`` recorded, in order; ``count`` is how many."""

    @property
    def count(self) -> int:
        return len(self)


@contextlib.contextmanager
def sql_statements(app=None, ignore: tuple[str, ...] = ()):
    """Record every SQL statement the database is sent while the block runs (SQLAlchemy's
    ``before_cursor_execute`` on the app's engine): ``with sql_statements(app) as seen: ...``, then
    ``seen`` (the statements) and ``seen.count``. Without ``app``, the current app's engine (inside
    its app context). ``ignore``: statements starting with one of these words (case-insensitive, e.g.
    ``("SAVEPOINT", "RELEASE")``) are not recorded."""
    from sqlalchemy import event

    from .extensions import db

    if app is None:
        engine = db.engine
    else:
        with app.app_context():
            engine = db.engine
    skipped = tuple(word.upper() for word in ignore)
    seen = Statements()

    def record(conn, cursor, statement, parameters, context, executemany):
        if not (skipped and statement.lstrip().upper().startswith(skipped)):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


# Browser fixtures (live_app, live_server, browser, page, screenshot) live in core/testing_browser.py.
from .testing_browser import browser, live_app, live_server, page, screenshot  # noqa: E402,F401
