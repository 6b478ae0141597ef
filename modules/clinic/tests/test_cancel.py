"""The patient cancels their own booking (brief cl, issue 17 review): on the status page and by SMS
``BATAL <code>``. Before, only Mobile JKN could: a patient who booked by SMS and could not come held
up the queue until the desk called, waited and marked them absent."""
import re

import pytest

from core.kit import db, tenant_scope

from ..models import Visit
from .fixtures import NIK_A, NIK_B, SETTINGS, booked
from .test_pages import csrf, url
from .test_sms import replies, send


@pytest.fixture
def tenant(app, create_tenant, frozen_clock, monkeypatch):
    with app.app_context():
        tenant = create_tenant(modules={"clinic": SETTINGS}, locales=["id", "en"])
    monkeypatch.setenv("PAMONG_SMS_SECRET_" + re.sub(r"[^A-Z0-9]", "_", tenant.slug.upper()), "sms-secret")
    return tenant


def statuses(app, tenant):
    with app.app_context(), tenant_scope(tenant):
        return {v.number: v.status for v in db.session.query(Visit)}


def test_the_patient_cancels_on_the_status_page_and_the_next_moves_up(app, client, tenant, audit_entries):
    with app.app_context():
        first, _ = booked(tenant, nik=NIK_A, jkn=True)
        second, _ = booked(tenant, nik=NIK_B, jkn=True)
    page = client.get(url(tenant, f"status?code={first.booking_code}")).get_data(as_text=True)
    assert f"status/cancel?code={first.booking_code}" in page
    confirm = client.get(url(tenant, f"status/cancel?code={first.booking_code}"))
    assert confirm.status_code == 200 and "A-001" in confirm.get_data(as_text=True)
    assert statuses(app, tenant) == {"A-001": "booked", "A-002": "booked"}  # asking changes nothing
    done = client.post(url(tenant, "status/cancel"), data={"csrf_token": csrf(confirm.get_data(as_text=True)),
                                                           "code": first.booking_code}, follow_redirects=True)
    assert "Pendaftaran A-001 dibatalkan" in done.get_data(as_text=True)
    assert statuses(app, tenant) == {"A-001": "cancelled", "A-002": "booked"}
    ahead = client.get(url(tenant, f"status?code={second.booking_code}")).get_data(as_text=True)
    assert re.search(r"Pasien sebelum Anda</dt><dd>0</dd>", ahead)
    with app.app_context():
        [entry] = audit_entries(tenant, "clinic.visit.cancel")
        assert entry["object_id"] == str(first.id) and "portal" in str(entry["summary"])


def test_an_unknown_code_or_a_called_number_cannot_be_cancelled(app, client, tenant):
    from .. import queue

    with app.app_context():
        visit, _ = booked(tenant, nik=NIK_A)
        with tenant_scope(tenant):
            queue.call_next(tenant, None, "PKM-A", "UMUM")
            db.session.commit()
    assert client.get(url(tenant, "status/cancel?code=NOPE234567")).status_code == 404
    page = client.get(url(tenant, f"status?code={visit.booking_code}")).get_data(as_text=True)
    assert "status/cancel" not in page
    late = client.post(url(tenant, "status/cancel"), data={"code": visit.booking_code}, follow_redirects=True)
    assert "tidak dapat dibatalkan lagi" in late.get_data(as_text=True)
    assert statuses(app, tenant) == {"A-001": "called"}


def test_batal_by_sms_cancels_the_booking(app, client, tenant, frozen_clock, outbox):
    send(client, tenant, frozen_clock, f"DAFTAR PKM-A UMUM 02-03-2026 {NIK_A}")
    with app.app_context(), tenant_scope(tenant):
        code = db.session.query(Visit).one().booking_code
    frozen_clock.advance(seconds=5)
    send(client, tenant, frozen_clock, f"batal {code.lower()}")
    assert replies(app, tenant, outbox)[-1] == f"Pendaftaran {code} (antrean A-001, 02-03-2026) dibatalkan."
    assert statuses(app, tenant) == {"A-001": "cancelled"}
    frozen_clock.advance(seconds=5)
    send(client, tenant, frozen_clock, "BATAL XXXXXXXXXX")
    assert replies(app, tenant, outbox)[-1] == "Tidak ada pendaftaran dengan kode itu."
