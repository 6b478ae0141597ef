"""Issue 17, a new-user trial's defects, each fixed and held here: the board's *Next* list is the
desk's *call next* order; estimates never in the past when read; a BPJS booking without a card
number is non-JKN; a planned FHIR Encounter starts on its visit day; BPJS status of a closed day."""
import re
from datetime import datetime, timedelta, timezone

import pytest

from core.kit import db, tenant_scope

from .. import queue, views_board
from .fixtures import BPJS_A, DESK_A, NIK_A, SETTINGS, booked
from .test_pages import url

NIKS = [f"737101410190{i:04d}" for i in range(1, 12)]


@pytest.fixture
def tenant(app, create_tenant, frozen_clock):
    with app.app_context():
        return create_tenant(modules={"clinic": SETTINGS}, locales=["id", "en"])


def _step(tenant, fn, *args):
    with tenant_scope(tenant):
        visit = fn(tenant, None, *args)
        db.session.commit()
        return visit.id, visit.number


# 1. the board's "Next" names whom the desk's call next will call, in that order

def test_the_boards_next_is_the_call_next_sequence(app, client, tenant):
    with app.app_context():
        ids = {}
        for nik in NIKS[:6]:
            visit, _ = booked(tenant, poli="GIGI", nik=nik)
            ids[visit.number] = visit.id
        first = _step(tenant, queue.call_next, "PKM-A", "GIGI")  # nobody checked in: B-001
        assert first[1] == "B-001"
        _step(tenant, queue.skip, first[0])  # B-001 skipped
        for number in ("B-004", "B-006"):  # arrived; B-002, B-003, B-005 booked, not arrived
            _step(tenant, queue.check_in, ids[number])
        [row] = [r for r in views_board.board_rows(tenant, _clinic(tenant)) if r["poli"].code == "GIGI"]
        board_next = [v.number for v in row["next"]]
        page = client.get(f"/t/{tenant.slug}/clinic/board/PKM-A").get_data(as_text=True)
        called = [_step(tenant, queue.call_next, "PKM-A", "GIGI")[1] for _ in range(5)]
    assert called == ["B-004", "B-006", "B-002", "B-003", "B-005"]
    assert board_next == called[:3]
    gigi = page.split("Poli Gigi", 1)[1]
    assert re.search(r"B-004, B-006, B-002", gigi) and "B-001," not in gigi.split("</section>")[0]


def _clinic(tenant):
    from ..settings import clinic_of

    return clinic_of(tenant, "PKM-A")


# 2. an estimate shown is never before now, though no desk action came since

def test_estimates_read_between_calls_are_shifted_to_now(app, client, tenant, frozen_clock, create_user, login,
                                                         create_token):
    with app.app_context():
        booked(tenant, poli="GIGI", nik=NIK_A)
        booked(tenant, poli="GIGI", nik=NIKS[1])
        third, _ = booked(tenant, poli="GIGI", nik=NIKS[2], bpjs=BPJS_A)
        _step(tenant, queue.call_next, "PKM-A", "GIGI")  # 09:00 WITA: B-001 called; B-002 09:00, B-003 09:20
        login(client, create_user(tenant, role="officer", agency="DLH", email=DESK_A), tenant)
        token = create_token(tenant, "clinic:bpjs")
    frozen_clock.advance(minutes=74)  # 10:14 WITA, no desk action since
    now = datetime(2026, 3, 2, 2, 14, tzinfo=timezone.utc)
    with app.app_context():
        from ..registration import shown_estimates

        shown = sorted(shown_estimates(tenant, "PKM-A", "GIGI", third.day).values())
    assert shown == [now, now + timedelta(minutes=20)]  # the first now, the spacing kept
    status = client.get(url(tenant, f"status?code={third.booking_code}")).get_data(as_text=True)
    assert "10.34 WITA" in status and "09.20" not in status
    desk = client.get(url(tenant, "desk/PKM-A/GIGI")).get_data(as_text=True)
    assert "10.14 WITA" in desk and "10.34 WITA" in desk and "09.20" not in desk
    data = client.get(f"/t/{tenant.slug}/api/v1/clinic/bpjs/PKM-A/antrean/sisapeserta/{BPJS_A}/GIGI/2026-03-02",
                      headers={"x-token": token}).get_json()
    assert data["response"]["estimasidilayani"] == int((now + timedelta(minutes=20)).timestamp() * 1000)



