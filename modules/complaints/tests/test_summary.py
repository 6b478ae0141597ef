"""The public figures' counters (issue 11.1): kept with every change of a complaint, equal to a
rebuild from the complaints, and read by the home page and the transparency page in a number of SQL
statements that does not grow with the tenant's complaints."""
from __future__ import annotations

import secrets
from datetime import timedelta

import pytest
from sqlalchemy import delete, insert, update

from core.kit import OrgUnit, db, tenant_scope, utcnow
from core.testing import sql_statements
from modules.complaints import services, summary, transparency, workflow
from modules.complaints.models import Complaint, ComplaintFigure


def _counters(tenant) -> dict:
    return summary.counters(tenant)


def _file(tenant, category="SAMPAH", when=None):
    complaint, _code = services.file_complaint(tenant, None, services.Filing(
        category=category, description="Sampah menumpuk di depan pasar", notify_by="none"), "portal", now=when)
    return complaint


def _resolve(tenant, complaint, when):
    for status in ("verified", "assigned", "in_progress"):
        workflow.transition(tenant, "system", complaint, status, now=when)
    workflow.transition(tenant, "system", complaint, "resolved", note="beres", now=when)


def test_counters_follow_each_change_and_equal_a_rebuild(scoped, tenant):
    now = utcnow()
    fixed = _file(tenant, when=now - timedelta(days=3))
    _resolve(tenant, fixed, now - timedelta(days=1))
    confirmed = _file(tenant, when=now - timedelta(days=2))
    _resolve(tenant, confirmed, now - timedelta(hours=30))
    workflow.confirm(tenant, "system", confirmed, proven=True, now=now)
    rejected = _file(tenant, "JALAN")
    workflow.transition(tenant, "system", rejected, "rejected", note="bukan pengaduan")
    moved = _file(tenant, "JALAN")
    workflow.reroute(tenant, "system", moved, "DLH", "salah dinas")
    db.session.commit()

    kept = _counters(tenant)
    assert sum(n for (d, _k), n in kept.items() if d == "status") == 4
    assert kept[("status", "resolved")] == 1 and kept[("status", "closed")] == 1 and kept[("status", "rejected")] == 1
    assert kept[("outcome", "fixed")] == 2 and kept[("outcome", "rejected")] == 1 and kept[("confirmed", "")] == 1
    assert kept[("fix_minutes", str(48 * 60))] == 1 and kept[("fix_minutes", str(18 * 60))] == 1
    dlh = db.session.execute(db.select(OrgUnit.id).where(OrgUnit.code == "DLH")).scalar()
    assert kept[("agency", str(dlh))] == 3  # the rerouted one moved to DLH

    assert summary.rebuild(tenant) == 4
    db.session.commit()
    assert _counters(tenant) == kept

    # a reopened fix leaves the fixed counters; a deleted complaint leaves every counter
    workflow.reopen(tenant, "system", fixed, "belum beres", proven=True, now=now)
    with tenant_scope(tenant):
        db.session.delete(rejected)
    db.session.commit()
    after = _counters(tenant)
    assert ("status", "rejected") not in after and after[("status", "in_progress")] == 1
    assert after[("outcome", "fixed")] == 1 and ("fix_minutes", str(48 * 60)) not in after
    summary.rebuild(tenant)
    db.session.commit()
    assert _counters(tenant) == after


def test_bulk_orm_updates_and_deletes_move_the_counters(scoped, tenant):
    for _ in range(3):
        _file(tenant)
    _file(tenant, "JALAN")
    db.session.commit()
    with tenant_scope(tenant):
        db.session.execute(update(Complaint).where(Complaint.category_code == "SAMPAH")
                           .values(status="verified").execution_options(synchronize_session=False))
        db.session.execute(update(Complaint).values(unread_updates=1).execution_options(synchronize_session=False))
        db.session.execute(delete(Complaint).where(Complaint.category_code == "JALAN")
                           .execution_options(synchronize_session=False))
    db.session.commit()
    kept = _counters(tenant)
    assert kept[("status", "verified")] == 3 and ("status", "submitted") not in kept and ("category", "JALAN") not in kept
    summary.rebuild(tenant)
    db.session.commit()
    assert _counters(tenant) == kept


def test_counters_are_the_tenants_own(scoped, tenant, make_tenant):
    other = make_tenant()
    _file(tenant)
    db.session.commit()
    assert summary.counters(other) == {}
    assert transparency.report(other, utcnow()).total == 0
    assert transparency.report(tenant, utcnow()).total == 1


