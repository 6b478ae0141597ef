"""The SATUSEHAT client (``satusehat.py``, ``satusehat_auth.py``, ``satusehat_ids.py``) against a fake
of the SATUSEHAT sandbox: a Flask app served over real HTTP on 127.0.0.1 by werkzeug in a thread (no
network). Its answers have the sandbox's shapes: the OAuth2 client-credentials answer
(``POST /oauth2/v1/accesstoken?grant_type=client_credentials``, ``expires_in`` a string of seconds,
``issued_at`` milliseconds), FHIR R4 searchset Bundles for ``Patient`` / ``Practitioner`` by NIK, a
``transaction-response`` for a transaction Bundle (``201 Created`` per entry), and ``OperationOutcome``
for a refusal. Tokens expire on the server; the server can revoke them, refuse a bundle or be slow.
Issue 17 leftovers, item 3."""
import json
import threading
import time
import uuid

import pytest
from flask import Flask, jsonify, request
from werkzeug.serving import make_server

from core.kit import db, tenant_scope
from core.testing import unique

from .. import satusehat_auth
from ..models import Patient, SatusehatMessage
from ..practitioners import set_nik
from ..satusehat import send_pending
from .fixtures import NIK_B
from .test_satusehat_http import CLIENT_ID, CLIENT_SECRET, finish_a_visit, http_settings, secrets_for

NIK_SYSTEM = "https://fhir.kemkes.go.id/id/nik"
PATIENT_NIK, PATIENT_IHS = "7371014101900001", "P02478375538"
DOCTOR_NIK, DOCTOR_IHS = "7371015506800004", "10009880728"


class Sandbox:
    """The fake sandbox's state: what it was asked, what it answers next."""

    def __init__(self):
        self.tokens: dict[str, float] = {}  # token -> expiry (time.time())
        self.lifetime = 14399
        self.token_requests, self.searches, self.bundles = [], [], []
        self.refusals: list[tuple[int, dict]] = []  # the next FHIR answers, instead of the real one
        self.delay = 0.0  # seconds before the next FHIR answer (once)
        self.patients = {PATIENT_NIK: PATIENT_IHS, NIK_B: "P01234567890"}
        self.practitioners = {DOCTOR_NIK: DOCTOR_IHS}

    def revoke(self):
        self.tokens.clear()


def outcome(code: str, text: str, status: int = 400) -> tuple[int, dict]:
    return status, {"resourceType": "OperationOutcome", "issue": [
        {"severity": "error", "code": code, "details": {"text": text}, "diagnostics": text}]}


