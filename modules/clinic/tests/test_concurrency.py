"""Concurrent bookings and calls from threads, through the BPJS-shaped API (real transactions, one
per request), on SQLite and PostgreSQL: numbers gap-free per poli and day, one booking per patient
even when the same patient asks twice at once, the quota never exceeded, no number called twice;
and the same under interleavings Hypothesis chooses."""
from __future__ import annotations

import threading

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.kit import db, tenant_scope

from .. import queue
from ..models import Visit
from .fixtures import SETTINGS

WRITERS, EACH = 4, 5
ONE_SESSION = {**SETTINGS, "clinics": [{**SETTINGS["clinics"][0], "polis": [{**SETTINGS["clinics"][0]["polis"][0],
               "sessions": [{"days": [1], "start": "08:00", "end": "12:00", "quota_jkn": 18, "quota_non_jkn": 18}]}]}]}
# (the BPJS bookings below send no nomorkartu: non-JKN patients, held to the non-JKN quota of 18)


def nik(i: int) -> str:
    return f"737101410190{i + 1:04d}"


def _book_many(app, slug, token, who: list[int], results, start):
    client = app.test_client()
    start.wait()
    for i in who:
        response = client.post(f"/t/{slug}/api/v1/clinic/bpjs/PKM-A/antrean", headers={"x-token": token}, json={
            "nik": nik(i), "kodepoli": "UMUM", "tanggalperiksa": "2026-03-02"})
        body = response.get_json()
        results.append((body["metadata"]["code"], (body["response"] or {}).get("nomorantrean"), i))


def _call_many(app, tenant, count, called, errors, start):
    from core.kit import ValidationError

    with app.app_context():
        start.wait()
        for _ in range(count):
            try:
                with tenant_scope(tenant):
                    called.append(queue.call_next(tenant, None, "PKM-A", "UMUM").number)
                    db.session.commit()
            except ValidationError as exc:
                db.session.rollback()
                errors.append(exc.code)
        db.session.remove()


def test_concurrent_bookings_and_calls(app, create_tenant, create_token, frozen_clock):
    with app.app_context():
        tenant = create_tenant(modules={"clinic": ONE_SESSION})
        token = create_token(tenant, "clinic:bpjs")
    results = []
    start = threading.Barrier(WRITERS)
    # every writer books its own five patients and patient 0 again: 20 asked, 18 fit the quota
    plans = [[0] + list(range(1 + w * EACH, 1 + (w + 1) * EACH)) for w in range(WRITERS)]
    threads = [threading.Thread(target=_book_many, args=(app, tenant.slug, token, plan, results, start))
               for plan in plans]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ok = [r for r in results if r[0] == 200]
    assert {r[1] for r in ok if r[2] == 0} and len({r[1] for r in ok if r[2] == 0}) == 1  # patient 0 once
    assert sorted(code for code, *_ in results if code != 200) == [400] * (len(results) - len(ok))
    with app.app_context(), tenant_scope(tenant):
        rows = db.session.query(Visit).order_by(Visit.serial).all()
        assert [v.serial for v in rows] == list(range(1, len(rows) + 1)) and len(rows) == 18
        assert len({v.patient_id for v in rows}) == len(rows)

    called, errors = [], []
    start = threading.Barrier(3)
    callers = [threading.Thread(target=_call_many, args=(app, tenant, 7, called, errors, start)) for _ in range(3)]
    for t in callers:
        t.start()
    for t in callers:
        t.join()
    assert sorted(called) == [f"A-{n:03d}" for n in range(1, 19)]  # each number called once
    assert errors == ["empty_queue"] * 3


def _steps(app, tenant, plan, outcomes, start):
    """One desk or patient thread: ``("book", i)`` books patient i, ``("call", _)`` calls the next."""
    from core.kit import ValidationError

    from ..registration import Request, book
    from .fixtures import MONDAY

    with app.app_context():
        start.wait()
        for action, who in plan:
            try:
                with tenant_scope(tenant):
                    if action == "book":
                        visit, _ = book(tenant, None, Request(clinic="PKM-A", poli="UMUM", day=MONDAY, nik=nik(who), jkn=True))
                        outcomes.append(("book", who, visit.number))
                    else:
                        outcomes.append(("call", who, queue.call_next(tenant, None, "PKM-A", "UMUM").number))
                    db.session.commit()
            except ValidationError as exc:
                db.session.rollback()
                outcomes.append(("refused", who, exc.code))
        db.session.remove()


STEP = st.tuples(st.sampled_from(["book", "book", "call"]), st.integers(0, 7))


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plans=st.lists(st.lists(STEP, min_size=1, max_size=6), min_size=2, max_size=3))
def test_any_interleaving_of_bookings_and_calls_keeps_numbers_gap_free(app, create_tenant, frozen_clock, plans):
    """Hypothesis picks what two or three threads do at once (bookings of eight patients, some the
    same, and calls); whatever the interleaving: numbers 1..n, one per patient, each called once,
    a patient asking twice gets the same number, a call finds nobody only when nobody waits."""
    with app.app_context():
        tenant = create_tenant(modules={"clinic": ONE_SESSION})
    outcomes, start = [], threading.Barrier(len(plans))
    threads = [threading.Thread(target=_steps, args=(app, tenant, plan, outcomes, start)) for plan in plans]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with app.app_context(), tenant_scope(tenant):
        rows = db.session.query(Visit).order_by(Visit.serial).all()
        assert [v.serial for v in rows] == list(range(1, len(rows) + 1))
        assert len({v.patient_id for v in rows}) == len(rows)  # one booking per patient and day
        assert sum(v.status == "called" for v in rows) == sum(o[0] == "call" for o in outcomes)
    numbers = {}
    for action, who, number in outcomes:
        if action == "book":
            assert numbers.setdefault(who, number) == number  # asked again: the first number
    called = [number for action, _, number in outcomes if action == "call"]
    assert len(called) == len(set(called))  # no number called twice
    assert {o[2] for o in outcomes if o[0] == "refused"} <= {"empty_queue"}