def test_a_rolled_back_change_leaves_the_counters(scoped, tenant):
    _file(tenant)
    db.session.commit()
    before = _counters(tenant)
    _file(tenant)
    db.session.rollback()
    assert _counters(tenant) == before


def test_the_median_is_read_from_the_histogram():
    assert transparency._median_hours({}) is None
    assert transparency._median_hours({60: 1, 120: 1}) == 1.5
    assert transparency._median_hours({60: 1, 120: 5, 6000: 1}) == 2
    assert summary.fix_bucket(47 * 3600 + 359) == 47 * 60 + 0  # 6-minute buckets below 48 hours
    assert summary.fix_bucket(3 * 86400 + 3600) == 72 * 60  # 0.1 day above
    assert summary.fix_bucket(-5) == 0


def test_rebuild_summary_command(app, tenant):
    with app.app_context(), tenant_scope(tenant):
        _file(tenant)
        db.session.execute(db.delete(ComplaintFigure).execution_options(synchronize_session=False))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["complaints", "rebuild-summary", tenant.slug])
    assert result.exit_code == 0, result.output
    assert f"{tenant.slug}: 1 complaint(s) counted" in result.output
    with app.app_context():
        assert summary.counters(tenant)[("status", "submitted")] == 1
    bad = app.test_cli_runner().invoke(args=["complaints", "rebuild-summary", "no-such-tenant"])
    assert bad.exit_code == 2 and "no-such-tenant" in bad.output


# -- flat in the tenant's data ---------------------------------------------------------------------

def _bulk(tenant, count: int) -> None:
    """``count`` complaints written straight to the table (as an import would), then counted."""
    now = utcnow()
    with tenant_scope(tenant):
        agency = db.session.execute(db.select(OrgUnit.id).where(OrgUnit.code == "DLH")).scalar()
        start = db.session.execute(db.select(db.func.count()).select_from(Complaint)).scalar()
        rows = []
        for i in range(start, start + count):
            fixed = i % 3 == 0
            rows.append({
                "tenant_id": tenant.id, "number": f"BULK-{tenant.id}-{i:06d}", "year": now.year, "seq": 900000 + i,
                "token": secrets.token_hex(8), "category_code": "SAMPAH" if i % 2 else "JALAN", "agency_id": agency,
                "description": "Sampah", "channel": "portal", "created_at": now - timedelta(days=i % 300),
                "response_due_at": now, "resolution_due_at": now,
                "status": "resolved" if fixed else "submitted", "outcome": "fixed" if fixed else "",
                "resolved_at": now if fixed else None, "resolved_within_target": (i % 2 == 0) if fixed else None,
            })
        for first in range(0, len(rows), 2000):
            db.session.execute(insert(Complaint), rows[first:first + 2000])
        summary.rebuild(tenant)
        db.session.commit()


@pytest.fixture(scope="module")
def small_and_big(app):
    """Two tenants with 10 and 10,000 complaints, which the tests below only read."""
    from core.testing import tenant_factory

    from .conftest import AGENCIES, DISTRICTS, SETTINGS

    make = tenant_factory(app)
    small, big = (make(modules={"complaints": {**SETTINGS, "webhook_secret": ""}}, agencies=AGENCIES, districts=DISTRICTS) for _ in "sb")
    with app.app_context():
        _bulk(small, 10)
        _bulk(big, 10_000)
    return small, big


@pytest.mark.parametrize("path", ["/", "/complaints/transparency"])
def test_hot_pages_run_as_many_statements_with_10_as_with_10000_complaints(app, client, small_and_big, path):
    small, big = small_and_big
    counts = {}
    for tenant in (small, big):
        client.get(f"/t/{tenant.slug}{path}")  # warm the per-process caches
        with sql_statements(app) as seen:
            client.get(f"/t/{tenant.slug}{path}?fresh={tenant.id}")
        counts[tenant.slug] = seen.count
    assert counts[small.slug] == counts[big.slug], counts
    page = client.get(f"/t/{big.slug}{path}").get_data(as_text=True)
    assert "10000" in page or "10.000" in page


def test_dashboard_metrics_hook_is_flat(app, small_and_big):
    small, big = small_and_big
    with app.app_context():
        manager = app.extensions["pamong"]

        def metrics(tenant):
            return [m for answer in manager.collect(tenant, "dashboard_metrics", enabled={"complaints"}, app=app,
                                                    tenant=tenant) for m in (answer or [])]

        counts = {}
        for t in (small, big):
            with sql_statements(app) as seen:
                metrics(t)
            counts[t.slug] = seen.count
        assert counts[small.slug] == counts[big.slug] <= 2, counts
        assert metrics(big)[0]["value"] == 10_000
