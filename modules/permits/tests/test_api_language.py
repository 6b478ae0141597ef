"""Every error of the permits API keeps its stable code and says its message in one language, the
request's (``Accept-Language`` among the tenant's, else the tenant's first): never an Indonesian
message beside an English one (issue 15 trial)."""
from __future__ import annotations

import json
import time

import pytest

from core.kit import sign_webhook

from .test_api import invoiced
from .test_permit_status import issued

BASE = "/api/v1/permits"
ID, EN = {"Accept-Language": "id"}, {"Accept-Language": "en"}
# (code, English words, Indonesian words) of each refusal the tests below provoke
WORDS = {
    "not_found": ("No such application.", "Tidak ada permohonan tersebut."),
    "no_permit": ("No issued permit has this number.", "Tidak ada izin terbit dengan nomor ini."),
    "invalid_range": ("The first day is after the last day (to).", "Hari pertama jatuh setelah hari terakhir (to)."),
    "unknown_type": ("No permit type 'XYZ' in this tenant.", "Tidak ada jenis izin 'XYZ' di instansi ini."),
    "unknown_invoice": ("No invoice has this payment code.", "Tidak ada tagihan dengan kode bayar ini."),
    "amount_mismatch": ("The invoice is", "Tagihannya"),
    "already_paid": ("This invoice is already paid", "Tagihan ini sudah dibayar"),
    "reason_required": ("Give the reason", "Berikan alasannya"),
    "not_valid": ("Only a valid permit can be suspended.", "Hanya izin yang berlaku yang dapat dibekukan."),
    "already_suspended": ("The permit is already suspended.", "Izin ini sudah dibekukan."),
    "not_suspended": ("Only a suspended permit", "Hanya izin yang dibekukan"),
    "already_revoked": ("The permit is already revoked.", "Izin ini sudah dicabut."),
}


def _error(response):
    body = response.get_json()
    assert body is not None, response.get_data(as_text=True)
    return response.status_code, body["error"]["code"], body["error"]["message"]


def _pay(client, tenant, body, lang, key):
    raw = json.dumps(body).encode()
    stamp = str(int(time.time()))
    return client.post(f"/t/{tenant.slug}{BASE}/payments/callback", data=raw, content_type="application/json",
                       headers={**lang, "X-Pamong-Timestamp": stamp, "Idempotency-Key": key,
                                "X-Pamong-Signature": sign_webhook("bayar-rahasia", stamp, raw)})


def _check(response, status, code, words, lang):
    got_status, got_code, message = _error(response)
    english, indonesian = WORDS[words]
    assert (got_status, got_code) == (status, code), message
    wanted, other = (english, indonesian) if lang is EN else (indonesian, english)
    assert wanted in message and other not in message, message


@pytest.mark.parametrize("lang", [ID, EN], ids=["id", "en"])
def test_read_errors_answer_in_the_request_language(client, tenant, create_token, lang):
    token = {"Authorization": f"Bearer {create_token(tenant, 'permits:read', 'permits:reconciliation')}"}
    get = lambda path: client.get(f"/t/{tenant.slug}{BASE}{path}", headers={**token, **lang})  # noqa: E731
    _check(get("/applications/REG/X/1"), 404, "not_found", "not_found", lang)
    _check(get("/oss-report?from=2026-02-01&to=2026-01-01"), 400, "invalid_range", "invalid_range", lang)
    _check(get("/oss-report?type=XYZ"), 400, "unknown_type", "unknown_type", lang)
    _check(get("/reconciliation?type=XYZ"), 400, "unknown_type", "unknown_type", lang)


def test_without_accept_language_the_tenants_first_language_answers(client, tenant, create_token):
    token = {"Authorization": f"Bearer {create_token(tenant, 'permits:read')}"}
    response = client.get(f"/t/{tenant.slug}{BASE}/oss-report?type=XYZ", headers=token)
    _check(response, 400, "unknown_type", "unknown_type", ID)   # the test tenant speaks Indonesian first


@pytest.mark.parametrize("lang", [ID, EN], ids=["id", "en"])
def test_payment_errors_answer_in_the_request_language(app, client, tenant, people, lang):
    code, fee, _ = invoiced(app, tenant, people)
    _check(_pay(client, tenant, {"payment_code": "123", "amount": fee}, lang, "k1"),
           404, "unknown_invoice", "unknown_invoice", lang)
    _check(_pay(client, tenant, {"payment_code": code, "amount": fee - 1}, lang, "k2"),
           400, "amount_mismatch", "amount_mismatch", lang)
    assert _pay(client, tenant, {"payment_code": code, "amount": fee, "reference": "B-1"}, lang, "k3").status_code == 200
    _check(_pay(client, tenant, {"payment_code": code, "amount": fee, "reference": "B-2"}, lang, "k4"),
           409, "already_paid", "already_paid", lang)
    status, error, message = _error(_pay(client, tenant, {"payment_code": code}, lang, "k5"))
    assert (status, error) == (400, "bad_request")   # the core's words for the missing field, in the same language
    assert ("required" in message) == (lang is EN), message


@pytest.mark.parametrize("lang", [ID, EN], ids=["id", "en"])
def test_permit_status_errors_answer_in_the_request_language(app, client, tenant, people, create_token, signer,
                                                             lang):
    _, number, _ = issued(app, tenant, people)
    token = {"Authorization": f"Bearer {create_token(tenant, 'permits:status')}"}

    def change(action, reason="Pemeriksaan", permit=number):
        return client.post(f"/t/{tenant.slug}{BASE}/permits/status", headers={**token, **lang},
                           json={"permit_number": permit, "action": action, "reason": reason})

    _check(change("suspend", permit="PBG/9999/2026"), 404, "not_found", "no_permit", lang)
    _check(change("suspend", reason=" "), 400, "reason_required", "reason_required", lang)
    _check(change("lift"), 400, "not_suspended", "not_suspended", lang)
    assert change("suspend").status_code == 200
    _check(change("suspend"), 400, "not_valid", "already_suspended", lang)
    assert change("revoke").status_code == 200
    _check(change("revoke"), 400, "already_revoked", "already_revoked", lang)
