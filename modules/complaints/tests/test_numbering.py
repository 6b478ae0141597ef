"""Tracking numbers: gap-free per tenant and local year, whatever commits or rolls back."""
import threading
from datetime import datetime, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.kit import db, tenant_scope
from modules.complaints import numbering, services
from core.numbering import NumberCounter
from modules.complaints.models import Complaint

NEW_YEAR_WITA = datetime(2026, 12, 31, 16, 0, tzinfo=timezone.utc)  # 00:00 on 1 January 2027 in Makassar


def test_the_year_is_the_tenants_local_year(app_ctx, make_tenant):
    wita = make_tenant(timezone="Asia/Makassar")
    wib = make_tenant(timezone="Asia/Jakarta")
    assert numbering.local_year(wita, NEW_YEAR_WITA) == 2027
    assert numbering.local_year(wib, NEW_YEAR_WITA) == 2026  # still 23:00 on 31 December in Jakarta
    assert numbering.format_number("MKS", 2026, 123) == "MKS-2026-000123"


def test_the_prefix_comes_from_the_settings(scoped, tenant, make_tenant):
    from .conftest import SETTINGS

    other = make_tenant(settings={**SETTINGS, "number_prefix": "MKS"})
    with tenant_scope(other):
        complaint, _ = services.file_complaint(other, None, _filing(), "portal", now=NEW_YEAR_WITA)
        assert complaint.number == "MKS-2027-000001"


def _filing():
    return services.Filing(category="SAMPAH", description="Sampah tidak diangkut", notify_by="none")


def _assert_gap_free(tenants):
    for tenant in tenants:
        with tenant_scope(tenant):
            rows = db.session.execute(db.select(Complaint.year, Complaint.seq, Complaint.number)).all()
            counters = {int(period): last for period, last in db.session.execute(
                db.select(NumberCounter.period, NumberCounter.last_number).where(NumberCounter.scope == '["complaints"]'))}
        by_year = {}
        for year, seq, number in rows:
            assert number.endswith(f"-{year}-{seq:06d}")
            by_year.setdefault(year, []).append(seq)
        for year, seqs in by_year.items():
            assert sorted(seqs) == list(range(1, len(seqs) + 1)), (tenant.slug, year, sorted(seqs))
            assert counters[year] == len(seqs)
        assert all(counters[y] == 0 for y in counters if y not in by_year)


MOMENTS = st.sampled_from([
    datetime(2026, 6, 1, 3, 0, tzinfo=timezone.utc),
    datetime(2026, 12, 31, 15, 59, 59, tzinfo=timezone.utc),
    NEW_YEAR_WITA,
    datetime(2026, 12, 31, 16, 30, tzinfo=timezone.utc),
    datetime(2027, 3, 1, tzinfo=timezone.utc),
])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.integers(0, 1), MOMENTS, st.sampled_from(["commit", "rollback", "fail"])),
                      min_size=1, max_size=10))
def test_numbers_stay_gap_free_through_commits_and_rollbacks(app_ctx, make_tenant, steps):
    tenants = _tenants(make_tenant)
    for index, when, outcome in steps:
        tenant = tenants[index]
        with tenant_scope(tenant):
            try:
                filing = _filing() if outcome != "fail" else services.Filing(category="NOPE", description="x")
                services.file_complaint(tenant, None, filing, "portal", now=when)
            except Exception:  # noqa: BLE001 - the failing step: an unknown category
                assert outcome == "fail"
                db.session.rollback()
                continue
            if outcome == "commit":
                db.session.commit()
            else:
                db.session.rollback()
    _assert_gap_free(tenants)


_made = {}


def _tenants(make_tenant):
    """Two tenants in different zones, made once per database and reused by every example."""
    from flask import current_app

    key = current_app.config["SQLALCHEMY_DATABASE_URI"]
    if key not in _made:
        _made[key] = [make_tenant(timezone="Asia/Makassar"), make_tenant(timezone="Asia/Jakarta")]
    return _made[key]


def test_concurrent_filings_get_distinct_consecutive_numbers(app, tenant):
    errors, numbers = [], []

    def worker():
        try:
            with app.app_context():
                for _ in range(5):
                    with tenant_scope(tenant):
                        complaint, _ = services.file_complaint(tenant, None, _filing(), "portal")
                        number = complaint.number
                        db.session.commit()
                    numbers.append(number)
                db.session.remove()
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert sorted(int(n.rsplit("-", 1)[1]) for n in numbers) == list(range(1, 21))
    with app.app_context():
        _assert_gap_free([tenant])
