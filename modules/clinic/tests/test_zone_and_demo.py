"""What the new-user trial found (brief cl): the SMS reply wrote "08:00" without the zone, and the
demo gave the clinics no SMS number to show. Times are written as the core writes them, with the
tenant's zone, in the reply's language; the demo seeds a number and the portal shows it."""
import re

from core.kit import db, tenant_scope

from .. import demo
from ..models import Visit
from .fixtures import NIK_A, SETTINGS
from .test_demo import makassar_settings
from .test_sms import replies, send


def _sms_tenant(app, create_tenant, monkeypatch, **fields):
    with app.app_context():
        tenant = create_tenant(modules={"clinic": SETTINGS}, **fields)
    monkeypatch.setenv("PAMONG_SMS_SECRET_" + re.sub(r"[^A-Z0-9]", "_", tenant.slug.upper()), "sms-secret")
    return tenant


def test_an_english_tenants_sms_reply_writes_the_time_with_its_zone(app, client, create_tenant, frozen_clock,
                                                                     outbox, monkeypatch):
    tenant = _sms_tenant(app, create_tenant, monkeypatch, locales=["en", "id"])
    send(client, tenant, frozen_clock, f"DAFTAR PKM-A UMUM 02-03-2026 {NIK_A}")
    [reply] = replies(app, tenant, outbox)
    assert reply.startswith("Queue A-001, Poli Umum Puskesmas Satu, 02-03-2026, estimated 09:00 WITA.")


def test_another_zone_is_named_as_its_own(app, client, create_tenant, frozen_clock, outbox, monkeypatch):
    tenant = _sms_tenant(app, create_tenant, monkeypatch, timezone="Asia/Jayapura")
    send(client, tenant, frozen_clock, f"DAFTAR PKM-A UMUM 02-03-2026 {NIK_A}")
    [reply] = replies(app, tenant, outbox)
    assert "perkiraan 10.00 WIT." in reply  # 01:00 UTC is 10:00 in Jayapura, the session open since 08:00


def test_the_status_page_gives_the_estimate_with_its_zone(app, client, create_tenant, frozen_clock):
    with app.app_context():
        tenant = create_tenant(modules={"clinic": SETTINGS}, locales=["id", "en"])
    response = client.post(f"/t/{tenant.slug}/clinic/register", data={
        "place": "PKM-A/UMUM", "day": "2026-03-02", "nik": NIK_A, "name": "Andi"})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert re.search(r"<dd>09\.00 WITA</dd>", page)


def test_the_demo_seeds_an_sms_number_and_the_portal_shows_it(app, client, create_tenant, create_user,
                                                              frozen_clock):
    with app.app_context():
        tenant = create_tenant(modules={"clinic": makassar_settings()})
        demo.seed(tenant)
    page = client.get(f"/t/{tenant.slug}/clinic/").get_data(as_text=True)
    assert f"Kirim ke {demo.DEMO_SMS_NUMBER}." in page
    with app.app_context():
        demo.seed(tenant)  # again (each demo start): the number stays, no second queue
        with tenant_scope(tenant):
            assert db.session.query(Visit).count() == demo.PER_POLI * 5


def test_a_number_of_the_tenants_own_is_kept(app, client, create_tenant, frozen_clock):
    with app.app_context():
        tenant = create_tenant(modules={"clinic": {**makassar_settings(), "sms_number": "0811 4400 123"}})
        demo.seed(tenant)
    page = client.get(f"/t/{tenant.slug}/clinic/").get_data(as_text=True)
    assert "Kirim ke 0811 4400 123." in page and demo.DEMO_SMS_NUMBER not in page


def test_no_number_for_today_once_the_polis_sessions_have_ended(app, client, create_tenant, frozen_clock, outbox,
                                                                monkeypatch):
    """An SMS at 12:30 for today's Poli Umum (08:00-12:00) got a number and "estimated 12:30": the
    patient came to a shut door. Now refused (tomorrow is fine); the desk may still add a walk-in."""
    from ..registration import Request, book
    from .fixtures import MONDAY

    tenant = _sms_tenant(app, create_tenant, monkeypatch)
    frozen_clock.advance(hours=3, minutes=30)  # 12:30 WITA
    send(client, tenant, frozen_clock, f"DAFTAR PKM-A UMUM 02-03-2026 {NIK_A}")
    assert replies(app, tenant, outbox)[-1] == ("Pendaftaran gagal: Sesi poli ini hari ini sudah berakhir; "
                                                "pilih hari lain.")
    with app.app_context(), tenant_scope(tenant):
        assert db.session.query(Visit).count() == 0
        visit, _ = book(tenant, None, Request(clinic="PKM-A", poli="UMUM", day=MONDAY, nik=NIK_A, channel="desk"))
        assert visit.number == "A-001"
        db.session.rollback()
    frozen_clock.advance(seconds=5)
    send(client, tenant, frozen_clock, f"DAFTAR PKM-A UMUM 03-03-2026 {NIK_A}")
    assert replies(app, tenant, outbox)[-1].startswith("Antrean A-001")


def test_a_demo_started_in_the_afternoon_still_shows_todays_queue(app, create_tenant, create_user, frozen_clock):
    """The sessions end at 12:00; the demo's bookings are made early in the morning, so that a demo
    started at 15:00 WITA shows today's queue in progress, not tomorrow's bookings only."""
    from .fixtures import MONDAY

    frozen_clock.advance(hours=6)  # 15:00 WITA
    with app.app_context():
        tenant = create_tenant(modules={"clinic": makassar_settings()})
        create_user(tenant, role="officer", agency="DLH", email="officer@makassar.test")
        assert demo.seed(tenant) == demo.PER_POLI * 5
        with tenant_scope(tenant):
            rows = db.session.query(Visit).filter(Visit.clinic == "PKM-KASSI", Visit.poli == "UMUM") \
                .order_by(Visit.serial).all()
            assert {v.day for v in rows} == {MONDAY}
            assert [v.status for v in rows][:4] == ["done", "done", "done", "called"]


def test_after_the_sessions_a_patient_with_a_booking_still_gets_it(app, client, create_tenant, frozen_clock, outbox,
                                                                   monkeypatch):
    """At 12:10 the queue is still served: a patient who asks again is given their number, not told
    that today's sessions have ended."""
    tenant = _sms_tenant(app, create_tenant, monkeypatch)
    send(client, tenant, frozen_clock, f"DAFTAR PKM-A UMUM 02-03-2026 {NIK_A}")
    frozen_clock.advance(hours=3, minutes=10)  # 12:10 WITA
    send(client, tenant, frozen_clock, f"DAFTAR PKM-A UMUM 02-03-2026 {NIK_A}")
    assert replies(app, tenant, outbox)[-1].startswith("Sudah terdaftar. Antrean A-001")
