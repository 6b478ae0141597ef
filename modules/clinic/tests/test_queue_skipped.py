"""A skipped patient (called, not come up) is called by hand when back at the desk: they have no
place in ``queue.call_order``, so the estimates and the patients-ahead counts (``recompute``,
``queue_place``, a new booking's first estimate) rank only those *call next* will call, in its order,
and the skipped one has no estimate (new-user trial, item 1)."""
from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.kit import ValidationError, db, tenant_scope
from core.testing import FROZEN_AT

from .. import estimates, queue
from ..models import SKIPPED, Visit
from ..registration import observed_minutes, queue_place, shown_estimates
from .fixtures import MONDAY, SETTINGS, booked
from .test_pages import url

START = datetime.fromisoformat(FROZEN_AT)
NIKS = [f"737101410190{i:04d}" for i in range(1, 40)]
WIDE = {**SETTINGS, "clinics": [{**SETTINGS["clinics"][0], "polis": [{**SETTINGS["clinics"][0]["polis"][0],
        "sessions": [{"days": [1], "start": "08:00", "end": "12:00", "quota_jkn": 99, "quota_non_jkn": 99}]}]}]}


def _step(tenant, fn, *args):
    with tenant_scope(tenant):
        visit = fn(tenant, None, *args)
        db.session.commit()
        return visit.id


def _by_number(tenant):
    with tenant_scope(tenant):
        return {v.number: (v.status, v.estimated_at and v.estimated_at.replace(tzinfo=None))
                for v in db.session.query(Visit)}


def test_a_skipped_patient_pushes_nobody_and_has_no_estimate(app, client, create_tenant, frozen_clock):
    with app.app_context():
        tenant = create_tenant(modules={"clinic": WIDE}, locales=["en"])
        visits = [booked(tenant, nik=nik)[0] for nik in NIKS[:4]]  # A-001..A-004, 10 minutes each
        first = _step(tenant, queue.call_next, "PKM-A", "UMUM")
        _step(tenant, queue.skip, first)  # A-001 did not come up
        now = frozen_clock.now.replace(tzinfo=None)
        rows = _by_number(tenant)
        assert rows["A-001"] == (SKIPPED, None)
        assert rows["A-002"][1] == now  # first to be called: now, not after the skipped one
        assert rows["A-004"][1] == now + timedelta(minutes=20)
        with tenant_scope(tenant):
            second = db.session.get(Visit, visits[1].id)
            assert queue_place(tenant, second)[0] == 0  # nobody ahead: A-001 is called by hand
            assert visits[0].id not in shown_estimates(tenant, "PKM-A", "UMUM", MONDAY)
    page = client.get(url(tenant, f"status?code={visits[0].booking_code}")).get_data(as_text=True)
    assert 'id="skipped-note"' in page and "Patients before you" not in page
    page = client.get(url(tenant, f"status?code={visits[1].booking_code}")).get_data(as_text=True)
    assert "<dt>Patients before you</dt><dd>0</dd>" in page


def test_a_check_in_moves_the_estimates_as_it_moves_the_call_order(app_ctx, create_tenant, frozen_clock):
    tenant = create_tenant(modules={"clinic": WIDE})
    visits = [booked(tenant, nik=nik)[0] for nik in NIKS[:3]]
    _step(tenant, queue.check_in, visits[2].id)  # A-003 is here: called before
    now = frozen_clock.now.replace(tzinfo=None)
    rows = _by_number(tenant)
    assert [rows[n][1] for n in ("A-003", "A-001", "A-002")] == [
        now, now + timedelta(minutes=10), now + timedelta(minutes=20)]
    with tenant_scope(tenant):
        assert queue_place(tenant, db.session.get(Visit, visits[0].id))[0] == 1
        assert queue_place(tenant, db.session.get(Visit, visits[2].id))[0] == 0


FITS = {"checkin": ("booked",), "call": ("skipped", "booked", "waiting"), "skip": ("called",),
        "absent": ("called", "skipped"), "serve": ("called",), "finish": ("serving",),
        "cancel": ("booked", "waiting", "skipped")}
STEPS = st.lists(st.tuples(st.sampled_from(["book", "checkin", "next", "call", "skip", "absent", "serve",
                                            "finish", "cancel"]), st.integers(0, 38), st.integers(1, 12)),
                 min_size=3, max_size=25)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_estimates_rank_the_call_order_only_under_any_mix_of_steps(app_ctx, create_tenant, frozen_clock, steps):
    """After every step, the patients *call next* will call have the estimates of their places in
    that order (``max(now, opening) + place × minutes``) and as many patients ahead; a skipped one
    has none and nobody ahead."""
    from ..registration import cancel

    frozen_clock.set(START)  # each example from Monday 09:00 WITA
    tenant = create_tenant(modules={"clinic": WIDE})
    for nik in NIKS[30:33]:
        booked(tenant, nik=nik)
    for action, who, minutes in steps:
        with tenant_scope(tenant):
            fits = [v for v in db.session.query(Visit).order_by(Visit.serial) if v.status in FITS.get(action, ())]
            target = fits[who % len(fits)].id if fits else None  # a visit the step may apply to
            try:
                if action == "book":
                    booked(tenant, nik=NIKS[who])
                elif action == "next":
                    queue.call_next(tenant, None, "PKM-A", "UMUM")
                elif action == "cancel" and target is not None:
                    cancel(tenant, None, queue.locked_visit(tenant, target))
                elif target is not None and action != "cancel":
                    if action == "finish":  # time passes while a patient is served
                        frozen_clock.advance(minutes=minutes)
                    {"checkin": queue.check_in, "call": queue.call, "skip": queue.skip, "absent": queue.absent,
                     "serve": queue.serve, "finish": queue.finish}[action](tenant, None, target)
                db.session.commit()
            except ValidationError:
                db.session.rollback()
        with tenant_scope(tenant):
            order = list(db.session.execute(queue.call_order("PKM-A", "UMUM", MONDAY)).scalars())
            per = estimates.minutes_per_patient(observed_minutes("PKM-A", "UMUM", MONDAY), 10)
            now = frozen_clock.now
            for place, visit in enumerate(order):
                expected = estimates.estimated_at(now, now, place, per)
                assert abs(visit.estimated_at.replace(tzinfo=None) - expected.replace(tzinfo=None)) < timedelta(seconds=1)
                assert queue_place(tenant, visit, now)[0] == place
            for visit in db.session.query(Visit).filter(Visit.status == SKIPPED):
                assert visit.estimated_at is None and queue_place(tenant, visit, now) == (0, None)


def test_the_desk_tells_a_walk_in_the_estimate_of_their_place_once_checked_in(app, client, create_tenant,
                                                                             create_user, login, frozen_clock):
    from .fixtures import DESK_A, NIK_B
    from .test_pages import csrf

    with app.app_context():
        tenant = create_tenant(modules={"clinic": WIDE})
        for nik in NIKS[:2]:  # A-001 09.00, A-002 09.10: booked from afar, not here
            booked(tenant, nik=nik)
        login(client, create_user(tenant, role="officer", agency="DLH", email=DESK_A), tenant)
    desk = url(tenant, "desk/PKM-A/UMUM")
    form = {"csrf_token": csrf(client.get(desk).get_data(as_text=True)), "place": "PKM-A/UMUM",
            "day": "2026-03-02", "nik": NIK_B, "name": "Siti"}
    page = client.post(desk, data=form, follow_redirects=True).get_data(as_text=True)
    assert "Terdaftar: nomor A-003" in page and "perkiraan 09.00 WITA" in page  # here: called first
