"""Complaints filed before their deadlines moved onto the core's SLA clocks get clocks from their
columns when the database is upgraded (revision 5d1c7e2a9f40): every deadline unchanged, a waiting
complaint's clocks paused, the service level from the tenant's categories."""
from datetime import datetime, timedelta, timezone

from core.extensions import db
from core.kit import sla, tenant_scope
from core.tenancy.models import Tenant
from modules.complaints import clocks, deadlines
from modules.complaints.models import Complaint, aware

BEFORE = {"complaints": "c3e8a1f05d27"}  # the complaints' head before the move (the core at its head)
FILED = datetime(2026, 5, 4, 1, 0, tzinfo=timezone.utc)  # Monday 09:00 WITA
LUBANG = {"code": "LUBANG", "name_id": "Lubang", "name_en": "Pothole", "agency": "PU", "resolution_days": 20,
          "in_working_days": ["response", "followup", "resolution"]}


def _complaint(rows, tid, agency, number, **values):
    return rows.add("complaints", tenant_id=tid, agency_id=agency, number=number, category_code="LUBANG",
                    created_at=FILED, updated_at=FILED + timedelta(days=3), **values)


def test_existing_complaints_get_their_clocks_with_every_deadline_unchanged(database_before):
    response, followup = datetime(2026, 5, 7, 15, 59, 59, tzinfo=timezone.utc), datetime(2026, 5, 12, 15, 59, 59,
                                                                                         tzinfo=timezone.utc)
    resolution = datetime(2026, 6, 2, 15, 59, 59, tzinfo=timezone.utc)
    old = database_before(BEFORE)
    with old.rows() as rows:
        tid = rows.add("tenants", kind="city", parent_id=None, slug="lama", timezone="Asia/Makassar")
        rows.add("tenant_modules", tenant_id=tid, module="complaints", enabled=True,
                 settings={"categories": [LUBANG]})
        agency = rows.add("org_units", tenant_id=tid, kind="agency", code="PU", parent_id=None, active=True)
        waiting = _complaint(rows, tid, agency, "LAMA-2026-000001", status="submitted", response_due_at=response,
                             resolution_due_at=resolution, paused_at=FILED + timedelta(days=1))
        working = _complaint(rows, tid, agency, "LAMA-2026-000002", status="in_progress", response_due_at=response,
                             followup_due_at=followup, resolution_due_at=resolution,
                             responded_at=FILED + timedelta(hours=5))
        done = _complaint(rows, tid, agency, "LAMA-2026-000003", status="resolved", response_due_at=response,
                          resolution_due_at=resolution, responded_at=FILED + timedelta(hours=5),
                          resolved_at=FILED + timedelta(days=2))
    old.upgrade()

    with old.app.app_context():
        tenant = db.session.get(Tenant, tid)
        got = {cid: sla.clocks_of(tenant, ("complaint", cid)) for cid in (waiting, working, done)}
        assert {t: c.state for t, c in got[waiting].items()} == {"response": sla.PAUSED, "resolution": sla.PAUSED}
        assert got[waiting]["response"].due_at == response and got[waiting]["resolution"].due_at == resolution
        assert (got[waiting]["resolution"].unit, got[waiting]["resolution"].amount) == (sla.WORKING_DAYS, 20)
        assert got[waiting]["response"].segments[1].started_at == FILED + timedelta(days=1)
        assert {t: c.state for t, c in got[working].items()} == {
            "response": sla.DONE, "followup": sla.DONE, "resolution": sla.RUNNING}
        assert got[working]["response"].segments[0].ended_at == FILED + timedelta(hours=5)
        assert {c.state for c in got[done].values()} == {sla.DONE}
        assert got[done]["resolution"].segments[0].ended_at == FILED + timedelta(days=2)
        with tenant_scope(tenant):  # the filer answers: the kept clocks move the columns on
            complaint = db.session.get(Complaint, waiting)
            moved = deadlines.resume(tenant, "system", complaint, FILED + timedelta(days=8))
            assert set(moved) == {"response", "resolution"}
            kept = sla.clocks_of(tenant, clocks.ref(complaint))
            assert aware(complaint.response_due_at) == kept["response"].due_at > response
            db.session.commit()

    old.downgrade()  # and back: the complaints' clocks go, the columns stay
    with old.app.app_context():
        assert sla.clocks_of(db.session.get(Tenant, tid), ("complaint", waiting)) == {}
    old.upgrade()
    with old.app.app_context():
        again = sla.clocks_of(db.session.get(Tenant, tid), ("complaint", waiting))
        assert again["response"].state == sla.RUNNING and again["response"].due_at > response
