"""Complaints' tracking numbers on the core's counters: an existing database keeps every sequence."""
from datetime import datetime, timezone

from sqlalchemy import text

from core.extensions import db
from core.tenancy.models import Tenant
from modules.complaints import numbering

BEFORE = {"core": "5e55c0a7b1d2", "complaints": "4a7d2e9c5b18"}  # each unit's head before the move


def test_the_next_number_continues_each_years_sequence(database_before):
    old = database_before(BEFORE)
    with old.rows() as rows:
        tid = rows.add("tenants", kind="city", parent_id=None, slug="lama", timezone="Asia/Makassar")
        other = rows.add("tenants", kind="city", parent_id=None, slug="lain", timezone="Asia/Jakarta")
        rows.add("complaint_counters", tenant_id=tid, year=2025, last_number=318)
        rows.add("complaint_counters", tenant_id=tid, year=2026, last_number=41)
        rows.add("complaint_counters", tenant_id=other, year=2026, last_number=7)
    old.upgrade()

    at_2026 = datetime(2026, 6, 1, 3, 0, tzinfo=timezone.utc)
    with old.app.app_context():
        tenant, them = db.session.get(Tenant, tid), db.session.get(Tenant, other)
        assert numbering.allocate(tenant, at_2026) == (2026, 42)
        assert numbering.allocate(tenant, datetime(2025, 12, 31, 15, 0, tzinfo=timezone.utc)) == (2025, 319)
        assert numbering.allocate(tenant, datetime(2027, 1, 2, tzinfo=timezone.utc)) == (2027, 1)
        db.session.commit()
        assert numbering.allocate(them, at_2026) == (2026, 8)
        db.session.rollback()
        assert numbering.format_number("LAMA", 2026, 42) == "LAMA-2026-000042"  # as before

    old.downgrade()  # and back: the old counters hold the numbers issued meanwhile
    with old.engine.connect() as conn:
        got = conn.execute(text("SELECT tenant_id, year, last_number FROM complaint_counters ORDER BY tenant_id, year"))
        assert [tuple(r) for r in got] == [(tid, 2025, 319), (tid, 2026, 42), (tid, 2027, 1), (other, 2026, 7)]
    old.upgrade()
    with old.app.app_context():
        assert numbering.allocate(db.session.get(Tenant, tid), at_2026) == (2026, 43)
        db.session.rollback()
