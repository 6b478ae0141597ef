"""Complaints filed before the public figures' counters existed are counted when the database is
upgraded (revision 8f3b6d2c1a47): the backfill gives what ``summary.rebuild`` gives."""
from datetime import datetime, timedelta, timezone

from core.extensions import db
from core.tenancy.models import Tenant
from modules.complaints import summary, transparency

BEFORE = {"complaints": "5d1c7e2a9f40"}
FILED = datetime(2026, 5, 31, 20, 0, tzinfo=timezone.utc)  # 1 June 04:00 WITA: June, in the tenant's zone


def test_existing_complaints_are_counted_as_a_rebuild_counts_them(database_before):
    old = database_before(BEFORE)
    with old.rows() as rows:
        tid = rows.add("tenants", kind="city", parent_id=None, slug="lama", timezone="Asia/Makassar")
        rows.add("tenant_modules", tenant_id=tid, module="complaints", enabled=True, settings={})
        agency = rows.add("org_units", tenant_id=tid, kind="agency", code="PU", name="Dinas PU", parent_id=None,
                          active=True)
        for i, (status, outcome, fixed_after, within, confirmed) in enumerate([
            ("submitted", "", None, None, False),
            ("resolved", "fixed", timedelta(hours=30), True, False),
            ("closed", "fixed", timedelta(days=3), False, True),
            ("closed", "duplicate", None, None, False),
        ]):
            rows.add("complaints", tenant_id=tid, agency_id=agency, number=f"LAMA-2026-{i:06d}",
                     category_code="JALAN", status=status, outcome=outcome, created_at=FILED, updated_at=FILED,
                     resolved_at=FILED + fixed_after if fixed_after else None, resolved_within_target=within,
                     confirmed_at=FILED + timedelta(days=4) if confirmed else None, district_id=None,
                     village_id=None, duplicate_of_id=None, filer_user_id=None, assignee_id=None)
    old.upgrade()
    with old.app.app_context():
        tenant = db.session.get(Tenant, tid)
        backfilled = summary.counters(tenant)
        assert backfilled[("filed", "2026-06")] == 4 and backfilled[("status", "closed")] == 2
        assert backfilled[("fixed", "2026-06")] == 2 and ("fixed", "2026-05") not in backfilled
        assert backfilled[("outcome", "fixed")] == 2 and backfilled[("confirmed", "")] == 1
        assert backfilled[("within_target", "1")] == 1 and backfilled[("within_target", "0")] == 1
        rep = transparency.report(tenant, FILED + timedelta(days=5))
        assert rep.total == 4 and rep.resolved == 2 and rep.median_hours == (30 + 72) / 2
        summary.rebuild(tenant)
        db.session.commit()
        assert summary.counters(tenant) == backfilled
