"""The pages after the t17 trial: the board's and the desk's *Remaining* count whom *call next*
will call, as BPJS ``sisaantrean`` (a skipped patient not); the FHIR endpoint's errors in the
request's language; the desk's time column named for both its kinds; *My patients today* linked for
practitioners only."""
import re

import pytest

from core.kit import db, tenant_scope

from .. import queue, views_board
from ..settings import clinic_of
from .fixtures import DESK_A, NIK_A, NIK_B, NIK_C, SETTINGS, booked

NIK_D = "7371015505950004"


@pytest.fixture
def tenant(app, create_tenant, frozen_clock):
    with app.app_context():
        return create_tenant(modules={"clinic": SETTINGS}, locales=["id", "en"])


def _one_skipped_one_called_two_left(app, tenant):
    """Four booked at PKM-A's Poli Umum; the first called and skipped, the second called."""
    with app.app_context():
        for nik, card in ((NIK_A, "0001234567890"), (NIK_B, "0001234567891"), (NIK_C, "0001234567892"), (NIK_D, "")):
            booked(tenant, nik=nik, bpjs=card)  # within the quotas: three JKN, one not
        with tenant_scope(tenant):
            first = queue.call_next(tenant, None, "PKM-A", "UMUM")
            queue.skip(tenant, None, first.id)
            queue.call_next(tenant, None, "PKM-A", "UMUM")
            db.session.commit()


# 5. Remaining: the call order's length, on the board, the desk and BPJS alike

def test_board_desk_and_bpjs_count_the_same_remaining_patients(app, client, tenant, create_user, login,
                                                               create_token):
    _one_skipped_one_called_two_left(app, tenant)
    with app.app_context(), tenant_scope(tenant):
        rows = views_board.board_rows(tenant, clinic_of(tenant, "PKM-A"))
        assert [r["remaining"] for r in rows if r["poli"].code == "UMUM"] == [2]
    board = client.get(f"/t/{tenant.slug}/clinic/board/PKM-A").get_data(as_text=True)
    assert re.search(r"Sisa antrean: <strong>2</strong>", board), board
    bpjs = client.get(f"/t/{tenant.slug}/api/v1/clinic/bpjs/PKM-A/antrean/status/001/2026-03-02",
                      headers={"x-token": create_token(tenant, "clinic:bpjs")}).get_json()
    assert bpjs["response"]["sisaantrean"] == 2
    with app.app_context():
        login(client, create_user(tenant, role="officer", agency="DLH", email=DESK_A), tenant)
    desk = client.get(f"/t/{tenant.slug}/clinic/desk/PKM-A/UMUM").get_data(as_text=True)
    assert '<strong id="remaining">2</strong>' in desk, desk


# 7. the FHIR endpoint's refusals in the request's language

@pytest.mark.parametrize("path, said", [
    ("Patient?_count=abc", {"id": "_count harus bilangan bulat dari 0 sampai 200.",
                            "en": "_count must be a whole number from 0 to 200."}),
    ("Patient?_offset=5000", {"id": "_offset harus bilangan bulat dari 0 sampai 1000.",
                              "en": "_offset must be a whole number from 0 to 1000."}),
    ("Medication", {"id": "Jenis resource 'Medication' tidak dilayani di sini.",
                    "en": "Resource type 'Medication' is not served here."}),
    ("Medication/1", {"id": "Jenis resource 'Medication' tidak dilayani di sini.",
                      "en": "Resource type 'Medication' is not served here."}),
    ("Patient?name=andi", {"id": "Parameter pencarian 'name' tidak dikenal untuk Patient.",
                           "en": "Unknown search parameter 'name' for Patient."}),
    ("Organization/NOPE", {"id": "Organization/NOPE tidak dikenal.", "en": "Organization/NOPE is not known."}),
])
def test_fhir_errors_speak_the_requests_language(client, tenant, create_token, path, said):
    token = create_token(tenant, "fhir:read")
    for lang in ("id", "en"):
        response = client.get(f"/t/{tenant.slug}/fhir/{path}",
                              headers={"Authorization": f"Bearer {token}", "Accept-Language": lang})
        issue = response.get_json(force=True)["issue"][0]
        assert response.status_code in (400, 404) and issue["diagnostics"] == said[lang], issue


def test_every_fhir_error_differs_between_indonesian_and_english(client, tenant, create_token):
    """Every refusal the endpoint gives, the identifier's and the token's included: never English
    on an Indonesian request."""
    token = create_token(tenant, "fhir:read")
    for path, auth in [("Patient?identifier=123", token), ("Patient?_count=-1", token), ("Encounter?x=1", token),
                       ("Location/zz", token), ("Patient", "nope"), ("Patient", create_token(tenant, "clinic:bpjs"))]:
        texts = {lang: client.get(f"/t/{tenant.slug}/fhir/{path}", headers={
            "Authorization": f"Bearer {auth}", "Accept-Language": lang}).get_json(force=True)["issue"][0]["diagnostics"]
            for lang in ("id", "en")}
        assert texts["id"] != texts["en"], (path, texts)


# 8. the desk's time column: an estimate or the time called, each cell saying which

def test_the_desk_names_its_time_column_for_both_kinds_of_time(app, client, tenant, create_user, login):
    _one_skipped_one_called_two_left(app, tenant)
    with app.app_context():
        login(client, create_user(tenant, role="officer", agency="DLH", email=DESK_A), tenant)
    desk = client.get(f"/t/{tenant.slug}/clinic/desk/PKM-A/UMUM").get_data(as_text=True)
    header = re.search(r"<thead>.*?</thead>", desk, re.S).group(0)
    assert "<th>Waktu</th>" in header and "Perkiraan" not in header
    cells = {status: re.findall(rf'<tr class="s-{status}">.*?<td class="estimate">(.*?)</td>', desk, re.S)
             for status in ("booked", "skipped", "called")}
    label = re.compile(r'<span class="phone-label">(.*?): </span>')
    assert {s: [label.search(c).group(1) for c in found] for s, found in cells.items()} == {
        "booked": ["Perkiraan dilayani"] * 2, "skipped": ["Perkiraan dilayani"], "called": ["Dipanggil pukul"]}


# 9. My patients today: for the clinics' practitioners only

@pytest.mark.parametrize("email, linked", [("staf@pkm-a.test", False), ("dokter@pkm-a.test", True),
                                           ("DOKTER@pkm-b.test", True)])
def test_my_patients_today_is_linked_for_practitioners_only(app, client, tenant, create_user, login, email, linked):
    with app.app_context():
        login(client, create_user(tenant, role="officer", agency="DLH", email=email), tenant)
    page = client.get(f"/t/{tenant.slug}/clinic/").get_data(as_text=True)
    assert ("Pasien saya hari ini" in page, "/clinic/practice/" in page) == (linked, linked)
    assert "Loket puskesmas" in page  # the other staff links stay
