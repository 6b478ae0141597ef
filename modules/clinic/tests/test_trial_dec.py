"""What the December new-user trial found on the clinic's pages, each held here: the SMS format with
the clinic code and the codes listed (4), an encounter saved unchanged says so (11), the desk's
errors summed up at the top (16), the titles end with the tenant's name, vitals with the reader's
decimal comma, times as the core writes them."""
import copy
import re

import pytest

from .fixtures import DESK_A, SETTINGS, booked
from .test_pages import csrf, url

DOCTOR = "dokter@pkm-a.test"


@pytest.fixture
def tenant(app, create_tenant, frozen_clock):
    with app.app_context():
        return create_tenant(modules={"clinic": SETTINGS}, locales=["id", "en"])


def test_the_clinics_page_gives_the_sms_format_with_the_clinic_and_the_codes(client, tenant):
    page = client.get(url(tenant)).get_data(as_text=True)
    # two clinics: the format names the clinic, escaped (not unknown tags)
    assert "DAFTAR &lt;puskesmas&gt; &lt;poli&gt; &lt;tanggal DD-MM-YYYY&gt; &lt;NIK atau nomor BPJS&gt;" in page
    assert "<puskesmas>" not in page
    assert "Kode puskesmas" in page and '<code class="code">PKM-A</code>' in page and '<code class="code">PKM-B</code>' in page
    assert re.search(r'>Poli Gigi</a> \(<code class="code">GIGI</code>\)', page)
    assert "Kirim ke" not in page  # no number in the settings: none shown


def test_the_number_to_send_to_is_shown_when_the_settings_have_one(app, client, create_tenant, frozen_clock):
    settings = copy.deepcopy(SETTINGS)
    settings["clinics"] = settings["clinics"][:1]
    settings["sms_number"] = "0811 4400 123"
    with app.app_context():
        tenant = create_tenant(modules={"clinic": settings}, locales=["id", "en"])
    page = client.get(url(tenant)).get_data(as_text=True)
    assert "DAFTAR &lt;poli&gt; &lt;tanggal DD-MM-YYYY&gt;" in page  # one clinic: the code may be left out
    assert "Kirim ke 0811 4400 123." in page


def test_an_encounter_saved_unchanged_says_nothing_changed(app, client, tenant, create_user, login):
    with app.app_context():
        visit, _ = booked(tenant, name="Siti")
        login(client, create_user(tenant, role="officer", agency="DLH", email=DOCTOR), tenant)
    page = url(tenant, f"visit/{visit.id}/encounter")
    form = client.get(page).get_data(as_text=True)
    data = {"csrf_token": csrf(form), "complaint": "Demam", "icd10": "J06.9", "temperature": "37,2", "heart_rate": "80"}
    assert "Catatan kunjungan tersimpan" in client.post(page, data=data, follow_redirects=True).get_data(as_text=True)
    again = client.post(page, data=data, follow_redirects=True).get_data(as_text=True)
    assert "Tidak ada yang berubah" in again and "Pemeriksaan diubah" not in again
    assert "diubah 1×" not in again
    assert "Suhu tubuh: 37,2 °C" in again and ": 80 /menit" in again  # the reader's decimal comma, units
    assert re.search(r"<title>Catatan kunjungan A-001 · [^<]+</title>", again)
    assert tenant.name in re.search(r"<title>(.*?)</title>", again).group(1)


def test_the_desk_sums_up_its_errors_at_the_top(app, client, tenant, create_user, login):
    with app.app_context():
        login(client, create_user(tenant, role="officer", agency="DLH", email=DESK_A), tenant)
    page = url(tenant, "desk/PKM-A/UMUM")
    form = client.get(page).get_data(as_text=True)
    assert re.search(r"<title>Poli Umum · Puskesmas Satu · [^<]+</title>", form)
    refused = client.post(page, data={"csrf_token": csrf(form), "place": "PKM-A/UMUM", "day": "2026-03-02",
                                      "nik": "7371014101900001", "name": ""})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 400
    summary = text.index('class="error-summary"')
    assert summary < text.index("Daftar di loket")  # above the form, far down on a phone
    assert re.search(r'<a href="#name">[^<]*Isi nama pasien', text[summary:])
