"""Intake by SMS (through the core's inbound webhook) and by the signed chat-gateway webhook."""
import json
import time

import pytest

from core.kit import db, sign_webhook, tenant_scope
from modules.complaints.models import Complaint

from .conftest import outbox

SENDER = "081234567891"


@pytest.fixture
def sms_tenant(tenant, monkeypatch):
    from core.sms.service import secret_setting

    monkeypatch.setenv(secret_setting(tenant.slug), "sms-secret")
    return tenant


def send_sms(client, tenant, text):
    body = json.dumps({"from": SENDER, "text": text}).encode()
    ts = str(int(time.time()))
    return client.post(f"/t/{tenant.slug}/sms/inbound", data=body, content_type="application/json",
                       headers={"X-Pamong-Timestamp": ts, "X-Pamong-Signature": sign_webhook("sms-secret", ts, body)})


def complaints(app, tenant):
    with app.app_context(), tenant_scope(tenant):
        return db.session.execute(db.select(Complaint).order_by(Complaint.id)).scalars().all()


def sms_replies(app, tenant):
    with app.app_context():
        return [body for channel, to, body in outbox(tenant) if channel == "sms" and to == "+6281234567891"]


def test_lapor_files_a_complaint_and_replies_with_the_number(app, client, sms_tenant):
    response = send_sms(client, sms_tenant, "LAPOR jalan Lubang besar di Jl. Veteran depan SD")
    assert response.status_code == 200 and response.get_json()["status"] == "handled"
    (complaint,) = complaints(app, sms_tenant)
    assert complaint.channel == "sms" and complaint.category_code == "JALAN"
    assert complaint.description == "Lubang besar di Jl. Veteran depan SD"
    (reply,) = sms_replies(app, sms_tenant)  # one message: the reply, not a second notice
    assert complaint.number in reply
    with app.app_context(), tenant_scope(sms_tenant):
        again = db.session.get(Complaint, complaint.id)
        assert again.filer_phone == "+6281234567891" and again.notify_by == "sms"


def test_without_a_category_word_the_default_category_is_used(app, client, sms_tenant):
    send_sms(client, sms_tenant, "lapor tumpukan sampah di pasar sentral")
    (complaint,) = complaints(app, sms_tenant)
    assert complaint.category_code == "SAMPAH" and complaint.description == "tumpukan sampah di pasar sentral"


def test_an_empty_or_short_report_gets_a_usage_reply_and_saves_nothing(app, client, sms_tenant):
    send_sms(client, sms_tenant, "LAPOR")
    send_sms(client, sms_tenant, "LAPOR sampah ok")
    assert complaints(app, sms_tenant) == []
    usage, short = sms_replies(app, sms_tenant)
    assert "LAPOR" in usage and "SAMPAH" in usage and "JALAN" in usage
    assert "LAPOR" in short


def test_an_unknown_keyword_gets_the_list_of_keywords(app, client, sms_tenant):
    send_sms(client, sms_tenant, "HALO apa kabar")
    assert complaints(app, sms_tenant) == []
    (reply,) = sms_replies(app, sms_tenant)
    assert "LAPOR" in reply


# -- the chat gateway ------------------------------------------------------------------------------

MESSAGE = {"message_id": "wa-0001", "channel": "whatsapp", "text": "Sampah belum diangkut seminggu 😡",
           "sender": {"name": "Rani", "phone": "081234567892"},
           "location": {"lat": -5.15, "long": 119.41, "address": "Jl. Nuri", "village": "PNK-PNK"}}


def chat(client, tenant, payload, secret="chat-secret", ts=None, raw=None, signature=None):
    body = raw if raw is not None else json.dumps(payload).encode()
    ts = str(ts if ts is not None else int(time.time()))
    return client.post(f"/t/{tenant.slug}/api/v1/complaints/webhook/social", data=body,
                       content_type="application/json",
                       headers={"X-Pamong-Timestamp": ts,
                                "X-Pamong-Signature": signature or sign_webhook(secret, ts, body)})


