"""BPJS ``antreanpanggil`` (poli ``status`` and the patient's ticket) is the number called *now*
(``order.called_now``): called or with the practitioner, the one called last; a number called and
then marked absent, skipped, cancelled or finished is not, and with nobody called or served it is
``-`` (issue 17 leftovers, item 1). The board's *Called* reads the same definition."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.kit import ValidationError, db, tenant_scope

from .. import queue
from ..models import Visit
from ..order import NOW_CALLED
from ..registration import cancel
from ..settings import clinic_of
from ..views_board import board_rows
from .fixtures import MONDAY, booked
from .test_bpjs_api import call
from .test_queue_skipped import NIKS, WIDE

DAY = MONDAY.isoformat()


def _called(client, tenant, headers) -> str:
    return call(client, tenant, "GET", f"/status/001/{DAY}", headers)[1]["response"]["antreanpanggil"]


def _do(app, tenant, fn, *args):
    with app.app_context(), tenant_scope(tenant):
        visit = fn(tenant, None, *args)
        db.session.commit()
        return visit.id


def test_absent_skipped_cancelled_or_finished_is_not_called_now(client, app, create_tenant, create_token,
                                                                frozen_clock):
    with app.app_context():
        tenant = create_tenant(modules={"clinic": WIDE})
        for nik in NIKS[1:5]:  # A-001..A-004
            booked(tenant, nik=nik)
    headers = {"x-token": create_token(tenant, "clinic:bpjs")}
    assert _called(client, tenant, headers) == "-"  # before the first call
    first = _do(app, tenant, queue.call_next, "PKM-A", "UMUM")
    assert _called(client, tenant, headers) == "A-001"
    _do(app, tenant, queue.serve, first)
    assert _called(client, tenant, headers) == "A-001"  # with the practitioner: still the one served
    _do(app, tenant, queue.finish, first)
    assert _called(client, tenant, headers) == "-"  # finished, nobody called since: not A-001
    frozen_clock.advance(minutes=1)
    second = _do(app, tenant, queue.call_next, "PKM-A", "UMUM")
    assert _called(client, tenant, headers) == "A-002"
    _do(app, tenant, queue.absent, second)
    assert _called(client, tenant, headers) == "-"  # was: A-002 (absent) or the finished A-001
    frozen_clock.advance(minutes=1)
    third = _do(app, tenant, queue.call_next, "PKM-A", "UMUM")
    frozen_clock.advance(minutes=1)
    fourth = _do(app, tenant, queue.call_next, "PKM-A", "UMUM")
    assert _called(client, tenant, headers) == "A-004"  # two called: the one called last
    _do(app, tenant, queue.skip, fourth)
    assert _called(client, tenant, headers) == "A-003"  # the skipped one is back in the room, not called
    with app.app_context(), tenant_scope(tenant):
        cancel(tenant, None, queue.locked_visit(tenant, fourth))
        db.session.commit()
        ticket = call(client, tenant, "GET", f"/sisapeserta/{NIKS[3]}/001/{DAY}", headers)[1]["response"]
    assert (_called(client, tenant, headers), ticket["antreanpanggil"]) == ("A-003", "A-003")
    _do(app, tenant, queue.absent, third)
    assert _called(client, tenant, headers) == "-"


STEPS = st.lists(st.tuples(st.sampled_from(["book", "checkin", "next", "call", "recall", "skip", "absent", "serve",
                                            "finish", "cancel", "tick"]), st.integers(0, 38)),
                 min_size=3, max_size=24)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_antreanpanggil_is_the_last_called_of_those_called_now(client, app, create_tenant, create_token,
                                                               frozen_clock, steps):
    """Whatever the desk did, ``antreanpanggil`` is the number with the latest call among the visits
    called or being served (by number between two called at the same instant), else ``-``; never a
    number absent, skipped, cancelled or finished; and the board's *Called* ends with it."""
    with app.app_context():
        tenant = create_tenant(modules={"clinic": WIDE})
        for nik in NIKS[30:33]:
            booked(tenant, nik=nik)
    headers = {"x-token": create_token(tenant, "clinic:bpjs")}
    moves = {"checkin": queue.check_in, "call": queue.call, "recall": queue.recall, "skip": queue.skip,
             "absent": queue.absent, "serve": queue.serve, "finish": queue.finish}
    for action, who in steps:
        if action == "tick":
            frozen_clock.advance(minutes=who % 3)
            continue
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
            rows = list(db.session.query(Visit))
            now = [v for v in rows if v.status in ("called", "serving")]
            expected = max(now, key=lambda v: (v.called_at, v.serial)).number if now else "-"
            not_now = {v.number for v in rows if v.status not in NOW_CALLED}
            board = board_rows(tenant, clinic_of(tenant, "PKM-A"))[0]["called"]
        shown = _called(client, tenant, headers)
        assert shown == expected, (action, shown)
        assert shown not in not_now
        assert (board[-1].number if board else "-") == expected


def test_a_visit_called_at_the_same_instant_goes_by_number(client, app, create_tenant, create_token, frozen_clock):
    """Two desks calling within one clock tick: the higher number was called after the lower one."""
    with app.app_context():
        tenant = create_tenant(modules={"clinic": WIDE})
        for nik in NIKS[6:8]:
            booked(tenant, nik=nik)
    headers = {"x-token": create_token(tenant, "clinic:bpjs")}
    _do(app, tenant, queue.call_next, "PKM-A", "UMUM")
    _do(app, tenant, queue.call_next, "PKM-A", "UMUM")
    with app.app_context(), tenant_scope(tenant):
        stamps = {v.called_at for v in db.session.query(Visit)}
    assert len(stamps) == 1 and _called(client, tenant, headers) == "A-002"