def sandbox_app(state: Sandbox) -> Flask:
    app = Flask("fake-satusehat")

    @app.post("/oauth2/v1/accesstoken")
    def token():
        state.token_requests.append({"query": request.args.to_dict(), "form": request.form.to_dict(),
                                     "type": request.mimetype})
        if request.args.get("grant_type") != "client_credentials":
            return jsonify(error="unsupported_grant_type"), 400
        if request.form.get("client_id") != CLIENT_ID or request.form.get("client_secret") != CLIENT_SECRET:
            return jsonify(fault={"faultstring": "Invalid client identifier {0}", "detail": {
                "errorcode": "oauth.v2.InvalidClientIdentifier"}}), 401
        value = f"tok-{len(state.token_requests)}-{uuid.uuid4().hex[:8]}"
        state.tokens[value] = time.time() + state.lifetime
        return jsonify({"refresh_token_expires_in": "0", "api_product_list": "[api-dev]",
                        "organization_name": "ihs-sandbox", "token_type": "BearerToken",
                        "issued_at": str(int(time.time() * 1000)), "client_id": CLIENT_ID, "access_token": value,
                        "application_name": "pamong-test", "scope": "", "expires_in": str(state.lifetime),
                        "refresh_count": "0", "status": "approved"})

    def fhir_gate():
        if state.delay:
            pause, state.delay = state.delay, 0.0
            time.sleep(pause)
        bearer = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if state.tokens.get(bearer, 0) <= time.time():
            return outcome("login", "Access token expired or invalid", 401)
        if state.refusals:
            return state.refusals.pop(0)
        return None

    @app.get("/fhir-r4/v1/<kind>")
    def search(kind):
        state.searches.append((kind, request.args.get("identifier", "")))
        refused = fhir_gate()
        if refused:
            return jsonify(refused[1]), refused[0]
        system, _sep, nik = request.args.get("identifier", "").partition("|")
        known = {"Patient": state.patients, "Practitioner": state.practitioners}.get(kind, {})
        found = known.get(nik) if system == NIK_SYSTEM else None
        return jsonify({"resourceType": "Bundle", "type": "searchset", "total": 1 if found else 0,
                        "entry": [{"fullUrl": f"https://api-satusehat-stg.dto.kemkes.go.id/fhir-r4/v1/{kind}/{found}",
                                   "resource": {"resourceType": kind, "id": found, "identifier": [
                                       {"system": NIK_SYSTEM, "value": nik}]}}] if found else []})

    @app.post("/fhir-r4/v1")
    def transaction():
        body = request.get_json(force=True)
        state.bundles.append({"auth": request.headers.get("Authorization"), "type": request.mimetype, "body": body})
        refused = fhir_gate()
        if refused:
            return jsonify(refused[1]), refused[0]
        if body.get("resourceType") != "Bundle" or body.get("type") != "transaction":
            return jsonify(outcome("structure", "Bundle.type must be transaction")[1]), 400
        entries = [{"response": {"status": "201 Created", "location": f"{e['resource']['resourceType']}/{uuid.uuid4()}",
                                 "etag": 'W/"1"'}} for e in body.get("entry", [])]
        return jsonify({"resourceType": "Bundle", "type": "transaction-response", "entry": entries})

    return app


