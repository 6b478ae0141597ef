"""The SATUSEHAT outbox's ``http`` sink against a fake SATUSEHAT on 127.0.0.1 (no network): the
OAuth2 client-credentials token asked at the configured auth URL, cached until it nearly expires,
asked again after a 401; client ID and secret only as ``env:NAME`` references."""
import copy
import json
import logging
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from core.kit import PamongError, db, tenant_scope
from core.testing import unique

from .. import encounters, queue, satusehat_auth
from ..models import SatusehatMessage
from ..satusehat import send_pending
from .fixtures import NIK_B, SETTINGS, booked

CLIENT_ID, CLIENT_SECRET = "client-123", "s3cret-value-xyz"


class FakeSatusehat(BaseHTTPRequestHandler):
    """``/oauth2/v1/accesstoken`` hands out ``tok-1``, ``tok-2``, ...; ``/fhir-r4/v1`` takes a
    transaction Bundle with the newest token, or answers ``server.fhir_status`` once if set."""

    def log_message(self, *args):
        pass

    def _json(self, status, data):
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        """``/fhir-r4/v1/Patient?identifier=<NIK system>|<nik>``: a searchset with the IHS number
        ``server.ihs`` holds for that NIK, else an empty one; ``/fhir-r4/v1/Practitioner?...`` the
        same from ``server.practitioners`` (its searches in ``server.practitioner_searches``)."""
        server = self.server
        path, _, query = self.path.partition("?")
        kind = path.removeprefix("/fhir-r4/v1/")
        if kind not in ("Patient", "Practitioner"):
            return self._json(404, {})
        (server.searches if kind == "Patient" else server.practitioner_searches).append(urllib.parse.parse_qs(query))
        if self.headers["Authorization"] != f"Bearer tok-{server.issued}":
            return self._json(401, {"resourceType": "OperationOutcome"})
        system, _, nik = urllib.parse.parse_qs(query).get("identifier", [""])[0].partition("|")
        known = server.ihs if kind == "Patient" else server.practitioners
        ihs = known.get(nik) if system == "https://fhir.kemkes.go.id/id/nik" else None
        return self._json(200, {"resourceType": "Bundle", "type": "searchset", "total": 1 if ihs else 0,
                                "entry": [{"resource": {"resourceType": kind, "id": ihs}}] if ihs else []})

    def do_POST(self):
        server = self.server
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        path, _, query = self.path.partition("?")
        if path == "/oauth2/v1/accesstoken":
            form = urllib.parse.parse_qs(body.decode())
            server.token_requests.append({"query": query, "form": form, "type": self.headers["Content-Type"]})
            if form != {"client_id": [CLIENT_ID], "client_secret": [CLIENT_SECRET]} or server.refuse_tokens:
                return self._json(401, {"error": "invalid_client"})
            server.issued += 1
            return self._json(200, {"access_token": f"tok-{server.issued}", "expires_in": "14399",
                                    "token_type": "BearerToken"})
        if path == "/fhir-r4/v1":
            server.bundles.append({"auth": self.headers["Authorization"], "type": self.headers["Content-Type"],
                                   "body": json.loads(body)})
            if server.fhir_status:
                status, server.fhir_status = server.fhir_status, None
                return self._json(status, {"resourceType": "OperationOutcome"})
            if self.headers["Authorization"] != f"Bearer tok-{server.issued}":
                return self._json(401, {"resourceType": "OperationOutcome"})
            return self._json(200, {"resourceType": "Bundle", "type": "transaction-response"})
        return self._json(404, {})


@pytest.fixture
def fake():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeSatusehat)
    server.token_requests, server.bundles, server.issued = [], [], 0
    server.fhir_status, server.refuse_tokens = None, False
    server.searches, server.ihs = [], {"7371014101900001": "P02478375538", NIK_B: "P01234567890"}
    server.practitioner_searches, server.practitioners = [], {}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def http_settings(base):
    settings = copy.deepcopy(SETTINGS)
    settings.update(satusehat_sink="http", satusehat_url=f"{base}/fhir-r4/v1", satusehat_auth_url=f"{base}/oauth2/v1",
                    satusehat_client_id="env:SS_ID", satusehat_client_secret="env:SS_SECRET")
    return settings


def secrets_for(monkeypatch, slug):
    prefix = f"PAMONG_SECRET_{slug.upper().replace('-', '_')}__"
    monkeypatch.setenv(prefix + "SS_ID", CLIENT_ID)
    monkeypatch.setenv(prefix + "SS_SECRET", CLIENT_SECRET)


class Doctor:
    email = "dokter@pkm-a.test"


