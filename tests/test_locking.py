"""Serialised read-modify-write (issue 9.1, core/locking.py) and the sealer/verifier built on it,
on SQLite and PostgreSQL."""
import threading
import time

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from cli import cli
from core.audit import record, seal_tenant, verify_tenant
from core.extensions import db
from core.locking import LockError, read_snapshot, write_lock, write_transaction
from core.tenancy.models import Tenant
from core.tenancy.scope import tenant_scope


def _write(app, tenant, n):
    app.config["PAMONG_AUDIT_SEAL"] = "manual"
    try:
        with app.app_context(), tenant_scope(tenant):
            for i in range(n):
                record(tenant, "tester", "test.change", "thing", i)
            db.session.commit()
    finally:
        app.config["PAMONG_AUDIT_SEAL"] = "queue"


def _counter_table(app):
    """A scratch table, made as the owner (the test app's URL is the owner's: PAMONG_DEMO)."""
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS lock_test_counter (name VARCHAR(20) PRIMARY KEY, n INTEGER)"))
        if conn.dialect.name == "postgresql":
            conn.execute(text("GRANT ALL ON lock_test_counter TO PUBLIC"))
    engine.dispose()


def test_read_then_write_under_the_lock_loses_nothing(app):
    """Threads each read a number and write it back plus one: with the lock, no increment is lost."""
    _counter_table(app)
    name = f"c{time.monotonic_ns()}"
    with app.app_context(), write_transaction() as conn:
        conn.execute(text("INSERT INTO lock_test_counter (name, n) VALUES (:c, 0)"), {"c": name})
    errors = []

    def bump():
        try:
            with app.app_context():
                for _ in range(10):
                    with write_transaction(key="test.counter", ident=1) as conn:
                        n = conn.execute(text("SELECT n FROM lock_test_counter WHERE name = :c"), {"c": name}).scalar()
                        time.sleep(0.001)  # widen the window a lost update would need
                        conn.execute(text("UPDATE lock_test_counter SET n = :n WHERE name = :c"), {"n": n + 1, "c": name})
        except Exception as exc:  # noqa: BLE001
            errors.append(repr(exc))

    threads = [threading.Thread(target=bump) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with app.app_context(), db.engine.connect() as conn:
        assert conn.execute(text("SELECT n FROM lock_test_counter WHERE name = :c"), {"c": name}).scalar() == 80


def test_the_session_lock_makes_a_writer_before_it_reads(app):
    with app.app_context():
        write_lock(db.session, "test.session", 1)
        if db.engine.dialect.name == "sqlite":
            assert db.session.connection().connection.dbapi_connection.in_transaction
        db.session.rollback()


def test_a_read_snapshot_cannot_become_a_writer_on_sqlite(app):
    with app.app_context(), read_snapshot() as conn:
        conn.execute(text("SELECT 1")).scalar()
        if conn.dialect.name == "sqlite":
            with pytest.raises(LockError):
                write_lock(conn)


def test_verify_never_calls_a_concurrent_sealer_tampering(app, create_tenant):
    """Verify runs again and again while entries are written and sealed: never 'broken'."""
    tenant = create_tenant()
    stop = threading.Event()
    verdicts, errors = [], []

    def verify_loop():
        with app.app_context():
            row = db.session.get(Tenant, tenant.id)
            db.session.expunge(row)
            while not stop.is_set():
                verdicts.append(verify_tenant(row).broken)

    def seal_loop():
        with app.app_context():
            while not stop.is_set():
                try:
                    seal_tenant(tenant.id)
                except Exception as exc:  # noqa: BLE001
                    errors.append(repr(exc))

    workers = [threading.Thread(target=verify_loop), threading.Thread(target=seal_loop),
               threading.Thread(target=seal_loop)]
    for t in workers:
        t.start()
    try:
        for _ in range(15):
            _write(app, tenant, 3)
    finally:
        stop.set()
        for t in workers:
            t.join()
    assert errors == []
    assert verdicts and set(verdicts) == {None}
    with app.app_context():
        seal_tenant(tenant.id)
        final = verify_tenant(db.session.get(Tenant, tenant.id))
    assert final.ok and final.unsealed == 0


def test_sealing_twice_is_a_no_op(app, create_tenant):
    tenant = create_tenant()
    _write(app, tenant, 3)
    with app.app_context():
        assert seal_tenant(tenant.id) >= 3
        assert seal_tenant(tenant.id) == 0
        assert verify_tenant(db.session.get(Tenant, tenant.id)).ok


def test_cli_seal_ends_in_one_line(app, create_tenant, monkeypatch):
    tenant = create_tenant()
    _write(app, tenant, 2)
    runner = CliRunner()
    info = ScriptInfo(create_app=lambda: app)
    ok = runner.invoke(cli, ["audit", "seal", tenant.slug], obj=info)
    assert ok.exit_code == 0 and ok.output.startswith("sealed ")
    unknown = runner.invoke(cli, ["audit", "seal", "no-such-tenant"], obj=info)
    assert unknown.exit_code == 2 and len(unknown.output.strip().splitlines()) == 1
    assert "no-such-tenant" in unknown.output

    def locked(*args, **kwargs):
        raise OperationalError("UPDATE audit_entries ...", {}, Exception("database is locked"))

    monkeypatch.setattr("core.commands.audit.seal_tenant", locked)
    busy = runner.invoke(cli, ["audit", "seal", tenant.slug], obj=info)
    assert busy.exit_code == 1, busy.output
    assert busy.output.strip().splitlines() == [
        "error: sealing stopped, nothing half sealed (run it again): database is locked"]
    assert busy.exception is None or isinstance(busy.exception, SystemExit)
