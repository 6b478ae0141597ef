"""Inbound SMS are kept as the gateway sent them before anything can fail (issue 10 item 7): a
body that cannot be read is kept (rejected, with the reason), a processing failure is kept (failed,
with the error) and ``pamong sms reprocess`` processes it again once the cause is fixed."""
import json
import time

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo

from cli import cli
from core.extensions import db
from core.kit import tenant_scope
from core.sms import InboundSms, sign
from core.sms import service as sms_service
from core.sms.service import decode_payload

from .test_sms import E164, SENDER, SmsDemo, replies, sms_modules, sms_tenant  # noqa: F401 (fixtures)


def rows(app, tenant):
    with app.app_context(), tenant_scope(tenant):
        return [(s.id, s.status, s.error, s.text, s.payload)
                for s in db.session.execute(db.select(InboundSms).order_by(InboundSms.id)).scalars()]


def signed(client, tenant, body: bytes, ctype="application/json"):
    ts = str(int(time.time()))
    return client.post(f"/t/{tenant.slug}/sms/inbound", data=body, content_type=ctype,
                       headers={"X-Pamong-Timestamp": ts, "X-Pamong-Signature": sign(f"secret-of-{tenant.slug}", ts, body)})


@pytest.fixture
def run(app):
    runner = CliRunner()
    info = ScriptInfo(create_app=lambda: app)
    return lambda *args: runner.invoke(cli, list(args), obj=info)


@pytest.mark.parametrize("body, code", [
    (b"[" * 30_000 + b"]" * 30_000, "json_too_deep"),
    (b'{"from": "081234567891", "text": "LAPOR \xff\xfe"}', "invalid_encoding"),
    (b'{"from": "081234567891", "text": NaN}', "invalid_json"),
    (b"[1, 2]", "bad_request"),
])
def test_an_unreadable_body_is_400_and_kept_as_it_came(app, client, sms_tenant, body, code):
    response = signed(client, sms_tenant, body)
    assert response.status_code == 400 and response.get_json()["error"]["code"] == code
    ((_id, status, error, _text, payload),) = rows(app, sms_tenant)
    assert status == "rejected" and error
    assert decode_payload(payload) == (body, "application/json")  # byte for byte
    assert SmsDemo.calls == [] and replies(sms_tenant) == []


def test_half_an_emoji_is_replaced_and_the_message_handled(app, client, sms_tenant):
    body = b'{"from": "081234567891", "text": "LAPOR lampu mati \\ud83d di Jl. Nuri\\u0000"}'
    response = signed(client, sms_tenant, body)
    assert response.status_code == 200 and response.get_json()["status"] == "handled"
    assert SmsDemo.calls == [(sms_tenant.slug, E164, "LAPOR lampu mati \ufffd di Jl. Nuri")]
    assert rows(app, sms_tenant)[0][3] == "LAPOR lampu mati \ufffd di Jl. Nuri"


def test_a_failure_while_processing_keeps_the_message_for_reprocessing(app, client, sms_tenant, monkeypatch, run):
    def broken(tenant):
        raise RuntimeError("database went away")

    body, ts = json.dumps({"from": SENDER, "text": "LAPOR jalan rusak"}).encode(), str(int(time.time()))
    headers = {"X-Pamong-Timestamp": ts, "X-Pamong-Signature": sign(f"secret-of-{sms_tenant.slug}", ts, body)}
    url = f"/t/{sms_tenant.slug}/sms/inbound"
    with monkeypatch.context() as patch:  # a failure after the message was stored
        patch.setattr(sms_service, "keyword_handlers", broken)
        response = client.post(url, data=body, content_type="application/json", headers=headers)
    assert response.status_code == 202 and response.get_json()["status"] == "failed"
    ((sms_id, status, error, _text, payload),) = rows(app, sms_tenant)
    assert status == "failed" and "database went away" in error and payload
    assert SmsDemo.calls == [] and replies(sms_tenant) == []
    # the gateway resends the same request: a replay, answered from the stored row, not processed twice
    again = client.post(url, data=body, content_type="application/json", headers=headers)
    assert again.status_code == 200 and again.get_json() == {"id": sms_id, "status": "failed", "keyword": "",
                                                             "duplicate": True}
    assert SmsDemo.calls == [] and len(rows(app, sms_tenant)) == 1
    # the cause is fixed: process it again
    result = run("sms", "reprocess", sms_tenant.slug)
    assert result.exit_code == 0, result.output
    assert "1 handled" in result.output
    ((same_id, status, error, text, _payload),) = rows(app, sms_tenant)
    assert (same_id, status, error, text) == (sms_id, "handled", None, "LAPOR jalan rusak")
    assert SmsDemo.calls == [(sms_tenant.slug, E164, "LAPOR jalan rusak")]
    assert [to for to, _ in replies(sms_tenant)] == [E164]
    again = run("sms", "reprocess", sms_tenant.slug)
    assert again.exit_code == 0 and "nothing to do" in again.output  # handled ones are not redone


def test_a_module_crash_is_recorded_and_can_be_reprocessed(app, client, sms_tenant, run):
    response = signed(client, sms_tenant, json.dumps({"from": SENDER, "text": "RUSAK sekarang"}).encode())
    assert response.get_json()["status"] == "error"
    ((sms_id, status, error, _text, _payload),) = rows(app, sms_tenant)
    assert status == "error" and "smsdemo: RuntimeError: bug in a module" == error
    result = run("sms", "reprocess", sms_tenant.slug, "--id", str(sms_id))
    assert result.exit_code == 0 and "1 error" in result.output  # still broken: still kept


def test_reprocess_refuses_an_unknown_id_and_tenant(run, sms_tenant):
    result = run("sms", "reprocess", sms_tenant.slug, "--id", "999999")
    assert result.exit_code == 2 and "--id: 999999" in result.output
    assert run("sms", "reprocess", "nosuchtenant").exit_code == 2


def test_a_form_body_is_kept_and_cleaned(app, client, sms_tenant):
    response = signed(client, sms_tenant, b"from=081234567891&text=LAPOR+x%00y%EF%BF%BF+z",
                      ctype="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert rows(app, sms_tenant)[0][3] == "LAPOR xy z"
    assert json.loads(rows(app, sms_tenant)[0][4])["content_type"] == "application/x-www-form-urlencoded"
