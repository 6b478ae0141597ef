"""The patients ahead of a booking (BPJS ``sisaantrean``, the status page, SMS) are counted in the
order the desk calls (``order.ranked``, the ordering ``queue.call_next`` calls by), not by number:
the patient *call next* calls always had 0 ahead, and each call of someone ahead of a patient takes
one off their count (issue 17 leftovers, item 1)."""
from datetime import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.kit import ValidationError, db, tenant_scope
from core.testing import FROZEN_AT

from .. import queue
from ..models import BOOKED, WAITING, Visit
from ..registration import cancel, queue_ahead
from .fixtures import BPJS_A, MONDAY, booked
from .test_bpjs_api import call, take
from .test_queue_skipped import NIKS, WIDE

START = datetime.fromisoformat(FROZEN_AT)
STEPS = st.lists(st.tuples(st.sampled_from(["book", "checkin", "next", "next", "call", "skip", "absent", "serve",
                                            "finish", "cancel"]), st.integers(0, 38)),
                 min_size=3, max_size=30)
FITS = {"checkin": (BOOKED,), "call": ("skipped", BOOKED, WAITING), "skip": ("called",),
        "absent": ("called", "skipped"), "serve": ("called",), "finish": ("serving",),
        "cancel": (BOOKED, WAITING, "skipped")}


def _aheads() -> dict[int, tuple[str, int]]:
    return {v.id: (v.status, queue_ahead(v)) for v in db.session.query(Visit).populate_existing()}


def test_a_patient_checked_in_is_ahead_of_lower_numbers_not_arrived(app_ctx, create_tenant, frozen_clock):
    tenant = create_tenant(modules={"clinic": WIDE})
    visits = [booked(tenant, nik=nik)[0] for nik in NIKS[:4]]  # A-001..A-004 booked from afar
    with tenant_scope(tenant):
        queue.check_in(tenant, None, visits[3].id)  # A-004 is at the desk: called first
        db.session.commit()
        assert [queue_ahead(db.session.get(Visit, v.id)) for v in visits] == [1, 2, 3, 0]
        called = queue.call_next(tenant, None, "PKM-A", "UMUM")
        db.session.commit()
        assert called.number == "A-004" and queue_ahead(called) == 0  # called: nobody ahead any more
        assert [queue_ahead(db.session.get(Visit, v.id)) for v in visits[:3]] == [0, 1, 2]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_call_next_calls_the_one_with_none_ahead_and_each_call_ahead_counts_one_off(
        app_ctx, create_tenant, frozen_clock, steps):
    frozen_clock.set(START)
    tenant = create_tenant(modules={"clinic": WIDE})
    for nik in NIKS[30:33]:
        booked(tenant, nik=nik)
    for action, who in steps:
        with tenant_scope(tenant):
            before = _aheads()
            fits = [v for v in db.session.query(Visit).order_by(Visit.serial) if v.status in FITS.get(action, ())]
            target = fits[who % len(fits)].id if fits else None
            called = None
            try:
                if action == "book":
                    booked(tenant, nik=NIKS[who])
                elif action == "next":
                    called = queue.call_next(tenant, None, "PKM-A", "UMUM").id
                elif action == "cancel" and target is not None:
                    cancel(tenant, None, queue.locked_visit(tenant, target))
                elif action == "call" and target is not None:
                    called = queue.call(tenant, None, target).id
                elif target is not None and action != "cancel":
                    {"checkin": queue.check_in, "skip": queue.skip, "absent": queue.absent,
                     "serve": queue.serve, "finish": queue.finish}[action](tenant, None, target)
                db.session.commit()
            except ValidationError:
                db.session.rollback()
                continue
            after = _aheads()
            order = [v.id for v in db.session.execute(queue.call_order("PKM-A", "UMUM", MONDAY)).scalars()]
            assert {i: after[i][1] for i in order} == {i: n for n, i in enumerate(order)}  # its place in the order
            assert all(n == 0 for i, (status, n) in after.items() if i not in order)  # no place: nobody ahead
            if action == "next":
                assert before[called][1] == 0, "call next called someone with patients ahead"
            if called is not None and before[called][0] in (BOOKED, WAITING):
                for i, (status, n) in before.items():  # everyone behind the called one moved up by one
                    if i != called and status in (BOOKED, WAITING) and n > before[called][1]:
                        assert after[i][1] == n - 1, (action, i, n, after[i])


def test_the_bpjs_ticket_of_a_called_patient_has_nobody_ahead(client, app, create_tenant, create_token, frozen_clock):
    with app.app_context():
        tenant = create_tenant(modules={"clinic": WIDE})
    headers = {"x-token": create_token(tenant, "clinic:bpjs")}
    with app.app_context():
        booked(tenant, nik=NIKS[1])  # A-001, booked from afar, not come (NIKS[0] is take()'s NIK_A)
    assert take(client, tenant, headers)[1]["response"]["sisaantrean"] == 1  # A-002 behind A-001
    with app.app_context(), tenant_scope(tenant):
        mine = db.session.query(Visit).filter(Visit.serial == 2).one()
        queue.check_in(tenant, None, mine.id)  # at the desk: called before A-001, who has not come
        db.session.commit()
    path = f"/sisapeserta/{BPJS_A}/UMUM/2026-03-02"
    assert call(client, tenant, "GET", path, headers)[1]["response"]["sisaantrean"] == 0
    with app.app_context(), tenant_scope(tenant):
        assert queue.call_next(tenant, None, "PKM-A", "UMUM").serial == 2
        db.session.commit()
    data = call(client, tenant, "GET", path, headers)[1]["response"]
    assert (data["nomorantrean"], data["sisaantrean"]) == ("A-002", 0)  # by number it was 1
