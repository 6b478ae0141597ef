"""The Idempotency-Key helper (core/idempotency.py, draft-ietf-httpapi-idempotency-key-header)
through the test module's ``POST /api/v1/notes/pay``, which moves rupiah on the core ledger."""
import threading
from datetime import datetime, timedelta, timezone

import pytest

from core import ledger
from core.extensions import db
from core.idempotency import IdempotencyKey, purge_expired
from core.tenancy.scope import tenant_scope
from tests.testmodule import pay_gate


ROUTE = ["pay"]


@pytest.fixture(autouse=True, params=["pay", "pay-together"])
def route(request):
    """Every test through both ways of the helper: the view commits (``/pay``), or the helper
    commits the view's work with the answer (``/pay-together``, ``@idempotent(commit=True)``: on
    PostgreSQL the key is claimed in that same transaction, under an advisory lock)."""
    ROUTE[0] = request.param
    yield request.param
    ROUTE[0] = "pay"


@pytest.fixture
def shop(app, create_tenant, create_token):
    tenant = create_tenant(modules={"notes": {}})
    with app.app_context(), tenant_scope(tenant):
        ledger.open_account(tenant, "test", "bank", "settlement")
        ledger.open_account(tenant, "test", "wallet", "wallet")
        ledger.open_account(tenant, "test", "toko", "merchant")
        ledger.transfer(tenant, "test", "seed", "bank", "wallet", 50_000)
        db.session.commit()
    return tenant, create_token(tenant, "notes:read")


def pay(client, shop, body, key="k-1", token=None):
    tenant, default = shop
    headers = {"Authorization": f"Bearer {token or default}"}
    if key is not None:
        headers["Idempotency-Key"] = key
    return client.post(f"/t/{tenant.slug}/api/v1/notes/{ROUTE[0]}", json=body, headers=headers)


def balance(app, tenant, code="wallet"):
    with app.app_context(), tenant_scope(tenant):
        a = ledger.get_account(tenant, code)
        return a.credits_posted - a.debits_posted


BODY = {"id": "pay-1", "from": "wallet", "to": "toko", "amount": 1_000}


def test_missing_or_malformed_key_is_400(app, client, shop):
    r = pay(client, shop, BODY, key=None)
    assert r.status_code == 400 and r.get_json()["error"]["code"] == "idempotency_key_missing"
    r = pay(client, shop, BODY, key="x" * 256)
    assert r.status_code == 400 and r.get_json()["error"]["code"] == "idempotency_key_invalid"
    assert balance(app, shop[0]) == 50_000


def test_replay_returns_the_stored_response(app, client, shop):
    first = pay(client, shop, BODY, key='"8e03978e-40d5-43e8-bc93-6894a57f9324"')
    assert first.status_code == 201
    again = pay(client, shop, BODY, key='"8e03978e-40d5-43e8-bc93-6894a57f9324"')
    assert (again.status_code, again.data, again.content_type) == (first.status_code, first.data, first.content_type)
    assert balance(app, shop[0]) == 49_000


def test_an_error_response_is_replayed_too(app, client, shop):
    first = pay(client, shop, {**BODY, "amount": 60_000})
    assert first.status_code == 422 and first.get_json()["error"]["code"] == "exceeds_credits"
    again = pay(client, shop, {**BODY, "amount": 60_000})
    assert (again.status_code, again.data) == (first.status_code, first.data)
    assert balance(app, shop[0]) == 50_000


def test_same_key_other_body_is_422(app, client, shop):
    assert pay(client, shop, BODY).status_code == 201
    r = pay(client, shop, {**BODY, "amount": 2_000})
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "idempotency_key_reused"
    assert balance(app, shop[0]) == 49_000


def test_keys_are_per_client(app, client, shop, create_token):
    assert pay(client, shop, BODY).status_code == 201
    other = create_token(shop[0], "notes:read")
    r = pay(client, shop, {**BODY, "amount": 2_000}, token=other)  # the same key, another client
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "id_reused"  # the ledger's own id check


def test_same_key_while_running_is_409(app, shop):
    pay_gate["entered"].clear()
    pay_gate["release"].clear()
    results = {}

    def slow():
        results["first"] = pay(app.test_client(), shop, {**BODY, "wait": True})

    thread = threading.Thread(target=slow)
    thread.start()
    try:
        assert pay_gate["entered"].wait(10)
        r = pay(app.test_client(), shop, {**BODY, "wait": True})
        assert r.status_code == 409 and r.get_json()["error"]["code"] == "idempotency_key_in_flight"
    finally:
        pay_gate["release"].set()
        thread.join(15)
    assert results["first"].status_code == 201
    assert pay(app.test_client(), shop, {**BODY, "wait": True}).data == results["first"].data
    assert balance(app, shop[0]) == 49_000


def test_a_crash_frees_the_key(app, client, shop):
    with pytest.raises(RuntimeError, match="injected failure"):  # TESTING propagates it; production: 500
        pay(client, shop, {**BODY, "crash": True}, key="k-crash")
    with app.app_context(), tenant_scope(shop[0]):
        assert db.session.execute(db.select(IdempotencyKey)).first() is None
    # the key is free: another body under it is accepted, not refused as a reuse
    r = pay(client, shop, BODY, key="k-crash")
    assert r.status_code == 201
    assert balance(app, shop[0]) == 49_000


def test_expired_keys_are_purged_and_free_again(app, client, shop):
    tenant = shop[0]
    assert pay(client, shop, BODY).status_code == 201
    later = datetime.now(timezone.utc) + timedelta(days=2)
    with app.app_context():
        assert purge_expired(now=later) >= 1
        with tenant_scope(tenant):
            assert db.session.execute(db.select(IdempotencyKey)).first() is None
    r = pay(client, shop, {**BODY, "amount": 2_000})
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "id_reused"  # the key is free again


def test_in_one_transaction_a_refusal_keeps_the_answer_and_nothing_else(app, client, shop, route):
    """``commit=True``: a 4xx answer is kept on its own (the view's work and, on PostgreSQL, the
    claim made in its transaction are rolled back first); a retry gets that answer, no rupiah moved."""
    if route != "pay-together":
        pytest.skip("the one-transaction path")
    first = pay(client, shop, {**BODY, "to": "nowhere"}, key="k-refused")
    assert first.status_code == 404 and first.get_json()["error"]["code"] == "account_unknown"
    with app.app_context(), tenant_scope(shop[0]):
        row = db.session.execute(db.select(IdempotencyKey).where(IdempotencyKey.key == "k-refused")).scalar_one()
        assert (row.status, row.response_status) == ("done", 404)
    again = pay(client, shop, {**BODY, "to": "nowhere"}, key="k-refused")
    assert (again.status_code, again.data) == (first.status_code, first.data)
    assert balance(app, shop[0]) == 50_000
