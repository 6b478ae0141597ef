"""Complaints' tracking numbers on the core's counters: an existing database keeps every sequence."""
from datetime import datetime, timezone

import pytest
from alembic import command
from sqlalchemy import text

from core import create_app, migrate
from core.extensions import db
from core.tenancy.models import Tenant
from modules.complaints import numbering
from tests import testmodule
from tests.test_tenant_keys_upgrade import Rows, scratch_url  # noqa: F401 - a fixture

BEFORE = {"core": "5e55c0a7b1d2", "complaints": "4a7d2e9c5b18"}  # each unit's head before the move


@pytest.fixture
def old_app(scratch_url, tmp_path):  # noqa: F811
    app = create_app({"DATABASE_URL": scratch_url, "SECRET_KEY": "x", "INSTANCE_DIR": str(tmp_path / "instance")},
                     extra_plugins=[testmodule])
    engine = migrate.owner_engine(app)
    try:
        with engine.begin() as conn:
            for unit in migrate.units(app.extensions["pamong"]):
                command.upgrade(migrate._config(unit, conn), BEFORE.get(unit.name, "heads"))
    finally:
        engine.dispose()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_the_next_number_continues_each_years_sequence(old_app):
    engine = migrate.owner_engine(old_app)
    try:
        with engine.begin() as conn:
            rows = Rows(conn)
            tid = rows.add("tenants", kind="city", parent_id=None, slug="lama", timezone="Asia/Makassar")
            other = rows.add("tenants", kind="city", parent_id=None, slug="lain", timezone="Asia/Jakarta")
            rows.add("complaint_counters", tenant_id=tid, year=2025, last_number=318)
            rows.add("complaint_counters", tenant_id=tid, year=2026, last_number=41)
            rows.add("complaint_counters", tenant_id=other, year=2026, last_number=7)
        migrate.upgrade(old_app)

        at_2026 = datetime(2026, 6, 1, 3, 0, tzinfo=timezone.utc)
        with old_app.app_context():
            tenant, them = db.session.get(Tenant, tid), db.session.get(Tenant, other)
            assert numbering.allocate(tenant, at_2026) == (2026, 42)
            assert numbering.allocate(tenant, datetime(2025, 12, 31, 15, 0, tzinfo=timezone.utc)) == (2025, 319)
            assert numbering.allocate(tenant, datetime(2027, 1, 2, tzinfo=timezone.utc)) == (2027, 1)
            db.session.commit()
            assert numbering.allocate(them, at_2026) == (2026, 8)
            db.session.rollback()
            assert numbering.format_number("LAMA", 2026, 42) == "LAMA-2026-000042"  # as before

        with engine.begin() as conn:  # and back: the old counters hold the numbers issued meanwhile
            for unit in reversed(migrate.units(old_app.extensions["pamong"])):
                if unit.name in BEFORE:
                    command.downgrade(migrate._config(unit, conn), BEFORE[unit.name])
        with engine.connect() as conn:
            got = conn.execute(text("SELECT tenant_id, year, last_number FROM complaint_counters ORDER BY tenant_id, year"))
            assert [tuple(r) for r in got] == [(tid, 2025, 319), (tid, 2026, 42), (tid, 2027, 1), (other, 2026, 7)]
        migrate.upgrade(old_app)
        with old_app.app_context():
            assert numbering.allocate(db.session.get(Tenant, tid), at_2026) == (2026, 43)
            db.session.rollback()
    finally:
        engine.dispose()
