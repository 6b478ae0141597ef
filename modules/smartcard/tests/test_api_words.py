"""What a terminal reads in a refusal (trial findings): every message in the request's language,
a card number that is not 16 digits is ``card_invalid`` (not ``card_unknown``), ``where`` names the
request's own field (never the ledger's ``legs[0].amount`` / ``pending_id``), the balance refusal
names no internal account, and every time is ISO 8601 in the tenant's offset."""
import json
import re
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from core.kit import sign_webhook

from .helpers import CARD

API = "/api/v1/smartcard"
ID, EN = {"Accept-Language": "id"}, {"Accept-Language": "en"}


def _post(client, tenant, path, body, headers, key, lang=ID):
    return client.post(f"/t/{tenant.slug}{API}{path}", json=body, headers={**headers, **lang, "Idempotency-Key": key})


def _error(response):
    return response.get_json()["error"]


@pytest.mark.parametrize("lang,words", [(ID, ["bukan JSON yang sah", "kirim objek JSON"]),
                                        (EN, ["is not valid JSON", "send a JSON object"])])
def test_a_body_that_is_not_json_is_refused_in_the_request_language(client, sc_tenant, terminal, lang, words):
    t = terminal()
    url = f"/t/{sc_tenant.slug}{API}/payments"
    broken = client.post(url, data=b'{"id": ', content_type="application/json",
                         headers={**t, **lang, "Idempotency-Key": "j1"})
    assert broken.status_code == 400 and _error(broken)["code"] == "invalid_json"
    assert words[0] in _error(broken)["message"]
    plain = client.post(url, data=b"id=p1", content_type="text/plain", headers={**t, **lang, "Idempotency-Key": "j2"})
    assert plain.status_code == 400 and _error(plain)["code"] == "invalid_json"
    assert words[1] in _error(plain)["message"]
    ts = str(int(time.time()))
    raw = b'["a list"]'
    signed = client.post(f"/t/{sc_tenant.slug}{API}/bank/topups", data=raw, content_type="application/json",
                         headers={**lang, "X-Pamong-Timestamp": ts, "X-Pamong-Signature": sign_webhook("bank-secret-1", ts, raw)})
    assert signed.status_code == 400 and words[1] in _error(signed)["message"]


def test_a_card_number_that_is_not_16_digits_is_invalid_not_unknown(client, sc_tenant, terminal):
    t = terminal()
    for response in (client.get(f"/t/{sc_tenant.slug}{API}/cards/9999/balance", headers={**t, **ID}),
                     _post(client, sc_tenant, "/payments", {"id": "p1", "card": "9999", "amount": 500}, t, "c1")):
        assert response.status_code == 422 and _error(response)["code"] == "card_invalid"
        assert _error(response)["where"] == "card"
    unknown = client.get(f"/t/{sc_tenant.slug}{API}/cards/6032981099999999/balance", headers={**t, **ID})
    assert unknown.status_code == 404 and _error(unknown)["code"] == "card_unknown"
    assert "16" not in _error(unknown)["message"]  # it says no card has the number, not how a number is written


def test_ledger_refusals_name_the_request_fields_and_no_account(client, sc_tenant, terminal):
    t = terminal()
    over = _post(client, sc_tenant, "/payments", {"id": "p1", "card": CARD, "amount": 100_001}, t, "w1")
    assert (over.status_code, _error(over)["code"], _error(over)["where"]) == (422, "exceeds_credits", "amount")
    assert _error(over)["message"] == "Saldo kartu tidak cukup." and "card." not in _error(over)["message"]
    english = _post(client, sc_tenant, "/holds", {"id": "h0", "card": CARD, "amount": 100_001}, t, "w2", EN)
    assert (_error(english)["code"], _error(english)["where"]) == ("exceeds_credits", "amount")
    assert _error(english)["message"] == "The card's balance is not enough."

    assert _post(client, sc_tenant, "/payments", {"id": "p2", "card": CARD, "amount": 1_000}, t, "w3").status_code == 201
    reused = _post(client, sc_tenant, "/payments", {"id": "p2", "card": CARD, "amount": 2_000}, t, "w4")
    assert (_error(reused)["code"], _error(reused)["where"]) == ("id_reused", "id")

    assert _post(client, sc_tenant, "/holds", {"id": "h1", "card": CARD, "amount": 3_000}, t, "w5").status_code == 201
    more = _post(client, sc_tenant, "/holds/h1/capture", {"id": "c1", "amount": 3_001}, t, "w6")
    assert (_error(more)["code"], _error(more)["where"]) == ("post_exceeds_pending", "amount")
    assert _post(client, sc_tenant, "/holds/h1/void", {"id": "v1"}, t, "w7").status_code == 201
    late = _post(client, sc_tenant, "/holds/h1/capture", {"id": "c2"}, t, "w8")
    assert (_error(late)["code"], _error(late)["where"]) == ("pending_already_voided", "hold_id")
    none = _post(client, sc_tenant, "/holds/nope/capture", {"id": "c3"}, t, "w9")
    assert (_error(none)["code"], _error(none)["where"]) == ("pending_not_found", "hold_id")
    for response in (over, english, reused, more, late, none):
        assert not re.search(r"legs\[|pending_id|card\.\d|merchant\.", json.dumps(_error(response)))


def test_a_callback_reference_used_twice_names_reference(client, sc_tenant, terminal):
    terminal()

    def topup(amount):
        raw = json.dumps({"reference": "BRI-1", "card": CARD, "amount": amount}).encode()
        ts = str(int(time.time()))
        return client.post(f"/t/{sc_tenant.slug}{API}/bank/topups", data=raw, content_type="application/json",
                           headers={**ID, "X-Pamong-Timestamp": ts,
                                    "X-Pamong-Signature": sign_webhook("bank-secret-1", ts, raw)})

    assert topup(1_000).status_code == 201
    again = topup(2_000)
    assert (_error(again)["code"], _error(again)["where"]) == ("id_reused", "reference")


def test_every_transfer_time_is_in_the_tenant_offset(client, sc_tenant, terminal):
    t = terminal()
    paid = _post(client, sc_tenant, "/payments", {"id": "p1", "card": CARD, "amount": 1_000}, t, "t1").get_json()
    held = _post(client, sc_tenant, "/holds", {"id": "h1", "card": CARD, "amount": 1_000}, t, "t2").get_json()
    void = _post(client, sc_tenant, "/holds/h1/void", {"id": "v1"}, t, "t3").get_json()
    times = [leg["created_at"] for leg in paid["transfers"]] + [held["created_at"], void["created_at"]]
    offset = datetime.now(ZoneInfo(sc_tenant.timezone)).strftime("%z")
    offset = f"{offset[:3]}:{offset[3:]}"
    for value in times:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", value), value
        assert value.endswith(offset), (value, offset)
