"""The BPJS poli ``status`` (WS Antrean FKTP: ``totalantrean``, ``sisaantrean``, ``antreanpanggil``)
counts with ``order.py``'s definitions: ``sisaantrean`` is the patients still to be called, those with a
place in *call next*'s order (checked in or booked, not a skipped, called, served, finished, absent or
cancelled one), so it is one more than the patients ahead of the last of them (``sisapeserta``);
``totalantrean`` every number taken that day and not cancelled; ``antreanpanggil`` the number called
last (issue 17 leftovers)."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.kit import ValidationError, db, tenant_scope

from .. import queue
from ..models import CANCELLED, Visit
from ..registration import cancel, queue_ahead
from .fixtures import MONDAY, booked
from .test_bpjs_api import call
from .test_queue_skipped import NIKS, WIDE

DAY = MONDAY.isoformat()


def _status(client, tenant, headers) -> dict:
    return call(client, tenant, "GET", f"/status/001/{DAY}", headers)[1]["response"]


def _do(tenant, fn, *args):
    with tenant_scope(tenant):
        visit = fn(tenant, None, *args)
        db.session.commit()
        return visit.id


def test_a_skipped_patient_is_not_counted_as_remaining(client, app, create_tenant, create_token, frozen_clock):
    with app.app_context():
        tenant = create_tenant(modules={"clinic": WIDE})
        ids = [booked(tenant, nik=nik)[0].id for nik in NIKS[1:5]]  # A-001..A-004
    headers = {"x-token": create_token(tenant, "clinic:bpjs")}
    assert (_status(client, tenant, headers)["sisaantrean"], _status(client, tenant, headers)["totalantrean"]) == (4, 4)
    with app.app_context():
        first = _do(tenant, queue.call_next, "PKM-A", "UMUM")
        _do(tenant, queue.skip, first)  # A-001 called, not come up: not waiting, called by hand later
        second = _do(tenant, queue.call_next, "PKM-A", "UMUM")
        _do(tenant, queue.serve, second)  # A-002 with the practitioner
    data = _status(client, tenant, headers)
    assert (data["totalantrean"], data["sisaantrean"], data["antreanpanggil"]) == (4, 2, "A-002")
    with app.app_context():
        _do(tenant, queue.absent, first)
        _do(tenant, queue.call_next, "PKM-A", "UMUM")
    data = _status(client, tenant, headers)
    assert (data["totalantrean"], data["sisaantrean"], data["antreanpanggil"]) == (4, 1, "A-003")
    with app.app_context(), tenant_scope(tenant):
        cancel(tenant, None, queue.locked_visit(tenant, ids[3]))
        db.session.commit()
    data = _status(client, tenant, headers)
    assert (data["totalantrean"], data["sisaantrean"]) == (3, 0)


STEPS = st.lists(st.tuples(st.sampled_from(["book", "checkin", "next", "call", "skip", "absent", "serve", "finish",
                                            "cancel"]), st.integers(0, 38)), min_size=3, max_size=20)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_sisaantrean_is_the_length_of_call_nexts_order(client, app, create_tenant, create_token, frozen_clock, steps):
    with app.app_context():
        tenant = create_tenant(modules={"clinic": WIDE})
        for nik in NIKS[30:33]:
            booked(tenant, nik=nik)
    headers = {"x-token": create_token(tenant, "clinic:bpjs")}
    moves = {"checkin": queue.check_in, "call": queue.call, "skip": queue.skip, "absent": queue.absent,
             "serve": queue.serve, "finish": queue.finish}
    for action, who in steps:
        with app.app_context(), tenant_scope(tenant):
            visits = list(db.session.query(Visit).order_by(Visit.serial))
            target = visits[who % len(visits)].id
            try:
                if action == "book":
                    booked(tenant, nik=NIKS[who])
                elif action == "next":
                    queue.call_next(tenant, None, "PKM-A", "UMUM")
                elif action == "cancel":
                    cancel(tenant, None, queue.locked_visit(tenant, target))
                else:
                    moves[action](tenant, None, target)
                db.session.commit()
            except ValidationError:
                db.session.rollback()
                continue
            order = list(db.session.execute(queue.call_order("PKM-A", "UMUM", MONDAY)).scalars())
            total = db.session.query(Visit).filter(Visit.status != CANCELLED).count()
            last = order[-1].number if order else None
        data = _status(client, tenant, headers)
        assert (data["totalantrean"], data["sisaantrean"]) == (total, len(order)), (action, data)
        if last is not None:  # the last in the order has all the others ahead
            with app.app_context(), tenant_scope(tenant):
                mine = db.session.query(Visit).filter(Visit.number == last).one()
                assert queue_ahead(mine) == data["sisaantrean"] - 1