def test_a_signed_message_becomes_a_complaint(app, client, tenant):
    response = chat(client, tenant, MESSAGE)
    assert response.status_code == 201, response.get_json()
    (complaint,) = complaints(app, tenant)
    assert complaint.channel == "social" and complaint.source_ref == "wa-0001"
    assert complaint.category_code == "SAMPAH" and complaint.description.endswith("😡")
    assert response.get_json()["number"] == complaint.number
    with app.app_context():
        assert [c for c, to, _ in outbox(tenant)] == ["sms"]  # the filer is told by SMS


@pytest.mark.parametrize("kind", ["forged", "wrong_secret", "stale", "unsigned", "replay"])
def test_forged_stale_and_replayed_messages_are_refused(app, client, tenant, kind):
    if kind == "forged":
        body = json.dumps(MESSAGE).encode()
        ts = str(int(time.time()))
        good = sign_webhook("chat-secret", ts, body)
        tampered = body.replace(b"Sampah", b"Banjir")
        response = chat(client, tenant, None, raw=tampered, ts=ts, signature=good)
        expected = (401, "bad_signature")
    elif kind == "wrong_secret":
        response, expected = chat(client, tenant, MESSAGE, secret="guess"), (401, "bad_signature")
    elif kind == "stale":
        response, expected = chat(client, tenant, MESSAGE, ts=int(time.time()) - 3600), (401, "stale_timestamp")
    elif kind == "unsigned":
        response = client.post(f"/t/{tenant.slug}/api/v1/complaints/webhook/social", json=MESSAGE)
        expected = (401, "missing_signature")
    else:
        assert chat(client, tenant, MESSAGE).status_code == 201
        response, expected = chat(client, tenant, MESSAGE), (409, "replayed")
    assert (response.status_code, response.get_json()["error"]["code"]) == expected
    assert len(complaints(app, tenant)) == (1 if kind == "replay" else 0)


@pytest.mark.parametrize("raw, code", [
    (b"{not json", "invalid_json"),
    (b"[1, 2]", "invalid_json"),
    (json.dumps({**MESSAGE, "message_id": ""}).encode(), "required"),
    (json.dumps({**MESSAGE, "category": "NOPE"}).encode(), "unknown_category"),
    (json.dumps({**MESSAGE, "location": {"lat": 100, "long": 1}}).encode(), "invalid_coordinate"),
    (json.dumps({**MESSAGE, "sender": "Rani"}).encode(), "invalid_field"),
])
def test_bad_messages_get_json_errors(app, client, tenant, raw, code):
    response = chat(client, tenant, None, raw=raw)
    assert response.status_code == 400 and response.get_json()["error"]["code"] == code
    assert complaints(app, tenant) == []


def test_a_tenant_without_a_secret_has_no_webhook(client, make_tenant):
    from .conftest import SETTINGS

    tenant = make_tenant(settings={**SETTINGS, "webhook_secret": ""})
    response = chat(client, tenant, MESSAGE, secret="")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "webhook_disabled"


def test_the_secret_can_come_from_the_environment(app, client, make_tenant, monkeypatch):
    from core.testing import unique

    from .conftest import SETTINGS

    slug = unique("env")
    monkeypatch.setenv(f"PAMONG_SECRET_{slug.upper()}__CHAT_SECRET_TEST", "from-env")  # the tenant's namespace
    tenant = make_tenant(slug=slug, settings={**SETTINGS, "webhook_secret": "env:CHAT_SECRET_TEST"})
    assert chat(client, tenant, MESSAGE, secret="from-env").status_code == 201


def test_replies_and_notices_speak_the_tenants_language(app, client, sms_tenant, make_tenant):
    send_sms(client, sms_tenant, "LAPOR sampah menumpuk di pasar sentral")
    (reply,) = sms_replies(app, sms_tenant)
    assert reply.startswith("Pengaduan diterima:")  # the tenant's first locale is Indonesian
    english = make_tenant(locales=["en", "id"])
    response = chat(client, english, MESSAGE)
    assert response.status_code == 201
    with app.app_context():
        ((_, _, body),) = outbox(english)
    assert body.startswith("Your complaint has been received")
    page = client.get(f"/t/{sms_tenant.slug}/complaints/new").get_data(as_text=True)
    assert "Buat pengaduan" in page and "Kirim pengaduan" in page