@pytest.fixture
def sandbox():
    state = Sandbox()
    server = make_server("127.0.0.1", 0, sandbox_app(state), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.base = f"http://127.0.0.1:{server.server_port}"
    yield state
    server.shutdown()
    thread.join(5)


@pytest.fixture
def tenant(app, create_tenant, frozen_clock, sandbox, monkeypatch):
    satusehat_auth._cache.clear()
    slug = unique("sb")
    secrets_for(monkeypatch, slug)
    with app.app_context():
        tenant = create_tenant(slug=slug, modules={"clinic": http_settings(sandbox.base)})
        with tenant_scope(tenant):
            set_nik(tenant, "cli:test", "PKM-A", "DR-A", DOCTOR_NIK)
            db.session.commit()
        finish_a_visit(tenant, PATIENT_NIK)
    yield tenant
    satusehat_auth._cache.clear()


def outbox(tenant):
    with tenant_scope(tenant):
        return [(r.status, r.attempts) for r in db.session.query(SatusehatMessage).order_by(SatusehatMessage.id)]


def send(tenant):
    errors: list[str] = []
    return send_pending(tenant, errors), errors


def test_token_lookups_by_nik_and_the_transaction_bundle(app, tenant, sandbox):
    with app.app_context():
        assert send(tenant) == ((1, 0), [])
        assert outbox(tenant) == [("sent", 1)]
        with tenant_scope(tenant):
            assert db.session.query(Patient.ihs_number).scalar() == PATIENT_IHS  # kept: asked once
    [asked] = sandbox.token_requests
    assert asked == {"query": {"grant_type": "client_credentials"}, "type": "application/x-www-form-urlencoded",
                     "form": {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}}
    assert sandbox.searches == [("Patient", f"{NIK_SYSTEM}|{PATIENT_NIK}"),
                                ("Practitioner", f"{NIK_SYSTEM}|{DOCTOR_NIK}")]
    [bundle] = sandbox.bundles
    assert bundle["type"] == "application/fhir+json" and bundle["auth"] == f"Bearer {next(iter(sandbox.tokens))}"
    resources = {e["resource"]["resourceType"]: e["resource"] for e in bundle["body"]["entry"]}
    encounter = resources["Encounter"]
    assert encounter["subject"]["reference"] == f"Patient/{PATIENT_IHS}"
    assert f"Practitioner/{DOCTOR_IHS}" in json.dumps(encounter)
    assert encounter["class"]["code"] == "AMB" and encounter["status"] == "finished"
    assert resources["Condition"]["subject"]["reference"] == f"Patient/{PATIENT_IHS}"
    with app.app_context():  # a second patient: the cached token, the practitioner's number kept
        finish_a_visit(tenant, NIK_B)
        assert send(tenant) == ((1, 0), [])
    assert len(sandbox.token_requests) == 1
    assert [kind for kind, _nik in sandbox.searches] == ["Patient", "Practitioner", "Patient"]


def test_the_token_is_asked_again_when_it_nearly_expires(app, tenant, sandbox):
    sandbox.lifetime = satusehat_auth.EXPIRY_MARGIN + 1  # kept one second by the client
    with app.app_context():
        assert send(tenant) == ((1, 0), [])
        time.sleep(1.2)
        finish_a_visit(tenant, NIK_B)
        assert send(tenant) == ((1, 0), [])
    assert len(sandbox.token_requests) == 2
    first, second = (b["auth"] for b in sandbox.bundles)
    assert first != second and second == f"Bearer {list(sandbox.tokens)[-1]}"


def test_a_token_revoked_early_is_answered_401_and_asked_again_in_the_same_attempt(app, tenant, sandbox):
    with app.app_context():
        assert send(tenant) == ((1, 0), [])
        sandbox.revoke()  # the server forgot it before its expires_in
        finish_a_visit(tenant, NIK_B)
        assert send(tenant) == ((1, 0), [])
        assert outbox(tenant) == [("sent", 1), ("sent", 1)]
    assert len(sandbox.token_requests) == 2


def test_a_401_twice_fails_the_attempt_and_keeps_the_bundle(app, tenant, sandbox):
    sandbox.refusals = [outcome("login", "Access token expired or invalid", 401)] * 2
    with app.app_context():
        (sent, failed), errors = send(tenant)
        assert (sent, failed) == (0, 0) and outbox(tenant) == [("pending", 1)]
        assert errors == ["bundle #%d: SATUSEHAT answered HTTP 401 (login: Access token expired or invalid)"
                          % _bundle_id(tenant)]
        assert send(tenant) == ((1, 0), [])  # the next send goes
    assert len(sandbox.token_requests) == 3
    assert all(tok not in " ".join(errors) for tok in sandbox.tokens)


def _bundle_id(tenant):
    with tenant_scope(tenant):
        return db.session.query(SatusehatMessage.id).scalar()


def test_an_operation_outcome_is_said_in_the_error_without_the_nik(app, tenant, sandbox, caplog):
    sandbox.refusals = [outcome("invalid", f"Patient with NIK {PATIENT_NIK}: Encounter.period.start is required")]
    with app.app_context():
        (sent, failed), errors = send(tenant)
    assert (sent, failed) == (0, 0)
    [line] = errors
    assert "HTTP 400 (invalid: Patient with NIK 73" in line and "Encounter.period.start is required" in line
    ours = " ".join(r.getMessage() for r in caplog.records if r.name.startswith("pamong"))  # not the fake's own log
    assert PATIENT_NIK not in line and PATIENT_NIK not in ours and "(invalid: " in ours
    with app.app_context():
        assert outbox(tenant) == [("pending", 1)]


def test_a_slow_sandbox_times_out_and_the_bundle_stays_pending(app, tenant, sandbox, monkeypatch):
    monkeypatch.setattr(satusehat_auth, "TIMEOUT", 0.5)
    with app.app_context():
        satusehat_auth.access_token(tenant, _settings(tenant))  # the token first: the search is slow
        sandbox.delay = 2.0
        started = time.monotonic()
        (sent, failed), errors = send(tenant)
        took = time.monotonic() - started
        assert (sent, failed) == (0, 0) and outbox(tenant) == [("pending", 1)]
        assert took < 1.9, took  # gave up at the client's timeout, not the server's pace
        [line] = errors
        assert "could not be reached" in line and "timed out" in line.lower(), line
        assert send(tenant) == ((1, 0), [])
        assert outbox(tenant) == [("sent", 2)]


def _settings(tenant):
    from ..settings import settings_of

    return settings_of(tenant)
