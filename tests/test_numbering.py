"""Gap-free numbering (core/numbering.py): sequences, local periods, rollbacks, concurrency, tenants."""
import random
import threading
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import PamongError, ValidationError
from core.extensions import db
from core.numbering import NumberCounter, allocate, issue, last_issued, period_key
from core.tenancy.scope import tenant_scope

FIXTURE_OK = [HealthCheck.function_scoped_fixture]
JAYAPURA = timezone(timedelta(hours=9))  # WIT has no daylight saving


def test_numbers_run_per_scope_and_period(app_ctx, create_tenant):
    tenant = create_tenant(timezone="Asia/Jayapura")
    at = datetime(2026, 11, 30, 3, 0, tzinfo=timezone.utc)
    assert [allocate(tenant, ("clinic", "C1", "umum"), "day", at).serial for _ in range(3)] == [1, 2, 3]
    assert allocate(tenant, ("clinic", "C1", "gigi"), "day", at).serial == 1  # another scope
    assert allocate(tenant, ("clinic", "C1", "umum"), "day", at + timedelta(days=1)).serial == 1  # next day
    assert allocate(tenant, ("letters",), "none", at).serial == 1
    assert allocate(tenant, ("letters",), "none", at + timedelta(days=400)).serial == 2  # never restarts
    assert allocate(tenant, ("permits",), "month", at).period_key == "2026-11"
    assert allocate(tenant, ("permits",), "year", at).period_key == "2026"
    db.session.commit()
    assert last_issued(tenant, ("clinic", "C1", "umum"), "day", at) == 3
    assert last_issued(tenant, ("clinic", "C1", "umum"), "day", at + timedelta(days=2)) == 0


def test_a_rolled_back_number_is_given_back(app_ctx, create_tenant):
    tenant = create_tenant()
    assert allocate(tenant, ("eoffice", "BKD", "800")).serial == 1
    db.session.rollback()
    assert allocate(tenant, ("eoffice", "BKD", "800")).serial == 1
    db.session.commit()
    assert allocate(tenant, ("eoffice", "BKD", "800")).serial == 2
    db.session.commit()


@settings(max_examples=20, deadline=None, suppress_health_check=FIXTURE_OK)
@given(st.lists(st.booleans(), min_size=1, max_size=12))
def test_random_rollbacks_leave_no_gap(app_ctx, create_tenant, commits):
    tenant = create_tenant()
    taken = []
    for commit in commits:
        serial = allocate(tenant, ("queue",), "none").serial
        if commit:
            db.session.commit()
            taken.append(serial)
        else:
            db.session.rollback()
    assert taken == list(range(1, len(taken) + 1))
    assert last_issued(tenant, ("queue",), "none") == len(taken)


@settings(max_examples=30, deadline=None, suppress_health_check=FIXTURE_OK)
@given(st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31)))
def test_the_day_is_the_tenants_local_day(app_ctx, create_tenant, naive_utc):
    """A clinic in Jayapura (UTC+9) restarts its queue at local midnight, 15:00 UTC."""
    tenant = _jayapura(app_ctx, create_tenant)
    when = naive_utc.replace(tzinfo=timezone.utc)
    local = (naive_utc + timedelta(hours=9)).date()  # computed apart from zoneinfo
    got = allocate(tenant, ("clinic", "C1"), "day", when)
    db.session.rollback()
    assert got.period_key == local.isoformat() and got.local == local
    assert period_key("month", got.local) == f"{local.year:04d}-{local.month:02d}"


_TENANTS = {}


def _jayapura(app, create_tenant):
    """One tenant per database for all the examples."""
    key = app.config["SQLALCHEMY_DATABASE_URI"]
    if key not in _TENANTS:
        _TENANTS[key] = create_tenant(timezone="Asia/Jayapura")
    return _TENANTS[key]


def test_the_queue_restarts_at_local_midnight_not_utc(app_ctx, create_tenant):
    tenant = create_tenant(timezone="Asia/Jayapura")
    before = datetime(2026, 11, 30, 14, 59, 59, tzinfo=timezone.utc)  # 23:59:59 WIT
    after = datetime(2026, 11, 30, 15, 0, tzinfo=timezone.utc)  # 00:00 WIT, 1 December; still 30 Nov in UTC
    assert allocate(tenant, ("clinic", "C1"), "day", before).serial == 1
    assert allocate(tenant, ("clinic", "C1"), "day", before).serial == 2
    first = allocate(tenant, ("clinic", "C1"), "day", after)
    assert (first.serial, first.period_key) == (1, "2026-12-01")
    db.session.commit()


