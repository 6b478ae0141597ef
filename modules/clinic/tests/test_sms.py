"""Registration by SMS end to end: the gateway posts to the core's signed inbound webhook, the core
routes ``DAFTAR`` to this module, and the reply (number, estimate, booking code) goes to the outbox."""
import json
import re

import pytest

from core.kit import db, sign_webhook, tenant_scope

from ..models import Visit
from .fixtures import NIK_A, SETTINGS

SENDER, E164 = "081234567891", "+6281234567891"


@pytest.fixture
def tenant(app, create_tenant, frozen_clock, monkeypatch):
    with app.app_context():
        tenant = create_tenant(modules={"clinic": SETTINGS})
    monkeypatch.setenv("PAMONG_SMS_SECRET_" + re.sub(r"[^A-Z0-9]", "_", tenant.slug.upper()), "sms-secret")
    return tenant


def send(client, tenant, frozen_clock, text, sender=SENDER):
    body = json.dumps({"from": sender, "text": text}).encode()
    ts = str(int(frozen_clock.now.timestamp()))
    response = client.post(f"/t/{tenant.slug}/sms/inbound", data=body, content_type="application/json",
                           headers={"X-Pamong-Timestamp": ts, "X-Pamong-Signature": sign_webhook("sms-secret", ts, body)})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def replies(app, tenant, outbox, to=E164):
    with app.app_context():
        return [m["body"] for m in outbox(tenant, "sms") if m["recipient"] == to]


def test_daftar_books_and_replies_with_number_estimate_and_code(app, client, tenant, frozen_clock, outbox):
    assert send(client, tenant, frozen_clock, f"daftar pkm-a umum 02-03-2026 {NIK_A}")["status"] == "handled"
    [reply] = replies(app, tenant, outbox)
    with app.app_context(), tenant_scope(tenant):
        visit = db.session.query(Visit).one()
        assert (visit.number, visit.channel, visit.clinic) == ("A-001", "sms", "PKM-A")
        code = visit.booking_code
    # Monday 09:00 WITA, the session opened at 08:00: the first patient is expected now
    assert reply.startswith("Antrean A-001, Poli Umum Puskesmas Satu, 02-03-2026, perkiraan 09.00 WITA.")  # the zone, as the core writes times
    assert f"Kode booking {code}" in reply and f"/clinic/status?code={code}" in reply


def test_the_same_sms_again_returns_the_first_booking(app, client, tenant, frozen_clock, outbox):
    send(client, tenant, frozen_clock, f"DAFTAR PKM-A UMUM 02-03-2026 {NIK_A}")
    frozen_clock.advance(seconds=5)
    send(client, tenant, frozen_clock, f"DAFTAR PKM-A UMUM 2026-03-02 {NIK_A}")
    first, second = replies(app, tenant, outbox)
    assert second.startswith("Sudah terdaftar.") and "A-001" in second
    with app.app_context(), tenant_scope(tenant):
        assert db.session.query(Visit).count() == 1


def test_another_clinic_is_named_before_the_poli(app, client, tenant, frozen_clock, outbox):
    send(client, tenant, frozen_clock, f"DAFTAR PKM-B UMUM 02-03-2026 {NIK_A}")
    assert "Puskesmas Dua" in replies(app, tenant, outbox)[0]


@pytest.mark.parametrize("text, expected", [
    ("DAFTAR", "Untuk mendaftar kirim: DAFTAR <puskesmas> <poli> <tanggal DD-MM-YYYY> <NIK atau nomor BPJS> [nama]. "
               "Puskesmas: PKM-A, PKM-B"),
    (f"DAFTAR PKM-A MATA 02-03-2026 {NIK_A}", "Pendaftaran gagal: Poli MATA tidak dikenal."),
    (f"DAFTAR PKM-A UMUM 01-03-2026 {NIK_A}", "Pendaftaran gagal: Tanggal itu sudah lewat."),
    (f"DAFTAR PKM-A UMUM 04-03-2026 {NIK_A}", "Pendaftaran gagal: Poli tutup pada hari itu."),
    (f"DAFTAR PKM-A UMUM 31-02-2026 {NIK_A}", "31-02-2026 bukan tanggal (DD-MM-YYYY)."),
    ("DAFTAR PKM-A UMUM 02-03-2026 12345", "NIK atau nomor BPJS tidak sah:"),
    # several clinics: the clinic must be named, and an unknown code is said as such (issue 17, trial)
    (f"DAFTAR UMUM 02-03-2026 {NIK_A}", "Sebutkan puskesmasnya: DAFTAR <puskesmas> <poli> <tanggal DD-MM-YYYY> "
                                        "<NIK atau nomor BPJS>. Puskesmas: PKM-A, PKM-B"),
    (f"DAFTAR PKM-Z UMUM 02-03-2026 {NIK_A}", "Kode puskesmas PKM-Z tidak dikenal. Kirim: DAFTAR <puskesmas> <poli> "
                                              "<tanggal DD-MM-YYYY> <NIK atau nomor BPJS>. Puskesmas: PKM-A, PKM-B"),
])
def test_bad_messages_get_one_line_saying_what_is_wrong(app, client, tenant, frozen_clock, outbox, text, expected):
    send(client, tenant, frozen_clock, text)
    [reply] = replies(app, tenant, outbox)
    assert reply.startswith(expected)
    with app.app_context(), tenant_scope(tenant):
        assert db.session.query(Visit).count() == 0


