"""QRIS payloads, read back by an independent EMVCo decoder written here (TLV + CRC-16/CCITT-FALSE
computed bit by bit, not with the module's binascii call)."""
import json
import time

import pytest

from core.kit import sign_webhook

from ..qris import QrisError, parse_amount, payload, svg
from .helpers import MERCHANTS

API = "/api/v1/smartcard"


def crc_ccitt_false(data: bytes) -> int:
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def tlv(text: str) -> dict:
    out, i = {}, 0
    while i < len(text):
        tag, length = text[i:i + 2], int(text[i + 2:i + 4])
        value = text[i + 4:i + 4 + length]
        assert len(value) == length, f"field {tag} is cut short"
        assert tag not in out, f"field {tag} twice"
        out[tag] = value
        i += 4 + length
    return out


def decode(text: str) -> dict:
    assert text[-8:-4] == "6304", "the CRC must be the last field"
    assert int(text[-4:], 16) == crc_ccitt_false(text[:-4].encode()), "CRC mismatch"
    fields = tlv(text)
    for tag in ("26", "51", "62"):
        if tag in fields:
            fields[tag] = tlv(fields[tag])
    return fields


def test_the_crc_matches_the_standard_check_value():
    assert crc_ccitt_false(b"123456789") == 0x29B1  # the catalogue's check value of CRC-16/CCITT-FALSE


def test_a_static_qris():
    fields = decode(payload(MERCHANTS[0], acquirer="ID.CO.BRI.WWW"))
    assert fields["00"] == "01" and fields["01"] == "11" and "54" not in fields
    assert fields["51"] == {"00": "ID.CO.QRIS.WWW", "02": "ID1020000000012", "03": "UMI"}
    assert fields["26"]["00"] == "ID.CO.BRI.WWW"
    assert (fields["52"], fields["53"], fields["58"], fields["59"], fields["60"]) == (
        "5411", "360", "ID", "Pasar Terong Kios 12", "Makassar")


def test_a_dynamic_qris_carries_its_amount():
    fields = decode(payload(MERCHANTS[1], acquirer="ID.CO.BRI.WWW", amount=15_000, terminal="T1"))
    assert fields["01"] == "12" and fields["54"] == "15000" and fields["62"] == {"07": "T1"}


def test_a_changed_payload_fails_the_crc():
    text = payload(MERCHANTS[0], acquirer="ID.CO.BRI.WWW", amount=10_000)
    with pytest.raises(AssertionError, match="CRC"):
        decode(text.replace("10000", "90000"))


@pytest.mark.parametrize("amount", ["-5", "12.5", "1e3", "0", "", "abc", 12.5, -1, 0, True, "12,500", " 1 2",
                                    " 5", "5 ", "05", "+5"])  # a URL's "+5" is " 5": refused as "05" is
def test_malformed_amounts_are_refused(amount):
    with pytest.raises(QrisError) as caught:
        parse_amount(amount)
    assert caught.value.code == "amount_invalid"


def test_the_qr_image_is_svg():
    image = svg(payload(MERCHANTS[0], acquirer="ID.CO.BRI.WWW"))
    assert image.startswith(b"<svg") and b"<script" not in image


def test_the_terminal_gets_its_qris_and_a_malformed_amount_is_422(client, sc_tenant, terminal):
    t = terminal()
    got = client.get(f"/t/{sc_tenant.slug}{API}/qris?amount=7000", headers=t).get_json()
    assert decode(got["payload"])["54"] == "7000" and decode(got["payload"])["62"] == {"07": "T1"}
    for raw in ("7000.50", "+7000", "%207000", "07000"):
        bad = client.get(f"/t/{sc_tenant.slug}{API}/qris?amount={raw}", headers=t)
        assert bad.status_code == 422 and bad.get_json()["error"]["code"] == "amount_invalid", raw


def _callback(client, tenant, body, secret="qris-secret-1"):
    raw = json.dumps(body).encode()
    ts = str(int(time.time()))
    return client.post(f"/t/{tenant.slug}{API}/qris/payments", data=raw, content_type="application/json",
                       headers={"X-Pamong-Timestamp": ts, "X-Pamong-Signature": sign_webhook(secret, ts, raw)})


def test_the_qris_callback_posts_the_transfer(app, client, sc_tenant):
    from core.kit import ledger

    ok = _callback(client, sc_tenant, {"reference": "QR-1", "merchant": "pasar-terong", "amount": 12_000})
    assert ok.status_code == 201 and ok.get_json()["id"] == "qris.QR-1"
    bad = _callback(client, sc_tenant, {"reference": "QR-2", "merchant": "pasar-terong", "amount": "12.000,5"})
    assert bad.status_code == 422 and bad.get_json()["error"]["code"] == "amount_invalid"
    unknown = _callback(client, sc_tenant, {"reference": "QR-3", "merchant": "nope", "amount": 1})
    assert unknown.status_code == 404 and unknown.get_json()["error"]["code"] == "merchant_unknown"
    forged = _callback(client, sc_tenant, {"reference": "QR-4", "merchant": "pasar-terong", "amount": 1}, "x")
    assert forged.status_code == 401
    with app.app_context():
        assert ledger.get_account(sc_tenant, "merchant.pasar-terong").credits_posted == 12_000
        assert ledger.check([sc_tenant]) == []


def test_a_merchant_without_an_nmid_has_no_qris(client, sc_tenant, terminal):
    """``bus-1`` has no NMID in its settings: no QRIS is made up for it (a made-up NMID would take
    money for nobody). The public page offers none, its QRIS page is 404, the terminal's call 404
    ``qris_unavailable``; a merchant with one still has its own."""
    with pytest.raises(QrisError) as caught:
        payload(MERCHANTS[2], acquirer="ID.CO.BRI.WWW")
    assert (caught.value.code, caught.value.where) == ("qris_unavailable", "merchant")
    base = f"/t/{sc_tenant.slug}/smartcard"
    index = client.get(f"{base}/").get_data(as_text=True)
    assert f"{base}/merchants/bus-1/qris" not in index and f"{base}/merchants/pasar-terong/qris" in index
    assert client.get(f"{base}/merchants/bus-1/qris").status_code == 404
    assert client.get(f"{base}/merchants/bus-1/qris.svg").status_code == 404
    assert client.get(f"{base}/merchants/pasar-terong/qris").status_code == 200
    bus = client.get(f"/t/{sc_tenant.slug}{API}/qris", headers=terminal(merchant="bus-1", code="BUS1"))
    assert bus.status_code == 404 and bus.get_json()["error"]["code"] == "qris_unavailable"
