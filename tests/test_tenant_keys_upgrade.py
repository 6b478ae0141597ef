"""Re-keying an existing database (issue 9 item 6): a database built at the revisions before the
tenant keys, with rows in every tenant table referring to each other, is upgraded without losing
or changing a row or a reference; ids keep being generated; ON DELETE actions still hold; a
reference across tenants stops the upgrade, naming table and column, with nothing changed.

On PostgreSQL this runs in a scratch database of its own (``<db>_rekey``), never the session's.
"""
from __future__ import annotations

import itertools
import re
from datetime import datetime, timezone

import pytest
from alembic import command
from sqlalchemy import JSON, Boolean, DateTime, Float, Integer, MetaData, String, create_engine, text

from cli import main
from core import create_app, migrate
from core.errors import PamongError
from core.extensions import db
from core.tenancy.key_check import key_violations
from core.tenancy.models import OrgUnit
from core.tenancy.scope import tenant_scope
from tests import testmodule
from tests.testmodule.models import Note

# each unit's head before the tenant keys
BEFORE = {"core": "1ef5c8caf773", "complaints": "63cd1c12a498", "notes": "n0tes0000001"}


@pytest.fixture
def scratch_url(database_url, tmp_path):
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'before.db'}"
        return
    from sqlalchemy.engine import make_url

    from core.config import normalise_db_url

    base = make_url(normalise_db_url(database_url))
    name = f"{base.database}_rekey"
    assert re.match(r"^[a-z_][a-z0-9_]*$", name), name
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield base.set(database=name).render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture
def old_app(scratch_url, tmp_path):
    """An app on a database at the revisions before the keys (BEFORE)."""
    app = create_app({"DATABASE_URL": scratch_url, "SECRET_KEY": "x", "INSTANCE_DIR": str(tmp_path / "instance")},
                     extra_plugins=[testmodule])
    engine = migrate.owner_engine(app)
    try:
        with engine.begin() as conn:
            for unit in migrate.units(app.extensions["pamong"]):
                if unit.name in BEFORE:  # a module written after the keys has no "before" to go back to
                    command.upgrade(migrate._config(unit, conn), BEFORE[unit.name])
    finally:
        engine.dispose()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


class Rows:
    """Inserts rows into the reflected tables, filling every NOT NULL column it is not given."""

    def __init__(self, conn):
        self.conn = conn
        self.meta = MetaData()
        self.meta.reflect(bind=conn)
        self.counter = itertools.count(1)

    def filler(self, column):
        n = next(self.counter)
        kind = type(column.type)
        if isinstance(column.type, Boolean):
            return False
        if isinstance(column.type, Integer):
            return n
        if isinstance(column.type, Float):
            return float(n)
        if isinstance(column.type, DateTime):
            return datetime(2026, 11, 1, 8, n % 60, tzinfo=timezone.utc)
        if isinstance(column.type, JSON) or "JSON" in kind.__name__.upper():
            return {}
        if isinstance(column.type, String):
            return f"v{n}"[: column.type.length or 40]
        raise AssertionError(f"no filler for {column}")

    def add(self, table: str, **values):
        t = self.meta.tables[table]
        row = {c.name: self.filler(c) for c in t.columns
               if not c.nullable and c.name not in values and c.name != "id" and c.server_default is None}
        row.update(values)
        if "id" not in t.c:
            self.conn.execute(t.insert(), row)
            return None
        return self.conn.execute(t.insert().returning(t.c.id), row).scalar_one()

    def snapshot(self, conn=None) -> dict[str, list[tuple]]:
        conn = conn or self.conn
        out = {}
        for name, t in self.meta.tables.items():
            if name.startswith("alembic_version"):
                continue
            order = "id" if "id" in t.c else "host"
            columns = ", ".join(c.name for c in t.columns)
            out[name] = [tuple(r) for r in conn.execute(text(f"SELECT {columns} FROM {name} ORDER BY {order}"))]
        return out


def fill(rows: Rows, cross_tenant: bool = False) -> dict:
    """Two tenants, with a row in every tenant table and every reference between them used."""
    ids = {}
    a = ids["a"] = rows.add("tenants", kind="city", parent_id=None)
    b = ids["b"] = rows.add("tenants", kind="city", parent_id=None)
    user = rows.add("users", locale=None)
    rows.add("tenant_domains", host="a.example.test", tenant_id=a)
    agency = ids["agency"] = rows.add("org_units", tenant_id=a, kind="agency", parent_id=None)
    district = rows.add("org_units", tenant_id=a, kind="district", parent_id=agency)
    their_agency = rows.add("org_units", tenant_id=b, kind="agency", parent_id=None)
    rows.add("memberships", tenant_id=a, user_id=user, role="officer", agency_id=agency)
    rows.add("tenant_modules", tenant_id=a, module="complaints")
    rows.add("role_permissions", tenant_id=a, role="officer")
    rows.add("api_tokens", tenant_id=a, revoked_at=None)
    rows.add("audit_entries", tenant_id=a, actor_id=None, seq=1, prev_hash="0" * 64, hash="1" * 64)
    rows.add("audit_entries", tenant_id=a, actor_id=user, seq=None, prev_hash=None, hash=None)
    rows.add("outbox_messages", tenant_id=a, ref="complaints:1")
    rows.add("inbound_sms", tenant_id=b, reply_id=None)
    rows.add("complaint_counters", tenant_id=a, year=2026)
    first = ids["first"] = rows.add("complaints", tenant_id=a, agency_id=agency, district_id=district, village_id=None,
                                    filer_user_id=user, assignee_id=None, duplicate_of_id=None)
    ids["second"] = rows.add("complaints", tenant_id=a, agency_id=agency, district_id=None, village_id=None,
                             filer_user_id=None, assignee_id=user, duplicate_of_id=first)
    rows.add("complaints", tenant_id=b, agency_id=agency if cross_tenant else their_agency, district_id=None,
             village_id=None, filer_user_id=None, assignee_id=None, duplicate_of_id=None)
    event = ids["event"] = rows.add("complaint_events", tenant_id=a, complaint_id=first, agency_id=agency, actor_id=user)
    ids["later_event"] = rows.add("complaint_events", tenant_id=a, complaint_id=ids["second"], agency_id=None,
                                  actor_id=None)
    photo = ids["photo"] = rows.add("complaint_photos", tenant_id=a, complaint_id=first)
    rows.add("complaint_update_receipts", tenant_id=a, complaint_id=first, event_id=event)
    rows.add("complaint_followers", tenant_id=a, complaint_id=first, user_id=user)
    ids["redaction"] = rows.add("complaint_redactions", tenant_id=a, complaint_id=ids["second"], event_id=event,
                                photo_id=photo, actor_id=user, original_text=None)
    ids["notes"] = [rows.add("test_notes", tenant_id=t) for t in (a, b, a)]
    return ids


