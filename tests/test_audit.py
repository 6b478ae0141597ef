"""The audit trail: written with the change, sealed into a per-tenant chain, tamper-evident."""
import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo
from sqlalchemy import create_engine, text

from cli import cli
from core.audit import AuditEntry, record, seal_tenant, verify_tenant
from core.extensions import db
from core.tenancy.models import Tenant
from core.tenancy.scope import tenant_scope


def _entries(app, tenant):
    with app.app_context(), tenant_scope(tenant):
        return db.session.execute(db.select(AuditEntry).order_by(AuditEntry.id)).scalars().all()


def _write(app, tenant, n, manual=True):
    app.config["PAMONG_AUDIT_SEAL"] = "manual" if manual else "queue"
    try:
        with app.app_context(), tenant_scope(tenant):
            for i in range(n):
                record(tenant, "tester", "test.change", "thing", i, before={"v": i}, after={"v": i + 1})
            db.session.commit()
    finally:
        app.config["PAMONG_AUDIT_SEAL"] = "queue"


def _verify(app, tenant):
    with app.app_context():
        return verify_tenant(db.session.get(Tenant, tenant.id))


def _owner_sql(app, sql, **params):
    """Tamper as the database owner, around the app (and, on PostgreSQL, around its trigger)."""
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(text(sql), params)
    engine.dispose()


def test_entry_commits_and_rolls_back_with_the_change(app, create_tenant):
    tenant = create_tenant()
    before = len(_entries(app, tenant))
    with app.app_context(), tenant_scope(tenant):
        record(tenant, "tester", "test.rolled_back", "thing", 1)
        db.session.rollback()
    assert len(_entries(app, tenant)) == before
    _write(app, tenant, 1)
    assert _entries(app, tenant)[-1].action == "test.change"


def test_commit_queues_sealing_and_the_chain_verifies(app, create_tenant):
    tenant = create_tenant()  # creation itself is audited, and sealed after commit
    _write(app, tenant, 3, manual=False)
    entries = _entries(app, tenant)
    assert all(e.seq is not None for e in entries)
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    assert all(e.prev_hash == p.hash for p, e in zip(entries, entries[1:]))
    verdict = _verify(app, tenant)
    assert verdict.ok and verdict.checked == len(entries) and verdict.unsealed == 0


def test_verify_counts_unsealed_and_never_seals(app, create_tenant):
    tenant = create_tenant()
    _write(app, tenant, 4)
    verdict = _verify(app, tenant)
    assert verdict.ok and verdict.unsealed == 4
    assert _verify(app, tenant).unsealed == 4
    with app.app_context():
        assert seal_tenant(tenant.id) == 4
    assert _verify(app, tenant).unsealed == 0


@pytest.mark.parametrize("tamper, expected", [
    ("UPDATE audit_entries SET summary = '{\"after\": {\"v\": 999}}' WHERE id = :id", "was altered"),
    ("DELETE FROM audit_entries WHERE id = :id", "is missing"),
    ("UPDATE audit_entries SET actor = 'someone else' WHERE id = :id", "was altered"),
])
def test_tampering_is_detected_and_named(app, create_tenant, tamper, expected):
    tenant = create_tenant()
    _write(app, tenant, 5, manual=False)
    victim = _entries(app, tenant)[2]
    _owner_sql(app, tamper, id=victim.id)
    verdict = _verify(app, tenant)
    assert not verdict.ok
    assert expected in verdict.broken
    assert str(victim.seq) in verdict.broken


def test_reordering_is_detected(app, create_tenant):
    tenant = create_tenant()
    _write(app, tenant, 4, manual=False)
    a, b = _entries(app, tenant)[1:3]
    _owner_sql(app, "UPDATE audit_entries SET seq = -1 WHERE id = :id", id=a.id)
    _owner_sql(app, "UPDATE audit_entries SET seq = :s WHERE id = :id", s=a.seq, id=b.id)
    _owner_sql(app, "UPDATE audit_entries SET seq = :s WHERE id = :id", s=b.seq, id=a.id)
    verdict = _verify(app, tenant)
    assert not verdict.ok and "does not follow" in verdict.broken


def test_deleting_the_newest_entries_is_detected(app, create_tenant):
    tenant = create_tenant()
    _write(app, tenant, 3, manual=False)
    last = _entries(app, tenant)[-1]
    _owner_sql(app, "DELETE FROM audit_entries WHERE id = :id", id=last.id)
    verdict = _verify(app, tenant)
    assert not verdict.ok and "newest sealed entries were deleted" in verdict.broken


def test_cli_verify_reports_and_fails_on_a_broken_chain(app, create_tenant):
    tenant = create_tenant()
    _write(app, tenant, 2, manual=False)
    _write(app, tenant, 1)  # one left unsealed
    runner = CliRunner()
    info = ScriptInfo(create_app=lambda: app)
    ok = runner.invoke(cli, ["audit", "verify", tenant.slug], obj=info)
    assert ok.exit_code == 0, ok.output
    assert "not yet sealed" in ok.output and ", 1 not yet sealed" in ok.output
    victim = _entries(app, tenant)[0]
    _owner_sql(app, "UPDATE audit_entries SET action = 'forged' WHERE id = :id", id=victim.id)
    broken = runner.invoke(cli, ["audit", "verify", tenant.slug], obj=info)
    assert broken.exit_code == 1
    assert f"entry id {victim.id}" in broken.output


def test_the_app_role_cannot_rewrite_a_sealed_entry(app, create_tenant):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("privileges and triggers are PostgreSQL's")
    from sqlalchemy.exc import DBAPIError

    tenant = create_tenant()
    _write(app, tenant, 1, manual=False)
    with app.app_context(), tenant_scope(tenant):
        with pytest.raises(DBAPIError):
            db.session.execute(text("UPDATE audit_entries SET action = 'x'"))
        db.session.rollback()
        with pytest.raises(DBAPIError):
            db.session.execute(text("DELETE FROM audit_entries"))
        db.session.rollback()
