"""Every POST of the terminal API and both callbacks check their body with the model that documents
it (``api_docs``, issue 19.7): a bad body gets the JSON error with the code the terminals know,
the module's status, and nothing is written (no transfer, no callback kept)."""
import json
import time

import pytest

from core.kit import db, ledger, sign_webhook, tenant_scope

from ..models import Callback
from .helpers import CARD

API = "/api/v1/smartcard"
BANK, QRIS = "bank-secret-1", "qris-secret-1"

# (path, a good body, the bad bodies: (change, status, code))
TERMINAL = [
    ("/payments", {"id": "p1", "card": CARD, "amount": 500}, [
        ({"id": "bad id!"}, 422, "id_invalid"),
        ({"id": None}, 422, "id_invalid"),
        ({"card": "6032 9810"}, 422, "card_invalid"),
        ({"card": 6032981000000001}, 422, "card_invalid"),
        ({"amount": 0}, 422, "amount_not_positive"),
        ({"amount": 1000.0}, 422, "amount_not_integer"),
        ({"amount": True}, 422, "amount_not_integer"),
        ({"amount": None}, 422, "amount_not_integer"),
    ]),
    ("/holds", {"id": "h2", "card": CARD, "amount": 500}, [
        ({"id": ""}, 422, "id_invalid"),
        ({"card": "x" * 16}, 422, "card_invalid"),
        ({"amount": "500"}, 422, "amount_not_integer"),
        ({"amount": -1}, 422, "amount_not_positive"),
        ({"timeout": "soon"}, 422, "timeout_invalid"),
        ({"timeout": 0}, 422, "timeout_invalid"),
        ({"timeout": 86_401}, 422, "timeout_invalid"),  # at most a day, as the settings' hold_timeout
        ({"timeout": 10**12}, 422, "timeout_invalid"),  # was a 500: the lapse date past year 9999
    ]),
    ("/holds/in1/capture", {"id": "c1", "amount": 500}, [
        ({"id": "a" * 32}, 422, "id_invalid"),
        ({"amount": 12.5}, 422, "amount_not_integer"),
        ({"amount": 0}, 422, "amount_not_positive"),
    ]),
    ("/holds/in1/void", {"id": "v1"}, [
        ({"id": ["v1"]}, 422, "id_invalid"),
        ({"id": "-v1"}, 422, "id_invalid"),
    ]),
    ("/refunds", {"id": "r1", "payment": "p0", "amount": 100}, [
        ({"id": "r 1"}, 422, "id_invalid"),
        ({"payment": "p0!"}, 422, "id_invalid"),
        ({"amount": "100"}, 422, "amount_not_integer"),
    ]),
]
CALLBACKS = [
    ("/bank/topups", BANK, {"reference": "BRI-9", "card": CARD, "amount": 1_000}, [
        ({"reference": "BRI 9"}, 422, "id_invalid"),
        ({"card": "1234"}, 422, "card_invalid"),
        ({"amount": 0}, 422, "amount_not_positive"),
        ({"amount": "1000"}, 422, "amount_not_integer"),
    ]),
    ("/qris/payments", QRIS, {"reference": "QR-9", "merchant": "pasar-terong", "amount": 1_000}, [
        ({"reference": None}, 422, "id_invalid"),
        ({"merchant": 7}, 422, "merchant_invalid"),  # malformed, not unknown (trial finding: it was 404)
        ({"amount": "12.000,5"}, 422, "amount_invalid"),
        ({"amount": 0}, 422, "amount_invalid"),
        ({"amount": 10 ** 13}, 422, "amount_invalid"),
    ]),
]


def _missing(body, field):
    return {k: v for k, v in body.items() if k != field}


def _written(app, tenant) -> tuple[int, int]:
    with app.app_context(), tenant_scope(tenant):
        transfers = db.session.execute(db.select(db.func.count()).select_from(ledger.Transfer)).scalar_one()
        callbacks = db.session.execute(db.select(db.func.count()).select_from(Callback)).scalar_one()
    return transfers, callbacks


@pytest.fixture
def staged(client, sc_tenant, terminal):
    """A terminal with a hold ``in1`` and a payment ``p0`` to refund; its headers."""
    t = terminal()
    for path, body in (("/holds", {"id": "in1", "card": CARD, "amount": 2_000}),
                       ("/payments", {"id": "p0", "card": CARD, "amount": 1_000})):
        done = client.post(f"/t/{sc_tenant.slug}{API}{path}", json=body, headers={**t, "Idempotency-Key": path})
        assert done.status_code == 201, done.get_json()
    return t


def _terminal_cases():
    for path, good, bad in TERMINAL:
        for change, status, code in bad:
            yield pytest.param(path, {**good, **change}, status, code, id=f"{path}-{code}-{sorted(change)[0]}")
        yield pytest.param(path, _missing(good, "id"), 422, "id_invalid", id=f"{path}-no-id")
        yield pytest.param(path, "[1, 2]", 400, "invalid_json", id=f"{path}-not-an-object")
        yield pytest.param(path, "{not json", 400, "invalid_json", id=f"{path}-not-json")