def finish_a_visit(tenant, nik):
    visit, _ = booked(tenant, nik=nik)
    with tenant_scope(tenant):
        queue.call(tenant, None, visit.id)
        queue.serve(tenant, None, visit.id)
        encounters.record(tenant, None, Doctor(), visit.id, encounters.Record(complaint="Demam", icd10="J06.9"))
        queue.finish(tenant, None, visit.id)
        db.session.commit()


@pytest.fixture
def tenant(app, create_tenant, frozen_clock, fake, monkeypatch):
    satusehat_auth._cache.clear()
    slug = unique("ss")
    secrets_for(monkeypatch, slug)
    base = f"http://127.0.0.1:{fake.server_address[1]}"
    with app.app_context():
        tenant = create_tenant(slug=slug, modules={"clinic": http_settings(base)})
        finish_a_visit(tenant, "7371014101900001")
    yield tenant
    satusehat_auth._cache.clear()


def outbox(tenant):
    with tenant_scope(tenant):
        return [(r.status, r.attempts) for r in db.session.query(SatusehatMessage).order_by(SatusehatMessage.id)]


def test_bundles_go_with_a_client_credentials_token_asked_once(app, tenant, fake):
    with app.app_context():
        assert send_pending(tenant) == (1, 0)
        finish_a_visit(tenant, NIK_B)
        assert send_pending(tenant) == (1, 0)
        assert outbox(tenant) == [("sent", 1), ("sent", 1)]
    [asked] = fake.token_requests  # the second bundle used the cached token
    assert asked == {"query": "grant_type=client_credentials", "type": "application/x-www-form-urlencoded",
                     "form": {"client_id": [CLIENT_ID], "client_secret": [CLIENT_SECRET]}}
    assert [b["auth"] for b in fake.bundles] == ["Bearer tok-1", "Bearer tok-1"]
    assert fake.bundles[0]["type"] == "application/fhir+json" and fake.bundles[0]["body"]["type"] == "transaction"


def test_the_token_is_asked_again_a_minute_before_it_expires(app, tenant, fake):
    with app.app_context():
        from ..settings import settings_of

        settings = settings_of(tenant)
        t0 = 1_000_000.0
        assert satusehat_auth.access_token(tenant, settings, now=lambda: t0) == "tok-1"
        assert satusehat_auth.access_token(tenant, settings, now=lambda: t0 + 14399 - 61) == "tok-1"
        assert satusehat_auth.access_token(tenant, settings, now=lambda: t0 + 14399 - 59) == "tok-2"
    assert len(fake.token_requests) == 2


def test_a_401_from_satusehat_drops_the_token_and_the_send_asks_again_at_once(app, tenant, fake):
    with app.app_context():
        fake.fhir_status = 401
        assert send_pending(tenant) == (1, 0)  # tried again with a new token in the same attempt
        assert outbox(tenant) == [("sent", 1)]
    assert [b["auth"] for b in fake.bundles] == ["Bearer tok-1", "Bearer tok-2"]
    assert len(fake.token_requests) == 2


def test_refused_credentials_keep_the_bundle_pending_and_the_secret_out_of_the_log(app, tenant, fake, caplog):
    fake.refuse_tokens = True
    with app.app_context(), caplog.at_level(logging.WARNING, logger="pamong.clinic.satusehat"):
        for attempt in range(1, 5):
            assert send_pending(tenant) == (0, 0)
        assert outbox(tenant) == [("pending", 4)]
        assert send_pending(tenant) == (0, 1)  # the fifth attempt: failed for good
        assert outbox(tenant) == [("failed", 5)]
    assert "HTTP 401" in caplog.text and CLIENT_SECRET not in caplog.text and CLIENT_ID not in caplog.text
    assert fake.bundles == []


@pytest.mark.parametrize("change, code", [
    ({"satusehat_client_secret": CLIENT_SECRET}, "secret_literal"),  # the secret itself in the file
    ({"satusehat_client_id": "env:NOT_SET_HERE"}, "unknown_secret"),
    ({"satusehat_client_id": "", "satusehat_client_secret": ""}, None),  # http sink without credentials
    ({"satusehat_auth_url": "ftp://example"}, None),
])
def test_bad_satusehat_settings_are_refused_at_apply(app, create_tenant, monkeypatch, change, code):
    slug = unique("ss")
    secrets_for(monkeypatch, slug)
    settings = {**http_settings("http://127.0.0.1:9"), **change}
    with app.app_context(), pytest.raises(PamongError) as refused:
        create_tenant(slug=slug, modules={"clinic": settings})
    assert "satusehat" in (refused.value.where or "")
    if code:
        assert refused.value.code == code