def test_an_unknown_poli_is_answered_with_the_clinics_polis(app, client, tenant, frozen_clock, outbox):
    send(client, tenant, frozen_clock, f"DAFTAR PKM-A MATA 02-03-2026 {NIK_A}")
    assert replies(app, tenant, outbox) == ["Pendaftaran gagal: Poli MATA tidak dikenal. Poli: UMUM, GIGI"]


def test_a_full_quota_is_answered(app, client, tenant, frozen_clock, outbox):
    niks = ["7371014101900002", "7371014101900003", "7371014101900004"]
    for nik in niks:  # the non-JKN quota of the session is 2
        send(client, tenant, frozen_clock, f"DAFTAR PKM-A UMUM 02-03-2026 {nik}")
        frozen_clock.advance(seconds=1)
    assert replies(app, tenant, outbox)[-1] == "Pendaftaran gagal: Kuota hari itu sudah penuh."


def test_the_keyword_is_offered_only_where_the_settings_turn_it_on(app, client, create_tenant, frozen_clock,
                                                                   outbox, monkeypatch):
    with app.app_context():
        off = create_tenant(modules={"clinic": {**SETTINGS, "sms_registration": False}})
    monkeypatch.setenv("PAMONG_SMS_SECRET_" + re.sub(r"[^A-Z0-9]", "_", off.slug.upper()), "sms-secret")
    assert send(client, off, frozen_clock, f"DAFTAR PKM-A UMUM 02-03-2026 {NIK_A}")["status"] == "unknown"


def test_one_clinic_needs_no_code(app, client, create_tenant, frozen_clock, outbox, monkeypatch):
    with app.app_context():
        single = create_tenant(modules={"clinic": {"clinics": [SETTINGS["clinics"][1]]}})
    monkeypatch.setenv("PAMONG_SMS_SECRET_" + re.sub(r"[^A-Z0-9]", "_", single.slug.upper()), "sms-secret")
    send(client, single, frozen_clock, f"DAFTAR UMUM 02-03-2026 {NIK_A}")
    assert "Puskesmas Dua" in replies(app, single, outbox)[0]


def test_a_repeat_from_another_phone_is_not_told_the_booking_code(app, client, tenant, frozen_clock, outbox):
    """Issue 17 (trial): whoever knows a NIK got the booking code by sending DAFTAR again."""
    send(client, tenant, frozen_clock, f"DAFTAR PKM-A UMUM 02-03-2026 {NIK_A}")
    frozen_clock.advance(seconds=5)
    send(client, tenant, frozen_clock, f"DAFTAR PKM-A UMUM 02-03-2026 {NIK_A}", sender="081298765432")
    with app.app_context(), tenant_scope(tenant):
        code = db.session.query(Visit).one().booking_code
    [other] = replies(app, tenant, outbox, to="+6281298765432")
    assert code not in other and "A-001" not in other
    assert other.startswith("NIK atau nomor BPJS ini sudah punya pendaftaran")
    frozen_clock.advance(seconds=5)  # the phone that booked still gets it
    send(client, tenant, frozen_clock, f"DAFTAR PKM-A UMUM 02-03-2026 {NIK_A}")
    assert code in replies(app, tenant, outbox)[-1]


def test_a_nik_typed_in_groups_is_read_whole(app, client, tenant, frozen_clock, outbox):
    """Brief cl (issue 17 review): "7371 0141 0190 0001" was read as the NIK "7371" and refused."""
    send(client, tenant, frozen_clock, "DAFTAR PKM-A UMUM 02-03-2026 7371 0141 0190 0001")
    assert replies(app, tenant, outbox)[0].startswith("Antrean A-001")


def test_one_clinic_reads_a_grouped_nik_without_the_clinic_code(app, client, create_tenant, frozen_clock, outbox,
                                                                 monkeypatch):
    with app.app_context():
        single = create_tenant(modules={"clinic": {"clinics": [SETTINGS["clinics"][1]]}})
    monkeypatch.setenv("PAMONG_SMS_SECRET_" + re.sub(r"[^A-Z0-9]", "_", single.slug.upper()), "sms-secret")
    send(client, single, frozen_clock, "DAFTAR UMUM 02-03-2026 7371.0141.0190.0001")
    send(client, single, frozen_clock, "DAFTAR UMUM 02-03-2026 7371 0141 0190 0002", sender="081298765432")
    first, = replies(app, single, outbox)
    second, = replies(app, single, outbox, to="+6281298765432")
    assert first.startswith("Antrean A-001") and second.startswith("Antrean A-002")


@pytest.mark.parametrize("when, day", [("hari ini", "2026-03-02"), ("HARI-INI", "2026-03-02"), ("Besok", "2026-03-03")])
def test_a_day_named_as_people_write_it_in_an_sms(app, client, tenant, frozen_clock, outbox, when, day):
    """The tenant's today on the core clock (Monday 2 March, 09:00 WITA)."""
    send(client, tenant, frozen_clock, f"DAFTAR PKM-A UMUM {when} {NIK_A}")
    [reply] = replies(app, tenant, outbox)
    with app.app_context(), tenant_scope(tenant):
        visit = db.session.query(Visit).one()
        assert visit.day.isoformat() == day and visit.number == "A-001"
    assert reply.startswith("Antrean A-001") and visit.day.strftime("%d-%m-%Y") in reply


def test_lusa_on_a_closed_day_is_refused_as_closed(app, client, tenant, frozen_clock, outbox):
    send(client, tenant, frozen_clock, f"DAFTAR PKM-A UMUM LUSA {NIK_A}")  # Wednesday 4 March: closed_days
    assert replies(app, tenant, outbox) == ["Pendaftaran gagal: Poli tutup pada hari itu."]