@pytest.mark.parametrize("path,body,status,code", list(_terminal_cases()))
def test_a_bad_terminal_body_is_refused_with_its_code_and_nothing_is_written(app, client, sc_tenant, staged,
                                                                           path, body, status, code):
    before = _written(app, sc_tenant)
    url, headers = f"/t/{sc_tenant.slug}{API}{path}", {**staged, "Idempotency-Key": "bad-1"}
    if isinstance(body, str):
        response = client.post(url, data=body, content_type="application/json", headers=headers)
    else:
        response = client.post(url, json=body, headers=headers)
    assert (response.status_code, response.get_json()["error"]["code"]) == (status, code), response.get_json()
    assert set(response.get_json()["error"]) == {"code", "message", "where"}
    assert _written(app, sc_tenant) == before
    # the hold is still there for a good request, and the balance is untouched
    balance = client.get(f"/t/{sc_tenant.slug}{API}/cards/{CARD}/balance", headers=staged).get_json()
    assert balance == {"card": CARD, "balance": 99_000, "held": 2_000, "available": 97_000}


def _signed(client, tenant, path, raw: bytes, secret):
    ts = str(int(time.time()))
    return client.post(f"/t/{tenant.slug}{API}{path}", data=raw, content_type="application/json",
                       headers={"X-Pamong-Timestamp": ts, "X-Pamong-Signature": sign_webhook(secret, ts, raw)})


def _callback_cases():
    for path, secret, good, bad in CALLBACKS:
        for change, status, code in bad:
            yield pytest.param(path, secret, json.dumps({**good, **change}).encode(), status, code,
                               id=f"{path}-{code}-{sorted(change)[0]}")
        yield pytest.param(path, secret, json.dumps(_missing(good, "amount")).encode(), 422,
                           {"/bank/topups": "amount_not_integer", "/qris/payments": "amount_invalid"}[path],
                           id=f"{path}-no-amount")
        yield pytest.param(path, secret, b'["a list"]', 400, "invalid_json", id=f"{path}-not-an-object")


@pytest.mark.parametrize("path,secret,raw,status,code", list(_callback_cases()))
def test_a_bad_callback_body_is_refused_with_its_code_and_nothing_is_kept(app, client, sc_tenant, staged,
                                                                         path, secret, raw, status, code):
    before = _written(app, sc_tenant)
    response = _signed(client, sc_tenant, path, raw, secret)
    assert (response.status_code, response.get_json()["error"]["code"]) == (status, code), response.get_json()
    assert _written(app, sc_tenant) == before  # neither a transfer nor the digest: a fixed body may come again


def test_the_good_bodies_pass_and_card_numbers_may_be_printed_with_spaces(app, client, sc_tenant, staged):
    """The cases above differ from these bodies by one field each: these are accepted."""
    for n, (path, good, _bad) in enumerate(TERMINAL):
        if path == "/payments":
            good = {**good, "card": "6032 9810-0000 0001"}
        path = path.replace("in1/void", "h2/void")  # in1 was captured just before
        done = client.post(f"/t/{sc_tenant.slug}{API}{path}", json=good, headers={**staged, "Idempotency-Key": f"g{n}"})
        assert done.status_code == 201, (path, done.get_json())
    for path, secret, good, _bad in CALLBACKS:
        done = _signed(client, sc_tenant, path, json.dumps(good).encode(), secret)
        assert done.status_code == 201, (path, done.get_json())
    text_amount = _signed(client, sc_tenant, "/qris/payments", json.dumps(
        {"reference": "QR-10", "merchant": "pasar-terong", "amount": " 2500 "}).encode(), QRIS)
    assert text_amount.status_code == 201 and text_amount.get_json()["amount"] == 2_500
    with app.app_context():
        assert ledger.check([sc_tenant]) == []


def test_a_signed_callback_is_read_as_signed_whatever_its_content_type(app, client, sc_tenant, staged):
    raw = json.dumps({"reference": "BRI-11", "card": CARD, "amount": 700}).encode()
    ts = str(int(time.time()))
    sent = client.post(f"/t/{sc_tenant.slug}{API}/bank/topups", data=raw, content_type="text/plain",
                       headers={"X-Pamong-Timestamp": ts, "X-Pamong-Signature": sign_webhook(BANK, ts, raw)})
    assert sent.status_code == 201, sent.get_json()


def test_a_bad_card_number_reads_the_same_in_a_body_and_in_the_path(client, sc_tenant, staged):
    """The body's model says it in the services' words, not "the shape does not match" (trial finding)."""
    for lang, words in (("en", "A card number is 16 digits."), ("id", None)):
        headers = {**staged, "Accept-Language": lang}
        in_path = client.get(f"/t/{sc_tenant.slug}{API}/cards/6032-12/balance", headers=headers).get_json()["error"]
        in_body = client.post(f"/t/{sc_tenant.slug}{API}/payments", json={"id": "p9", "card": "6032 12", "amount": 5},
                              headers={**headers, "Idempotency-Key": f"card-{lang}"}).get_json()["error"]
        assert in_path["code"] == in_body["code"] == "card_invalid"
        assert in_body["message"] == in_path["message"], lang
        assert words is None or in_body["message"] == words
    missing = client.post(f"/t/{sc_tenant.slug}{API}/payments", json={"id": "p9", "amount": 5},
                          headers={**staged, "Idempotency-Key": "card-missing"}).get_json()["error"]
    assert missing["where"] == "card" and missing["message"] != "A card number is 16 digits."
