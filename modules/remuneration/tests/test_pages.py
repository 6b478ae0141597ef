"""The pages over HTTP: an employee's own month with its breakdown, the personnel agency's runs,
running and closing a month, the payroll exports; and who may see what. The tenants speak Indonesian
first; a test reads English the way a person chooses it, with the language switch's cookie
(``core.i18n.select_locale``)."""
from __future__ import annotations

import io
from datetime import datetime, timezone
import re

from openpyxl import load_workbook

from core.i18n import LOCALE_COOKIE
from core.kit import db, tenant_scope

from ..models import Objection
from ..services import import_attendance, import_employees, run_month
from .helpers import MODULE, NIPS, SETTINGS, attendance_csv, employees_csv


def english(client):
    """``client`` with English chosen on the language switch (the cookie outranks everything else)."""
    client.set_cookie(LOCALE_COOKIE, "en")
    return client


def setup(app, create_tenant, create_user, email_for_andi=None):
    tenant = create_tenant(modules={MODULE: SETTINGS}, locales=["id", "en"])   # Indonesian unless chosen
    admin = create_user(tenant, role="admin")
    andi = email_for_andi or create_user(tenant, role="officer", agency="DLH")
    with app.app_context():
        import_employees(tenant, "test", employees_csv((NIPS[0], "Andi Baso", "DLH", "JF-AHLI", andi),
                                                       (NIPS[1], "Sitti Rahmawati", "DLH", "PELAKSANA", "")))
        import_attendance(tenant, "test", attendance_csv((NIPS[0], "2026-03-02T08:15:00+08:00", "in")))
        run_month(tenant, "test", 2026, 3)
        db.session.commit()
    return tenant, admin, andi


