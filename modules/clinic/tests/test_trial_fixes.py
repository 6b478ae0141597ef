"""What the December trial-fix round found on the clinic's pages, each held here: the desk's times
with their zone (12), the portal's first day one that can still be booked (13), the numbers still
called shown at the desk (15), the BPJS number's refusal naming the field and one form for every
vital sign out of bounds (23). The board's numbers at 360 px (14) are in ``test_browser.py``."""
import re
from datetime import datetime, timezone

import pytest

from core.kit import db, tenant_scope

from .. import queue
from ..models import Visit
from .fixtures import DESK_A, NIK_B, NIK_C, SETTINGS, booked
from .test_pages import csrf, url

DOCTOR = "dokter@pkm-a.test"


@pytest.fixture
def tenant(app, create_tenant, frozen_clock):
    with app.app_context():
        return create_tenant(modules={"clinic": SETTINGS}, locales=["id", "en"])


def desk(client, tenant, lang="id"):
    return client.get(url(tenant, "desk/PKM-A/UMUM"), headers={"Accept-Language": lang}).get_data(as_text=True)


def day_field(page: str) -> str:
    return re.search(r'<input[^>]*name="day"[^>]*>', page).group(0)


def test_the_desk_writes_its_times_with_the_zone(app, client, tenant, create_user, login):
    with app.app_context():
        booked(tenant)
        login(client, create_user(tenant, role="officer", agency="DLH", email=DESK_A), tenant)
    rows = desk(client, tenant).split("<tbody>")[1].split("</tbody>")[0]
    assert re.search(r"</span>09\.00 WITA</td>", rows)  # the estimate of A-001, as on the status page


def test_the_portal_offers_the_next_open_day_once_todays_sessions_have_ended(app, client, tenant, frozen_clock):
    assert 'value="2026-03-02"' in day_field(client.get(url(tenant, "register")).get_data(as_text=True))
    frozen_clock.set(datetime(2026, 3, 2, 7, 45, tzinfo=timezone.utc))  # Monday 15.45 WITA: Poli Umum closed at 12.00
    assert 'value="2026-03-03"' in day_field(client.get(url(tenant, "register")).get_data(as_text=True))
    # the chosen poli's: Poli Gigi serves Mondays and Wednesdays, and PKM-A is closed on 2026-03-04
    link = re.search(r'<a href="([^"]+)">Poli Gigi</a>', client.get(url(tenant)).get_data(as_text=True)).group(1)
    page = client.get(link.replace("&amp;", "&")).get_data(as_text=True)  # the clinics page links each poli
    assert 'value="2026-03-09"' in day_field(page)
    assert re.search(r'<option selected value="PKM-A/GIGI">|<option value="PKM-A/GIGI" selected>', page)
    unknown = client.get(url(tenant, "register?place=NOPE/X")).get_data(as_text=True)
    assert 'value="2026-03-03"' in day_field(unknown)  # an unknown place: the first poli's


def test_the_offered_day_books_at_the_first_submit(app, client, tenant, frozen_clock):
    frozen_clock.set(datetime(2026, 3, 2, 7, 45, tzinfo=timezone.utc))
    page = client.get(url(tenant, "register")).get_data(as_text=True)
    day = re.search(r'value="(\d{4}-\d\d-\d\d)"', day_field(page)).group(1)
    sent = client.post(url(tenant, "register"), data={"csrf_token": csrf(page), "place": "PKM-A/UMUM", "day": day,
                                                      "nik": NIK_B, "name": "Siti",
                                                      "attempt": re.search(r'name="attempt"[^>]*value="([^"]+)"',
                                                                           page).group(1)})
    assert sent.status_code == 302 and "/clinic/status?code=" in sent.headers["Location"]


def test_the_desk_is_shown_the_numbers_still_called(app, client, tenant, create_user, login):
    with app.app_context():
        first, _ = booked(tenant)
        booked(tenant, nik=NIK_B)
        booked(tenant, nik=NIK_C, jkn=True)  # the non-JKN quota is 2
        with tenant_scope(tenant):
            queue.call_next(tenant, None, "PKM-A", "UMUM")
            queue.call_next(tenant, None, "PKM-A", "UMUM")
            db.session.commit()
        login(client, create_user(tenant, role="officer", agency="DLH", email=DESK_A), tenant)
    page = desk(client, tenant)
    assert "Masih dipanggil, belum dilayani: A-001, A-002." in page
    assert page.index('id="still-called"') < page.index("<table")  # beside the button, above the list
    assert "Still called, not yet served: A-001, A-002." in desk(client, tenant, "en")
    with app.app_context(), tenant_scope(tenant):
        queue.serve(tenant, None, first.id)
        db.session.commit()
    page = desk(client, tenant)
    assert "Masih dipanggil, belum dilayani: A-002." in page  # A-001 is being served: no longer listed
    with app.app_context(), tenant_scope(tenant):
        assert db.session.query(Visit).filter(Visit.status == "called").count() == 1


def test_no_hint_when_nobody_waits_called(app, client, tenant, create_user, login):
    with app.app_context():
        booked(tenant)
        login(client, create_user(tenant, role="officer", agency="DLH", email=DESK_A), tenant)
    assert 'id="still-called"' not in desk(client, tenant)


def test_a_malformed_bpjs_number_names_its_field(app, client, tenant):
    page = client.get(url(tenant, "register")).get_data(as_text=True)
    data = {"csrf_token": csrf(page), "place": "PKM-A/UMUM", "day": "2026-03-02", "name": "Andi"}
    letters = client.post(url(tenant, "register"), data={**data, "bpjs": "00012A4567890"}).get_data(as_text=True)
    assert "Nomor kartu BPJS hanya boleh berisi angka" in letters
    short = client.post(url(tenant, "register"), data={**data, "bpjs": "00012"}).get_data(as_text=True)
    assert "Nomor kartu BPJS harus terdiri atas 13 angka, bukan 5." in short
    english = client.post(url(tenant, "register"), data={**data, "bpjs": "0001-2345"},
                          headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "The BPJS card number must have 13 digits, not 8." in english
    assert "NIK (16 angka)" in page  # the field's label keeps Indonesian "angka"


def test_every_vital_sign_out_of_bounds_says_it_in_one_form(app, client, tenant, create_user, login):
    with app.app_context():
        visit, _ = booked(tenant, name="Siti")
        login(client, create_user(tenant, role="officer", agency="DLH", email=DOCTOR), tenant)
    page = url(tenant, f"visit/{visit.id}/encounter")
    token = csrf(client.get(page).get_data(as_text=True))
    text = client.post(page, data={"csrf_token": token, "complaint": "Demam", "icd10": "J06.9", "systolic": "400",
                                   "heart_rate": "5", "temperature": "52", "weight": "0,1"}).get_data(as_text=True)
    for message in ("Harus antara 50 dan 300.", "Harus antara 20 dan 250.", "Harus antara 30 dan 45.",
                    "Harus antara 0,3 dan 400."):
        assert message in text, message
    assert "Angka harus antara" not in text and "Di luar rentang" not in text