def test_issue_writes_the_number_by_its_pattern(app_ctx, create_tenant):
    tenant = create_tenant()
    at = datetime(2026, 11, 2, 2, 0, tzinfo=timezone.utc)
    got, number = issue(tenant, ("eoffice", "BKD", "800"), "{classification}/{serial}/{unit}/{month_roman}/{year}",
                        "year", at, classification="800", unit="BKD")
    assert (got.serial, number) == (1, "800/1/BKD/XI/2026")
    assert issue(tenant, ("clinic", "C1", "A"), "{letter}-{serial:03}", "day", at, letter="A")[1] == "A-001"
    with pytest.raises(ValidationError) as bad:
        issue(tenant, ("eoffice", "BKD", "800"), "{classification}/{serial}/{unit}", "year", at, classification="800")
    assert bad.value.code == "bad_pattern" and "{unit}" in bad.value.message
    db.session.commit()
    assert last_issued(tenant, ("eoffice", "BKD", "800"), "year", at) == 1  # the refused one took nothing


def test_another_tenants_counter_is_refused(app_ctx, create_tenant):
    mine, theirs = create_tenant(), create_tenant()
    with tenant_scope(mine):
        with pytest.raises(PamongError) as refused:
            allocate(theirs, ("letters",), "year")
        assert refused.value.code == "wrong_tenant"
        with pytest.raises(PamongError):
            last_issued(theirs, ("letters",), "year")
        assert allocate(mine, ("letters",), "year").serial == 1
    db.session.commit()
    with tenant_scope(theirs):
        assert db.session.execute(db.select(db.func.count()).select_from(NumberCounter)).scalar() == 0


@pytest.mark.parametrize("scope, period, code", [
    ("letters", "year", "bad_scope"), ((), "year", "bad_scope"), (("a", ""), "year", "bad_scope"),
    (("a", 1), "year", "bad_scope"), (("x" * 300,), "year", "bad_scope"), (("a",), "week", "bad_period"),
])
def test_a_malformed_request_is_refused_and_takes_nothing(app_ctx, create_tenant, scope, period, code):
    tenant = create_tenant()
    with pytest.raises(ValidationError) as bad:
        allocate(tenant, scope, period)
    assert bad.value.code == code
    with pytest.raises(ValidationError):
        allocate(tenant, ("a",), "day", datetime(2026, 1, 1))  # a naive time: which zone?
    db.session.rollback()
    with tenant_scope(tenant):
        assert db.session.execute(db.select(db.func.count()).select_from(NumberCounter)).scalar() == 0


def _hammer(app, tenant, threads: int, each: int, seed: int) -> list[int]:
    """``threads`` writers, each committing ``each`` numbers and rolling back others at random."""
    taken, errors = [], []
    lock = threading.Lock()
    start = threading.Barrier(threads)

    def work(n):
        rnd = random.Random(seed * 1000 + n)
        try:
            with app.app_context():
                start.wait()
                done = 0
                while done < each:
                    serial = allocate(tenant, ("bench", "q"), "year").serial
                    if rnd.random() < 0.2:
                        db.session.rollback()
                        continue
                    db.session.commit()
                    with lock:
                        taken.append(serial)
                    done += 1
                db.session.remove()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert not errors, errors[:3]
    return taken


@settings(max_examples=1, deadline=None, suppress_health_check=FIXTURE_OK)
@given(st.integers(min_value=0, max_value=10**6))
def test_concurrent_writers_never_share_or_skip(app, create_tenant, seed):
    """PostgreSQL: 16 threads x 200 committed numbers = exactly 1..3200; SQLite: 4 x 25."""
    tenant = create_tenant()
    postgres = app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
    threads, each = (16, 200) if postgres else (4, 25)
    taken = _hammer(app, tenant, threads, each, seed)
    assert sorted(taken) == list(range(1, threads * each + 1))
    with app.app_context():
        assert last_issued(tenant, ("bench", "q"), "year") == threads * each
        db.session.rollback()


def test_period_keys():
    d = date(2026, 3, 7)
    assert [period_key(p, d) for p in ("none", "year", "month", "day")] == ["", "2026", "2026-03", "2026-03-07"]