# 3. a BPJS take-a-number without nomorkartu is a non-JKN booking, held to the non-JKN quota

def test_a_bpjs_booking_without_a_card_is_non_jkn(app, client, tenant, create_token):
    with app.app_context():
        for nik in NIKS[1:3]:  # PKM-A's UMUM: non-JKN quota 2, now full
            booked(tenant, nik=nik)
        token = create_token(tenant, "clinic:bpjs")
    base = f"/t/{tenant.slug}/api/v1/clinic/bpjs/PKM-A/antrean"
    body = {"nik": NIKS[3], "kodepoli": "001", "tanggalperiksa": "2026-03-02"}
    response = client.post(base, json=body, headers={"x-token": token})
    data = response.get_json()
    assert response.status_code == 400 and set(data) == {"response", "metadata"}
    assert data["response"] is None and data["metadata"] == {"code": 400, "message": "Kuota hari itu sudah penuh."}
    with app.app_context():
        from ..models import Visit

        with tenant_scope(tenant):
            assert db.session.query(Visit).count() == 2
    card = client.post(base, json={**body, "nomorkartu": BPJS_A}, headers={"x-token": token}).get_json()
    assert card["metadata"]["code"] == 200  # with a card: the JKN quota, which has room
    with app.app_context(), tenant_scope(tenant):
        from ..models import Visit

        assert db.session.query(Visit).filter_by(jkn=True).count() == 1


# 4. a planned FHIR Encounter starts at its visit day's session (the tenant's zone), not at booking

def test_a_planned_encounter_starts_on_its_visit_day(app, client, tenant, create_token):
    import importlib
    from datetime import date

    with app.app_context():
        visit, _ = booked(tenant, nik=NIKS[4], day=date(2026, 3, 3))  # booked Monday 09:00 for Tuesday
        token = create_token(tenant, "fhir:read")
    response = client.get(f"/t/{tenant.slug}/fhir/Encounter?subject=Patient/p{visit.patient_id}",
                          headers={"Authorization": f"Bearer {token}"})
    bundle = response.get_json()
    importlib.import_module("fhir.resources.R4B.bundle").Bundle.model_validate(bundle)
    [entry] = bundle["entry"]
    encounter = entry["resource"]
    assert encounter["status"] == "planned" and "statusHistory" not in encounter
    assert encounter["period"] == {"start": "2026-03-03T08:00:00+08:00"}  # UMUM's session, WITA


# 5. BPJS status of a day the poli is closed: a refusal in the envelope, not an empty jampraktek

@pytest.mark.parametrize("day, why", [("2026-03-08", "a Sunday"), ("2026-03-04", "the clinic's closed day")])
def test_bpjs_status_of_a_closed_day_says_so(app, client, tenant, create_token, day, why):
    with app.app_context():
        token = create_token(tenant, "clinic:bpjs")
    base = f"/t/{tenant.slug}/api/v1/clinic/bpjs/PKM-A/antrean/status/001"
    response = client.get(f"{base}/{day}", headers={"x-token": token})
    data = response.get_json()
    assert response.status_code == 200 and data["response"] is None, why
    d = day.split("-")
    assert data["metadata"] == {"code": 201, "message": f"Poli Umum tutup pada {d[2]}-{d[1]}-{d[0]}."}
    open_day = client.get(f"{base}/2026-03-02", headers={"x-token": token}).get_json()
    assert open_day["metadata"]["code"] == 200 and open_day["response"]["jampraktek"] == "08:00-12:00"
