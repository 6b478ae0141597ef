"""The BPJS-shaped service after the t17 trial: malformed identity input on every endpoint answers
400 in BPJS's envelope naming the field (it was a 500: a lazy message the envelope could not
serialise), and a check-in's ``waktu`` must be a real time on the booking's day."""
from datetime import datetime, timedelta, timezone

import pytest

from core.kit import db, tenant_scope

from ..models import Visit
from .fixtures import BPJS_A, NIK_A, SETTINGS

BASE = "/api/v1/clinic/bpjs/PKM-A/antrean"
DAY = "2026-03-02"  # the frozen clock's Monday, 09:00 WITA (01:00 UTC)
NOW = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)
# not digits; 12 digits (neither a card nor a NIK); a NIK's length with a day of birth 99
BAD_CARDS = ["abc", "123456789012", "7371019913900001", "0812-3456", "١٢٣٤٥٦٧٨٩٠١٢٣"]


@pytest.fixture
def tenant(app, create_tenant, frozen_clock):
    with app.app_context():
        return create_tenant(modules={"clinic": SETTINGS}, locales=["id", "en"])


@pytest.fixture
def headers(tenant, create_token):
    return {"x-token": create_token(tenant, "clinic:bpjs")}


def call(client, tenant, method, path, headers, body=None):
    response = client.open(f"/t/{tenant.slug}{BASE}{path}", method=method, headers=headers, json=body)
    data = response.get_json()
    assert set(data) == {"response", "metadata"} and set(data["metadata"]) == {"code", "message"}, data
    assert data["metadata"]["code"] == response.status_code and isinstance(data["metadata"]["message"], str)
    return response.status_code, data


def ticket(client, tenant, headers):
    body = {"nomorkartu": BPJS_A, "nik": NIK_A, "kodepoli": "001", "tanggalperiksa": DAY}
    status, data = call(client, tenant, "POST", "", headers, body)
    assert status == 200, data
    return data["response"]["kodebooking"]


# 1. malformed identity input: 400 naming the field, on every endpoint that takes one

@pytest.mark.parametrize("card", BAD_CARDS)
def test_remaining_queue_refuses_a_malformed_card_naming_nomorkartu(client, tenant, headers, card):
    ticket(client, tenant, headers)
    status, data = call(client, tenant, "GET", f"/sisapeserta/{card}/001/{DAY}", headers)
    assert status == 400 and data["response"] is None
    assert data["metadata"]["message"].startswith("nomorkartu: "), data


@pytest.mark.parametrize("card", BAD_CARDS + [123, ["x"], {"a": 1}])
def test_cancel_refuses_a_malformed_card_naming_nomorkartu_and_cancels_nothing(app, client, tenant, headers, card):
    ticket(client, tenant, headers)
    status, data = call(client, tenant, "PUT", "/batal", headers,
                        {"nomorkartu": card, "kodepoli": "001", "tanggalperiksa": DAY, "alasan": "x"})
    assert status == 400 and data["metadata"]["message"].startswith("nomorkartu: "), data
    with app.app_context(), tenant_scope(tenant):
        assert db.session.query(Visit).one().status == "booked"


def test_the_refusal_says_which_numbers_are_wanted_in_the_callers_language(client, tenant, headers):
    path = f"/sisapeserta/abc/001/{DAY}"
    said = {lang: call(client, tenant, "GET", path, {**headers, "Accept-Language": lang})[1]["metadata"]["message"]
            for lang in ("id", "en")}
    assert said == {"id": "nomorkartu: diperlukan nomor kartu BPJS 13 angka atau NIK 16 angka.",
                    "en": "nomorkartu: a BPJS card number of 13 digits or a NIK of 16 digits is required."}
    nik = call(client, tenant, "GET", f"/sisapeserta/7371019913900001/001/{DAY}", headers)[1]["metadata"]["message"]
    assert nik.startswith("nomorkartu: NIK ") and "(59-13-1990)" in nik  # the NIK's own rule (day 99: a woman's 59), named as the field