def test_an_existing_database_is_rekeyed_without_losing_a_row(old_app):
    engine = migrate.owner_engine(old_app)
    try:
        with engine.begin() as conn:
            rows = Rows(conn)
            ids = fill(rows)
            before = rows.snapshot()
            assert len(key_violations(conn)) >= 25  # the keys as they were
        assert sum(map(len, before.values())) >= 28 and all(before.values())

        migrate.upgrade(old_app)

        with engine.connect() as conn:
            assert rows.snapshot(conn) == before  # every row, every column, every reference
            assert key_violations(conn) == []
            assert {u: r[0] for u, r in migrate.current(old_app).items()} != BEFORE

        # and back down (each unit's downgrade), and up again
        with engine.begin() as conn:
            for unit in reversed(migrate.units(old_app.extensions["pamong"])):
                command.downgrade(migrate._config(unit, conn), BEFORE.get(unit.name, "base"))
        with engine.connect() as conn:
            assert rows.snapshot(conn) == before
            assert len(key_violations(conn)) >= 25
        migrate.upgrade(old_app)
        with engine.connect() as conn:
            assert rows.snapshot(conn) == before
            assert key_violations(conn) == []
    finally:
        engine.dispose()

    with old_app.app_context():  # ids go on being generated, never reusing an old one
        with tenant_scope(ids["a"]):
            note, unit = Note(text="after"), OrgUnit(kind="village", code="NEW", name="Kelurahan", parent_id=ids["agency"])
            db.session.add_all([note, unit])
            db.session.flush()
            assert note.id > max(ids["notes"]) and unit.id > ids["agency"]
            db.session.commit()
            assert db.session.get(Note, note.id).text == "after"

    engine = create_engine(old_app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        with engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.commit()
            # SET NULL nulls the reference only, never tenant_id; CASCADE still cascades
            conn.execute(text("DELETE FROM complaint_photos WHERE id = :i"), {"i": ids["photo"]})
            conn.execute(text("DELETE FROM complaints WHERE id = :i"), {"i": ids["first"]})
            redaction = conn.execute(text("SELECT tenant_id, photo_id, event_id FROM complaint_redactions WHERE id = :i"),
                                     {"i": ids["redaction"]}).one()
            assert tuple(redaction) == (ids["a"], None, None)  # its event went with the first complaint
            second = conn.execute(text("SELECT tenant_id, duplicate_of_id FROM complaints WHERE id = :i"),
                                  {"i": ids["second"]}).one()
            assert tuple(second) == (ids["a"], None)
            left = conn.execute(text("SELECT id FROM complaint_events WHERE tenant_id = :a ORDER BY id"),
                                {"a": ids["a"]}).scalars().all()
            assert left == [ids["later_event"]]
            assert conn.execute(text("SELECT count(*) FROM complaint_update_receipts")).scalar() == 0
            conn.rollback()
    finally:
        engine.dispose()


def test_a_reference_across_tenants_stops_the_upgrade_and_changes_nothing(old_app, scratch_url, tmp_path,
                                                                           monkeypatch, capsys):
    engine = migrate.owner_engine(old_app)
    try:
        with engine.begin() as conn:
            rows = Rows(conn)
            fill(rows, cross_tenant=True)
            before = rows.snapshot()
        with pytest.raises(PamongError, match=r"complaints\.agency_id: 1 row\(s\) refer to a org_units row of another tenant"):
            migrate.upgrade(old_app)
        # the command says so in one line, exit 2
        monkeypatch.setenv("PAMONG_DATABASE_URL", scratch_url)
        monkeypatch.setenv("PAMONG_INSTANCE", str(tmp_path / "cli"))
        with pytest.raises(SystemExit) as exit_:
            main(["db", "upgrade"])
        err = capsys.readouterr().err.splitlines()  # after the command's own "Migrating" line
        assert exit_.value.code == 2 and len([line for line in err if line.startswith("error")]) == 1, err
        assert err[-1].startswith("error: complaints.agency_id: 1 row(s) refer to a org_units row of another tenant"), err
        with engine.connect() as conn:
            assert rows.snapshot(conn) == before
            assert key_violations(conn) != []  # still the old keys
        current = {u: r[0] for u, r in migrate.current(old_app).items()}
        assert current == {u: BEFORE.get(u) for u in current}  # modules written after the keys: still none
    finally:
        engine.dispose()
