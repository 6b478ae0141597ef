"""Concurrent bookings and calls from threads, through the BPJS-shaped API (real transactions, one
per request), on SQLite and PostgreSQL: numbers gap-free per poli and day, one booking per patient
even when the same patient asks twice at once, the quota never exceeded, no number called twice."""
from __future__ import annotations

import threading

from core.kit import db, tenant_scope

from .. import queue
from ..models import Visit
from .fixtures import SETTINGS

WRITERS, EACH = 4, 5
ONE_SESSION = {**SETTINGS, "clinics": [{**SETTINGS["clinics"][0], "polis": [{**SETTINGS["clinics"][0]["polis"][0],
               "sessions": [{"days": [1], "start": "08:00", "end": "12:00", "quota_jkn": 18, "quota_non_jkn": 0}]}]}]}


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
