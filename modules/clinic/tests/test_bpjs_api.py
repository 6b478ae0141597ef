"""The BPJS-shaped web service (WS Antrean FKTP): the paths, field names and envelope Mobile JKN
expects, the per-tenant token in ``x-token``, and every refusal in the same envelope."""
import pytest

from .fixtures import BPJS_A, NIK_A, SETTINGS

BASE = "/api/v1/clinic/bpjs/PKM-A/antrean"


@pytest.fixture
def tenant(app, create_tenant, frozen_clock):
    with app.app_context():
        return create_tenant(modules={"clinic": SETTINGS})


@pytest.fixture
def headers(tenant, create_token):
    return {"x-token": create_token(tenant, "clinic:bpjs")}


def call(client, tenant, method, path, headers, body=None):
    response = client.open(f"/t/{tenant.slug}{BASE}{path}", method=method, headers=headers, json=body)
    data = response.get_json()
    assert set(data) == {"response", "metadata"} and set(data["metadata"]) == {"code", "message"}
    return response.status_code, data


def take(client, tenant, headers, **fields):
    body = {"nomorkartu": BPJS_A, "nik": NIK_A, "kodepoli": "001", "tanggalperiksa": "2026-03-02", **fields}
    return call(client, tenant, "POST", "", headers, body)


def test_take_a_number_then_status_remaining_checkin_and_cancel(client, tenant, headers):
    status, data = take(client, tenant, headers)
    assert status == 200 and data["metadata"] == {"code": 200, "message": "Ok."}
    ticket = data["response"]
    assert (ticket["nomorantrean"], ticket["angkaantrean"], ticket["namapoli"], ticket["sisaantrean"]) == \
        ("A-001", 1, "Poli Umum", 0)
    assert isinstance(ticket["estimasidilayani"], int) and ticket["kodebooking"]
    again = take(client, tenant, headers)[1]["response"]
    assert again["nomorantrean"] == "A-001" and again["keterangan"]  # the first booking, as BPJS does

    _, data = call(client, tenant, "GET", "/status/001/2026-03-02", headers)
    assert data["response"]["totalantrean"] == 1 and data["response"]["sisaantrean"] == 1
    assert data["response"]["antreanpanggil"] == "-" and data["response"]["jampraktek"] == "08:00-12:00"

    _, data = call(client, tenant, "GET", f"/sisapeserta/{BPJS_A}/UMUM/2026-03-02", headers)
    assert data["response"]["nomorantrean"] == "A-001"

    status, _ = call(client, tenant, "POST", "/checkin", headers, {"kodebooking": ticket["kodebooking"],
                                                                   "waktu": 1772413200000})
    assert status == 200
    status, data = call(client, tenant, "PUT", "/batal", headers,
                        {"nomorkartu": BPJS_A, "kodepoli": "001", "tanggalperiksa": "2026-03-02", "alasan": "sembuh"})
    assert status == 200
    assert call(client, tenant, "GET", "/status/001/2026-03-02", headers)[1]["response"]["totalantrean"] == 0


@pytest.mark.parametrize("fields, status, message", [
    ({"kodepoli": "999"}, 400, "Poli tidak ditemukan."),
    ({"tanggalperiksa": "02-03-2026"}, 400, "Format tanggalperiksa tidak sesuai (YYYY-MM-DD)."),
    ({"tanggalperiksa": "2026-03-01"}, 400, "Tanggal itu sudah lewat."),
    ({"nik": "123", "nomorkartu": ""}, 400, "nik:"),
    # every problem at once, the first one's code (brief cl)
    ({"nik": "123", "tanggalperiksa": "2026-03-01"}, 400, "Tanggal itu sudah lewat. nik: NIK harus terdiri atas 16 angka, bukan 3."),
])
def test_bad_requests_answer_the_envelope(client, tenant, headers, fields, status, message):
    got, data = take(client, tenant, headers, **fields)
    assert got == status and data["metadata"]["code"] == status and data["response"] is None
    assert data["metadata"]["message"].startswith(message)


def test_tokens_are_checked_in_the_envelope(client, tenant, create_token, create_tenant, app):
    status, data = call(client, tenant, "GET", "/status/001/2026-03-02", {})
    assert status == 401 and data["metadata"]["code"] == 401
    wrong_scope = {"x-token": create_token(tenant, "fhir:read")}
    assert call(client, tenant, "GET", "/status/001/2026-03-02", wrong_scope)[0] == 403
    with app.app_context():
        other = create_tenant(modules={"clinic": SETTINGS})
    theirs = {"Authorization": f"Bearer {create_token(other, 'clinic:bpjs')}"}
    assert call(client, tenant, "GET", "/status/001/2026-03-02", theirs)[0] == 401


def test_unknown_bookings_and_paths_answer_the_envelope(client, tenant, headers):
    assert call(client, tenant, "GET", f"/sisapeserta/{BPJS_A}/001/2026-03-02", headers)[0] == 404
    assert call(client, tenant, "POST", "/checkin", headers, {"kodebooking": "NOPE"})[0] == 404
    assert call(client, tenant, "GET", "/nothing-here", headers)[0] == 404
