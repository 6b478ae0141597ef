"""Properties of the queue numbers and estimates (Hypothesis): numbers are gap-free and unique per
poli and day whatever the order of bookings, cancellations and calls; estimates never go backwards
along the queue and never fall before now or the session's start."""
from datetime import datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.kit import ValidationError, db, tenant_scope

from .. import estimates, queue
from ..models import Visit
from ..registration import cancel
from .fixtures import SETTINGS, booked

T0 = datetime(2026, 3, 2, 0, 0, tzinfo=timezone.utc)


@given(now=st.integers(0, 600), opens=st.integers(0, 600), minutes=st.floats(0.5, 60),
       ahead=st.lists(st.integers(0, 200), min_size=1, max_size=20))
def test_estimates_are_monotone_and_never_before_now_or_opening(now, opens, minutes, ahead):
    now_at, opens_at = T0 + timedelta(minutes=now), T0 + timedelta(minutes=opens)
    times = [estimates.estimated_at(now_at, opens_at, a, minutes) for a in sorted(ahead)]
    assert all(t >= max(now_at, opens_at) for t in times)
    assert times == sorted(times)


@settings(max_examples=40)
@given(now=st.integers(0, 600), opens=st.integers(0, 600), minutes=st.floats(0.5, 60),
       ahead=st.integers(0, 200), more=st.integers(0, 20), practitioners=st.integers(-1, 8), extra=st.integers(0, 8))
def test_estimates_grow_with_the_queue_and_shrink_with_more_practitioners(
        now, opens, minutes, ahead, more, practitioners, extra):
    """Issue 17 (review): the wait assumed one practitioner per poli. With N serving it, it is 1/N."""
    now_at, opens_at = T0 + timedelta(minutes=now), T0 + timedelta(minutes=opens)
    start = max(now_at, opens_at)

    def at(a, n):
        return estimates.estimated_at(now_at, opens_at, a, minutes, n)

    assert start <= at(ahead, practitioners) <= at(ahead + more, practitioners)  # more ahead: never earlier
    assert at(ahead, practitioners + extra) <= at(ahead, practitioners)  # more practitioners: never later
    serving = max(1, practitioners)  # fewer than one counts as one
    assert at(ahead, serving) == at(ahead, practitioners)
    one = (at(ahead, 1) - start).total_seconds()
    assert abs((at(ahead, serving) - start).total_seconds() * serving - one) < 1e-3  # the wait divided by N


def test_the_practitioners_serving_a_poli_divide_its_estimates(app_ctx, create_tenant, frozen_clock):
    """Two practitioners on PKM-A's UMUM: every waiting patient is expected in half the time."""
    clinic = SETTINGS["clinics"][0]
    roomy = {**clinic, "polis": [{**clinic["polis"][0], "sessions": [
        {"days": [1], "start": "08:00", "end": "12:00", "quota_jkn": 99, "quota_non_jkn": 99}]}, *clinic["polis"][1:]]}
    one = {**SETTINGS, "clinics": [roomy, *SETTINGS["clinics"][1:]]}
    two = {**SETTINGS, "clinics": [{**roomy, "practitioners": clinic["practitioners"] + [
        {"code": "DR-A2", "name": "dr. Dua", "polis": ["UMUM"]}, {"code": "DR-G", "name": "drg. Gigi", "polis": ["GIGI"]}]},
        *SETTINGS["clinics"][1:]]}
    waits = {}
    for name, chosen in (("one", one), ("two", two)):
        tenant = create_tenant(modules={"clinic": chosen})
        visits = [booked(tenant, nik=nik)[0] for nik in NIKS[:3]]
        waits[name] = [v.estimated_at - visits[0].estimated_at for v in visits]  # at booking
        with tenant_scope(tenant):
            queue.check_in(tenant, None, visits[0].id)
            queue.call_next(tenant, None, "PKM-A", "UMUM")
            db.session.commit()
            rows = db.session.query(Visit).filter(Visit.status.in_(("booked", "waiting"))).order_by(Visit.serial).all()
            waits[name + " after a call"] = [v.estimated_at - rows[0].estimated_at for v in rows]
    assert waits["one"] == [timedelta(0), timedelta(minutes=10), timedelta(minutes=20)]
    assert waits["two"] == [timedelta(0), timedelta(minutes=5), timedelta(minutes=10)]
    assert waits["one after a call"] == [timedelta(0), timedelta(minutes=10)]
    assert waits["two after a call"] == [timedelta(0), timedelta(minutes=5)]


@given(seen=st.lists(st.floats(-5, 120, allow_nan=False), max_size=30), default=st.integers(1, 60))
def test_minutes_per_patient_is_the_median_of_what_was_seen_or_the_default(seen, default):
    got = estimates.minutes_per_patient(seen, default)
    positive = sorted(m for m in seen if m > 0)
    if not positive:
        assert got == default
    else:
        assert positive[0] <= got <= positive[-1]


NIKS = [f"737101410190{i:04d}" for i in range(1, 40)]
ACTIONS = st.lists(st.tuples(st.sampled_from(["book", "cancel", "call"]), st.integers(0, 38)), max_size=25)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=ACTIONS)
def test_numbers_stay_gap_free_and_unique_under_any_mix_of_steps(app_ctx, create_tenant, frozen_clock, actions):
    wide = {**SETTINGS, "clinics": [{**SETTINGS["clinics"][0], "polis": [{**SETTINGS["clinics"][0]["polis"][0],
            "sessions": [{"days": [1], "start": "08:00", "end": "12:00", "quota_jkn": 99, "quota_non_jkn": 99}]}]}]}
    tenant = create_tenant(modules={"clinic": wide})
    for action, who in actions:
        with tenant_scope(tenant):
            try:
                if action == "book":
                    booked(tenant, nik=NIKS[who])
                elif action == "call":
                    queue.call_next(tenant, None, "PKM-A", "UMUM")
                else:
                    mine = db.session.query(Visit).filter(Visit.active_patient.isnot(None)).order_by(Visit.id).all()
                    if mine:
                        cancel(tenant, None, mine[who % len(mine)])
                db.session.commit()
            except ValidationError:
                db.session.rollback()
    with tenant_scope(tenant):
        rows = db.session.query(Visit).order_by(Visit.serial).all()
        assert [v.serial for v in rows] == list(range(1, len(rows) + 1))
        assert len({v.number for v in rows}) == len(rows)
        live = [v.patient_id for v in rows if v.active_patient is not None]
        assert len(live) == len(set(live))  # one live booking per patient
        waiting = [v for v in rows if v.status in ("booked", "waiting")]
        assert [v.estimated_at for v in waiting] == sorted(v.estimated_at for v in waiting)