def test_an_employee_sees_their_own_breakdown_and_nobody_elses(app, client, create_tenant, create_user, login):
    tenant, _, andi = setup(app, create_tenant, create_user)
    login(client, andi, tenant)
    html = client.get(f"/t/{tenant.slug}/{MODULE}/").get_data(as_text=True)
    assert "Terlambat masuk (menit)" in html and "Late arrival" not in html and "Tidak mengikuti apel" in html
    page = english(client).get(f"/t/{tenant.slug}/{MODULE}/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Andi Baso" in html and "Sitti" not in html
    assert "Late arrival (minutes)" in html and "31-60" in html and "Missed assembly" in html
    assert "Terlambat" not in html and '<html lang="en"' in html
    assert client.get(f"/t/{tenant.slug}/{MODULE}/runs").status_code == 403


def test_the_personnel_agency_runs_closes_and_exports_a_month(app, client, create_tenant, create_user, login,
                                                            audit_entries):
    tenant, admin, _ = setup(app, create_tenant, create_user)
    login(english(client), admin, tenant)
    base = f"/t/{tenant.slug}/{MODULE}"
    runs = client.get(f"{base}/runs").get_data(as_text=True)
    assert ">March 2026</a>" in runs and "<progress" in runs    # a month as words, not "2026-03"
    table = client.get(f"{base}/runs/2026/3").get_data(as_text=True)
    assert "TPP March 2026" in table and 'name="month" value="2026-03"' in table    # the form value stays
    client.set_cookie(LOCALE_COOKIE, "id")
    assert ">Maret 2026</a>" in client.get(f"{base}/runs").get_data(as_text=True)
    english(client)
    table = client.get(f"{base}/runs/2026/3").get_data(as_text=True)
    assert "DLH" in table and "<table" in table
    assert re.search(r"Rules in force from \d{1,2} [A-Z][a-z]{2} 20\d\d\.", table)   # a date as the core writes it
    assert re.search(r"Progress: \d+ of \d+ employees", table)                       # one space, no bar between
    # Sitti has no attendance in March (re-trial of issue 16: run without a word): confirm first, with the count
    asked = client.post(f"{base}/runs", data={"month": "2026-03"})
    html = asked.get_data(as_text=True)
    assert asked.status_code == 200 and 'id="confirm-run"' in html and 'name="force" value="y"' in html
    assert "1 of 2 employees have no attendance record and no leave or duty travel in March 2026." in html
    assert client.post(f"{base}/runs", data={"month": "2026-03", "force": "y"}).status_code == 302
    assert client.post(f"{base}/runs", data={"month": "maret"}).status_code == 400    # said on the form
    csv_text = client.get(f"{base}/runs/2026/3/payroll.csv").get_data(as_text=True)
    assert csv_text.splitlines()[0] == "nip,name,agency,position_class,ceiling,tpp,corrections" and NIPS[0] in csv_text
    sheet = load_workbook(io.BytesIO(client.get(f"{base}/runs/2026/3/payroll.xlsx").data)).active
    assert [c.value for c in sheet[1]] == ["nip", "name", "agency", "position_class", "ceiling", "tpp",
                                             "corrections"]
    assert sheet.max_row == 3
    unconfirmed = client.post(f"{base}/runs/2026/3/close")     # irreversible: the box must be ticked
    assert unconfirmed.status_code == 400 and "Tick the box to confirm" in unconfirmed.get_data(as_text=True)
    assert 'id="error-summary"' in unconfirmed.get_data(as_text=True)                   # said at the top too
    assert not audit_entries(tenant, "remuneration.close")
    assert client.post(f"{base}/runs/2026/3/close", data={"confirm": "y", "force": "y"}).status_code == 302
    closed = client.post(f"{base}/runs", data={"month": "2026-03"}, follow_redirects=True).get_data(as_text=True)
    assert "is closed" in closed
    assert client.get(f"{base}/runs/2026/4").status_code == 404
    assert len(audit_entries(tenant, "remuneration.close")) == 1


def test_a_citizen_without_an_employee_record_is_told(app, client, create_tenant, create_user, login):
    tenant, _, _ = setup(app, create_tenant, create_user)
    warga = create_user(tenant, role="citizen")
    login(client, warga, tenant)
    assert "belum terhubung dengan data pegawai" in client.get(f"/t/{tenant.slug}/{MODULE}/").get_data(as_text=True)
    page = english(client).get(f"/t/{tenant.slug}/{MODULE}/")
    assert page.status_code == 200 and "not linked to an employee" in page.get_data(as_text=True)


def test_an_objection_from_the_phone_page_reaches_the_supervisor(app, client, create_tenant, create_user, login,
                                                                 frozen_clock):
    from datetime import datetime, timezone

    frozen_clock.set(datetime(2026, 4, 1, 2, 0, tzinfo=timezone.utc))
    tenant, _, andi = setup(app, create_tenant, create_user)
    base = f"/t/{tenant.slug}/{MODULE}"
    login(client, andi, tenant)
    sent = client.post(f"{base}/objections", data={"month": "2026-03", "reason": "Saya cuti tanggal 2 Maret."},
                       follow_redirects=True)
    assert "sent to your supervisor" in sent.get_data(as_text=True) or "dikirim" in sent.get_data(as_text=True)
    own = client.get(f"{base}/objections").get_data(as_text=True)       # Andi is an officer of the agency too
    assert "Saya cuti tanggal 2 Maret." in own and 'name="step"' not in own
    with app.app_context(), tenant_scope(tenant):
        own_id = db.session.execute(db.select(Objection.id)).scalar_one()
    refused = client.post(f"{base}/objections/{own_id}/decide", data={"step": "0", "note": "Setuju"},
                          follow_redirects=True).get_data(as_text=True)
    assert "Anda yang mengajukan keberatan ini" in refused
    client.get(f"/t/{tenant.slug}/logout")
    supervisor = create_user(tenant, role="officer", agency="DLH")
    other = app.test_client()
    login(other, supervisor, tenant)
    page = other.get(f"{base}/objections").get_data(as_text=True)
    assert "Saya cuti tanggal 2 Maret." in page and 'name="step" value="0"' in page
    objection_id = page.split("/objections/")[1].split("/")[0]
    assert other.post(f"{base}/objections/{objection_id}/decide", data={"step": "0", "note": "Benar"}).status_code == 302
    assert 'name="step"' not in other.get(f"{base}/objections").get_data(as_text=True)   # now the agency's turn


def test_the_personnel_agency_uploads_files_and_bad_lines_are_named(app, client, create_tenant, create_user, login):
    tenant = create_tenant(modules={MODULE: SETTINGS}, locales=["id", "en"])
    login(english(client), create_user(tenant, role="admin"), tenant)
    base = f"/t/{tenant.slug}/{MODULE}"
    good = employees_csv((NIPS[0], "Andi Baso", "DLH", "JF-AHLI", ""))
    done = client.post(f"{base}/imports", data={"kind": "employees", "file": (io.BytesIO(good), "pegawai.csv")},
                       content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)
    assert "pegawai.csv imported: 1 added, 0 updated, 0 unchanged" in done
    bad = attendance_csv((NIPS[0], "2026-03-02T07:25:00+07:00", "in"))
    done = client.post(f"{base}/imports", data={"kind": "attendance", "file": (io.BytesIO(bad), "absen.csv")},
                       content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)
    assert ("absen.csv was not imported, nothing was written. Line 2, column timestamp: 2026-03-02T07:25:00+07:00 "
            "is not in the tenant&#39;s time zone Asia/Makassar (UTC+8).") in done
    done = client.post(f"{base}/imports", data={"kind": "nothing"}, follow_redirects=True).get_data(as_text=True)
    assert "Choose what the file holds" in done
    client.set_cookie(LOCALE_COOKIE, "id")
    done = client.post(f"{base}/imports", data={"kind": "nothing"}, follow_redirects=True).get_data(as_text=True)
    assert "Pilih isi berkas dan berkasnya." in done


BAD_FILES = {  # kind: (file, the Indonesian line, the English line)
    "employees": (employees_csv((NIPS[1], "Sitti", "DINSOS", "JF-AHLI", "")),
                  "Baris 2, kolom agency: DINSOS bukan perangkat daerah di sini.",
                  "Line 2, column agency: DINSOS is not an agency here."),
    "attendance": (attendance_csv((NIPS[0], "2026-03-02T06:00:00+08:00", "in"), (NIPS[0], "2026-03-02T05:00:00+08:00", "out")),
                   "Baris 3, kolom timestamp: Absen pulang sebelum absen masuk pada baris 2.",
                   "Line 3, column timestamp: A check-out before the check-in of line 2."),
    "activities": (f"nip,day,minutes\n{NIPS[0]},2026-03-02,-5\n".encode(),
                   "Baris 2, kolom minutes: -5 bukan bilangan bulat dari 0 sampai 1440.",
                   "Line 2, column minutes: -5 is not a whole number from 0 to 1440."),
    "excuses": (f"nip,kind,first_day,last_day\n{NIPS[0]},sakit,2026-03-02,2026-03-03\n".encode(),
                "Baris 2, kolom kind: Tulis salah satu dari: leave, duty_travel.",
                "Line 2, column kind: Write one of: leave, duty_travel."),
    "sanctions": (f"nip,code,first_month,last_month\n198503122010011099,ringan,2026-03,2026-03\n".encode(),
                  "Baris 2, kolom nip: Tidak ada pegawai dengan NIP 198503122010011099.",
                  "Line 2, column nip: No employee has NIP 198503122010011099."),
    "missing": (b"nip,day\n", "Baris 1: Baris judul tidak memuat kolom minutes.",
                "Line 1: The header lacks the column(s) minutes."),
}


def test_every_import_refusal_is_said_in_the_readers_language(app, client, create_tenant, create_user, login):
    tenant = create_tenant(modules={MODULE: SETTINGS}, locales=["id", "en"])
    login(client, create_user(tenant, role="admin"), tenant)
    base = f"/t/{tenant.slug}/{MODULE}"
    with app.app_context():
        import_employees(tenant, "test", employees_csv((NIPS[0], "Andi Baso", "DLH", "JF-AHLI", "")))
        db.session.commit()
    english_words = ("is not", "column", "Line ", "line 2", "must be")
    for kind, (data, indonesian, in_english) in BAD_FILES.items():
        said = {}
        for locale in ("id", "en"):
            client.set_cookie(LOCALE_COOKIE, locale)
            said[locale] = client.post(f"{base}/imports", data={"kind": "activities" if kind == "missing" else kind,
                                                                "file": (io.BytesIO(data), "berkas.csv")},
                                       content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)
        assert "berkas.csv tidak diimpor, tidak ada yang disimpan." in said["id"] and indonesian in said["id"], kind
        flash = said["id"].split("berkas.csv tidak diimpor")[1].split("<")[0]
        assert not any(word in flash for word in english_words), (kind, flash)
        assert "berkas.csv was not imported, nothing was written." in said["en"] and in_english in said["en"], kind


def test_the_current_month_is_labelled_provisional_and_counted_up_to_yesterday(app, client, create_tenant, create_user,
                                                                         login, frozen_clock):
    from datetime import datetime, timezone

    frozen_clock.set(datetime(2026, 3, 10, 1, 0, tzinfo=timezone.utc))   # Tuesday 10 March, 09:00 WITA
    tenant, _, andi = setup(app, create_tenant, create_user)
    login(client, andi, tenant)

    def page(locale):
        with client.session_transaction() as session:
            session["locale"] = locale
        return client.get(f"/t/{tenant.slug}/{MODULE}/").get_data(as_text=True)

    assert "Provisional until the month ends: counted up to yesterday; today counts from tomorrow" in page("en")
    assert "Sementara sampai bulan berakhir: dihitung sampai kemarin; hari ini dihitung mulai besok" in page("id")
    frozen_clock.set(datetime(2026, 4, 2, 1, 0, tzinfo=timezone.utc))    # March has ended
    html = page("en")
    assert "Provisional until the month ends" not in html and "provisional: the month is still open" in html


def test_my_tpp_is_in_the_navigation_of_employees_only(app, create_tenant, create_user, login):
    tenant, _, andi = setup(app, create_tenant, create_user)
    citizen = create_user(tenant, role="citizen")
    for email, shown in ((andi, True), (citizen, False)):
        client = app.test_client()
        client.set_cookie(LOCALE_COOKIE, "en")
        login(client, email, tenant)
        nav = client.get(f"/t/{tenant.slug}/").get_data(as_text=True).split("</nav>")[0]
        assert ("My TPP" in nav) is shown, email


def test_a_run_from_the_page_goes_to_the_queue_and_its_progress_is_shown(app, client, create_tenant, create_user,
                                                                         login, audit_entries, frozen_clock):
    from ..background import read_progress, write_progress

    frozen_clock.set(datetime(2027, 2, 1, 2, 0, tzinfo=timezone.utc))             # January 2027 has begun
    tenant, admin, _ = setup(app, create_tenant, create_user)
    login(english(client), admin, tenant)
    base = f"/t/{tenant.slug}/{MODULE}"
    started = client.post(f"{base}/runs", data={"month": "2026-03", "force": "y"})
    assert started.status_code == 302 and started.headers["Location"].endswith("/runs/2026/3/progress")
    with app.app_context():
        assert read_progress(tenant.id, 2026, 3) == {"state": "done", "done": 2, "total": 2}  # the queue ran it
    done = client.get(f"{base}/runs/2026/3/progress").get_data(as_text=True)
    assert "See the month" in done and 'http-equiv="refresh"' not in done
    ran_by = [e for e in audit_entries(tenant, "remuneration.run")][-1]
    assert ran_by["actor"] == admin, ran_by                                         # audited as the person who asked
    with app.app_context():
        write_progress(tenant.id, 2026, 3, state="running", done=500, total=18000)
    running = client.get(f"{base}/runs/2026/3/progress").get_data(as_text=True)
    assert 'http-equiv="refresh"' in running and 'value="500"' in running and "500 of 18000 employees" in running
    failed = client.post(f"{base}/runs", data={"month": "2027-01", "force": "y"}, follow_redirects=True).get_data(as_text=True)
    assert "The run was not done." in failed and "No TPP ceiling for position class" in failed  # 2027 has none yet
    client.set_cookie(LOCALE_COOKIE, "id")                                          # read later, in Indonesian
    failed = client.get(f"{base}/runs/2027/1/progress").get_data(as_text=True)
    assert "Tidak ada pagu TPP untuk kelas jabatan" in failed and "No TPP ceiling" not in failed
    english(client)
    assert client.get(f"{base}/runs/2027/1").status_code == 404                    # nothing written
    # a month that has not begun (trial of 2 Dec 2026: it paid everyone the full ceiling): said beside
    # the field, nothing queued
    future = client.post(f"{base}/runs", data={"month": "2027-03"})
    html = future.get_data(as_text=True)
    assert future.status_code == 400 and "March 2027 has not begun yet" in html.split('id="month-err"')[1].split("</p>")[0]
    assert 'value="2027-03"' in html
    with app.app_context():
        assert read_progress(tenant.id, 2027, 3) is None
    assert client.get(f"{base}/runs/2027/3/progress").status_code == 404
    for bad in ("maret", "2026-13", "1999-12"):
        refused = client.post(f"{base}/runs", data={"month": bad}, follow_redirects=True).get_data(as_text=True)
        assert "YYYY-MM" in refused, bad
    # "Hitung bulan ini" with an empty month (trial finding 10): the form says so beside the field
    empty = client.post(f"{base}/runs", data={"month": ""})
    html = empty.get_data(as_text=True)
    assert empty.status_code == 400 and 'id="month-err"' in html and "Choose the month to run." in html
    assert 'aria-invalid="true"' in html and "novalidate" in html
    kept = client.post(f"{base}/runs", data={"month": "maret"}).get_data(as_text=True)
    assert 'value="maret"' in kept and "YYYY-MM" in kept.split('id="month-err"')[1].split("</p>")[0]
    assert client.get(f"{base}/runs/2025/1/progress").status_code == 404


def test_my_tpp_names_the_agency_and_class_the_month_was_computed_with(app, client, create_tenant, create_user,
                                                                       login):
    """Trial of 2 Dec 2026: the demo's officer (record JF-AHLI, placed as ADMINISTRATOR by the
    position the organisation says they hold) read "DLH · JF-AHLI" above a ceiling of ADMINISTRATOR's:
    the heading showed the record as it is now, not the month's placement."""
    tenant, _, andi = setup(app, create_tenant, create_user)
    with app.app_context():  # the record changes after the month was computed (not run again)
        import_employees(tenant, "test", employees_csv((NIPS[0], "Andi Baso", "DLH", "PELAKSANA", andi)))
        db.session.commit()
    login(english(client), andi, tenant)
    html = client.get(f"/t/{tenant.slug}/{MODULE}/?month=2026-03").get_data(as_text=True)
    assert "Andi Baso · DLH · JF-AHLI" in html and "Rp 10,000,000" in html  # JF-AHLI's ceiling, as computed
    assert "PELAKSANA" not in html
