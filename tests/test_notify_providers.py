"""The outbox's real providers, against servers started by the test on the loopback address."""
import pytest

from core.extensions import db
from core.kit import notify, tenant_scope
from core.notify import FAILED, PENDING, SENT, OutboxMessage

PHONE = "0812-3456-7890"
E164 = "+6281234567890"


def load(tenant, message_id) -> OutboxMessage:
    with tenant_scope(tenant):
        row = db.session.get(OutboxMessage, message_id, populate_existing=True)
        db.session.expunge(row)
        return row


@pytest.fixture
def gateway():
    """A tiny HTTP SMS gateway on 127.0.0.1; answers with the next status of ``gateway.statuses``."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    received, statuses = [], []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append({"path": self.path, "headers": dict(self.headers), "body": body})
            status = statuses.pop(0) if statuses else 200
            payload = json.dumps({"message_id": f"gw-{len(received)}"}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.received, server.statuses = received, statuses
    server.url = f"http://127.0.0.1:{server.server_address[1]}/send"
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def http_sms(app, monkeypatch, gateway):
    monkeypatch.setitem(app.config, "PAMONG_SMS_PROVIDER", "http")
    monkeypatch.setitem(app.config, "PAMONG_SMS_HTTP_URL", gateway.url)
    monkeypatch.setitem(app.config, "PAMONG_SMS_HTTP_TOKEN", "gw-secret")
    monkeypatch.setitem(app.config, "PAMONG_SMS_HTTP_TEMPLATE",
                        '{"msisdn": "{to}", "text": "{body}", "client_ref": "{ref}", "opts": ["{id}"]}')
    return gateway


def test_http_gateway_gets_the_templated_json(app_ctx, create_tenant, http_sms):
    import json

    tenant = create_tenant()
    message_id = notify(tenant, "sms", PHONE, 'Kode {body} "kutip"', ref="complaints:9").id
    db.session.commit()
    (request,) = http_sms.received
    assert request["path"] == "/send"
    assert request["headers"]["Authorization"] == "Bearer gw-secret"
    assert json.loads(request["body"]) == {
        "msisdn": E164, "text": 'Kode {body} "kutip"', "client_ref": "complaints:9", "opts": [str(message_id)],
    }
    row = load(tenant, message_id)
    assert (row.status, row.provider, row.provider_ref) == (SENT, "http", "gw-1")


def test_http_gateway_as_a_form(app_ctx, create_tenant, http_sms, monkeypatch):
    from urllib.parse import parse_qs

    monkeypatch.setitem(app_ctx.config, "PAMONG_SMS_HTTP_FORMAT", "form")
    monkeypatch.setitem(app_ctx.config, "PAMONG_SMS_HTTP_TEMPLATE", '{"to": "{to}", "msg": "{body}"}')
    tenant = create_tenant()
    notify(tenant, "sms", PHONE, "Halo & selamat")
    db.session.commit()
    (request,) = http_sms.received
    assert parse_qs(request["body"].decode()) == {"to": [E164], "msg": ["Halo & selamat"]}


def test_http_gateway_errors_retry_or_fail(app_ctx, create_tenant, http_sms):
    tenant = create_tenant()
    http_sms.statuses[:] = [503, 400]
    retried = notify(tenant, "sms", PHONE, "Server sibuk").id
    db.session.commit()
    refused = notify(tenant, "sms", PHONE, "Ditolak").id
    db.session.commit()
    first, second = load(tenant, retried), load(tenant, refused)
    assert (first.status, first.last_error) == (PENDING, "gateway answered HTTP 503")
    assert (second.status, second.last_error) == (FAILED, "gateway answered HTTP 400")


@pytest.fixture
def smtp_server():
    """An aiosmtpd server on 127.0.0.1 that keeps what it receives; refuses recipients at nope.test."""
    import socket

    from aiosmtpd.controller import Controller

    class Handler:
        def __init__(self):
            self.envelopes = []

        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            if address.endswith("@nope.test"):
                return "550 no such user"
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):
            self.envelopes.append(envelope)
            return "250 Message accepted"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Handler()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    handler.url = f"smtp://127.0.0.1:{port}"
    yield handler
    controller.stop()


def test_smtp_delivers_the_mail(app_ctx, create_tenant, smtp_server, monkeypatch):
    from email import message_from_bytes

    monkeypatch.setitem(app_ctx.config, "PAMONG_EMAIL_PROVIDER", "smtp")
    monkeypatch.setitem(app_ctx.config, "PAMONG_SMTP_URL", smtp_server.url)
    monkeypatch.setitem(app_ctx.config, "PAMONG_MAIL_FROM", "layanan@kota.test")
    tenant = create_tenant()
    ok = notify(tenant, "email", "warga@kota.test", "Aduan Anda diterima.", subject="Aduan 2026/5").id
    refused = notify(tenant, "email", "siapa@nope.test", "Tidak sampai").id
    db.session.commit()
    (envelope,) = smtp_server.envelopes
    mail = message_from_bytes(envelope.content)
    assert envelope.mail_from == "layanan@kota.test" and envelope.rcpt_tos == ["warga@kota.test"]
    assert mail["Subject"] == "Aduan 2026/5" and mail.get_payload().strip() == "Aduan Anda diterima."
    row = load(tenant, ok)
    assert (row.status, row.provider, row.provider_ref) == (SENT, "smtp", mail["Message-ID"])
    dead = load(tenant, refused)
    assert (dead.status, dead.last_error) == (FAILED, "the mail server refused the recipient")