@pytest.mark.parametrize("fields, starts", [
    ({"nomorkartu": "abc"}, "nomorkartu: "),
    ({"nomorkartu": "123456789012"}, "nomorkartu: "),
    ({"nomorkartu": "", "nik": "7371019913900001"}, "nik: "),
    ({"nomorkartu": "", "nik": "abc"}, "nik: "),
])
def test_take_refuses_malformed_numbers_naming_the_field(client, tenant, headers, fields, starts):
    body = {"nomorkartu": BPJS_A, "nik": NIK_A, "kodepoli": "001", "tanggalperiksa": DAY, **fields}
    status, data = call(client, tenant, "POST", "", headers, body)
    assert status == 400 and data["metadata"]["message"].startswith(starts), data


@pytest.mark.parametrize("code", [12345, ["A"], {"k": 1}, "x" * 500, "", None, True])
def test_checkin_refuses_a_malformed_booking_code_in_the_envelope(client, tenant, headers, code):
    status, data = call(client, tenant, "POST", "/checkin", headers, {"kodebooking": code})
    assert status == 404 and data["metadata"]["message"] == "Kode booking tidak ditemukan."


@pytest.mark.parametrize("path", ["/status/%00/2026-03-02", "/status/001/abc", "/status/001/2026-02-30"])
def test_status_refuses_malformed_path_input_in_the_envelope(client, tenant, headers, path):
    status, data = call(client, tenant, "GET", path, headers)
    assert status == 400 and data["response"] is None


# 2. a check-in's waktu: Unix milliseconds on the booking's day, not in the future

def _ms(when: datetime) -> int:
    return int(when.timestamp() * 1000)


@pytest.mark.parametrize("waktu, message", [
    (True, "waktu harus berupa waktu dalam milidetik Unix (bilangan bulat)."),
    (False, "waktu harus berupa waktu dalam milidetik Unix (bilangan bulat)."),
    (str(_ms(NOW)), "waktu harus berupa waktu dalam milidetik Unix (bilangan bulat)."),
    (float(_ms(NOW)), "waktu harus berupa waktu dalam milidetik Unix (bilangan bulat)."),
    (-5, "waktu harus berupa waktu dalam milidetik Unix (bilangan bulat)."),
    (0, "waktu harus berupa waktu dalam milidetik Unix (bilangan bulat)."),
    ([1], "waktu harus berupa waktu dalam milidetik Unix (bilangan bulat)."),
    (_ms(NOW - timedelta(days=3)), "waktu tidak pada hari pemesanan (02-03-2026)."),
    (_ms(NOW - timedelta(hours=9, minutes=1)), "waktu tidak pada hari pemesanan (02-03-2026)."),  # 23:59 WITA, Sunday
    (_ms(NOW + timedelta(minutes=3)), "waktu ada di masa depan."),
    (_ms(NOW + timedelta(days=1)), "waktu ada di masa depan."),
])
def test_checkin_refuses_an_impossible_time_and_changes_nothing(app, client, tenant, headers, waktu, message):
    code = ticket(client, tenant, headers)
    status, data = call(client, tenant, "POST", "/checkin", headers, {"kodebooking": code, "waktu": waktu})
    assert (status, data["metadata"]["message"]) == (400, message)
    with app.app_context(), tenant_scope(tenant):
        visit = db.session.query(Visit).one()
        assert (visit.status, visit.arrived_at) == ("booked", None)


@pytest.mark.parametrize("waktu, arrived", [
    (None, NOW),  # absent: now
    (_ms(NOW - timedelta(hours=8, minutes=59)), NOW - timedelta(hours=8, minutes=59)),  # 00:01 WITA, that day
    (_ms(NOW - timedelta(minutes=30)), NOW - timedelta(minutes=30)),
    (_ms(NOW + timedelta(minutes=1)), NOW),  # a caller's clock a minute ahead: taken as now
])
def test_checkin_takes_a_time_on_the_bookings_day(app, client, tenant, headers, waktu, arrived):
    code = ticket(client, tenant, headers)
    body = {"kodebooking": code} if waktu is None else {"kodebooking": code, "waktu": waktu}
    assert call(client, tenant, "POST", "/checkin", headers, body)[0] == 200
    with app.app_context(), tenant_scope(tenant):
        visit = db.session.query(Visit).one()
        assert visit.status == "waiting" and visit.arrived_at.replace(tzinfo=timezone.utc) == arrived
