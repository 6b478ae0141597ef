"""Text is made safe where it enters (issue 9 item 2): every intake gets a corpus of hostile strings
(U+FFFF, U+FFFE, NUL, other C0 controls, non-characters, lone surrogates, combining sequences NFC
changes, RTL override, 10k characters, bytes that are not UTF-8); every answer it leads to (the
intake's own, Open311 XML and JSON, the JSON API, the tracking page) is parsed in its format."""
from __future__ import annotations

import json
import time

import pytest

from core.kit import db, sign_webhook, tenant_scope
from core.text import is_clean
from modules.complaints.models import Complaint, ComplaintEvent

from .hostile import CORPUS, NON_UTF8, expected, form_body, parse_answer

START = "page_size=1000"


@pytest.fixture
def open_tenant(app, tenant, monkeypatch):
    monkeypatch.setitem(app.config, "PAMONG_COMPLAINTS_RATE", "1000 per minute")
    monkeypatch.setenv("PAMONG_SMS_SECRET_" + tenant.slug.upper().replace("-", "_"), "sms-secret")
    return tenant


def _signed(client, url, body: bytes, secret: str):
    ts = str(int(time.time()))
    return client.post(url, data=body, content_type="application/json",
                       headers={"X-Pamong-Timestamp": ts, "X-Pamong-Signature": sign_webhook(secret, ts, body)})


def via_portal(client, tenant, text, **_):
    data = {"category": "SAMPAH", "description": text, "district": "MRS", "village": "MRS-BTN", "address": text[:200],
            "name": text[:100], "phone": "", "email": "", "notify_by": ""}
    return client.post(f"/t/{tenant.slug}/complaints/new", data=form_body(data),
                       content_type="application/x-www-form-urlencoded")


def via_api(client, tenant, text, token, **_):
    body = json.dumps({"category": "SAMPAH", "description": text, "village": "PNK-PNK", "address": text[:200],
                       "name": text[:100]}).encode()  # json.dumps escapes a lone surrogate as "\ud83d"
    headers = {"Authorization": f"Bearer {token}"}
    created = client.post(f"/t/{tenant.slug}/api/v1/complaints/", data=body, content_type="application/json",
                          headers=headers)
    if created.status_code == 201:  # a note with the same text: servicerequestupdates carries it
        note = json.dumps({"status": "verified", "note": text[:2000]}).encode()
        moved = client.post(f"/t/{tenant.slug}/api/v1/complaints/{created.get_json()['number']}/status", data=note,
                            content_type="application/json", headers=headers)
        parse_answer(moved)
    return created


def via_sms(client, tenant, text, **_):
    body = json.dumps({"from": "081234567891", "text": f"LAPOR SAMPAH {text}"[:1600]}).encode()
    return _signed(client, f"/t/{tenant.slug}/sms/inbound", body, "sms-secret")


def via_chat(client, tenant, text, **_):
    body = json.dumps({"message_id": f"wa-{time.monotonic_ns()}", "text": text[:4000], "category": "SAMPAH",
                       "sender": {"name": text[:200], "phone": "081234567892"},
                       "location": {"address": text[:300], "village": "PNK-PNK"}}).encode()
    return _signed(client, f"/t/{tenant.slug}/api/v1/complaints/webhook/social", body, "chat-secret")


def via_open311(client, tenant, text, token, fmt="xml", **_):
    form = {"api_key": token, "service_code": "SAMPAH", "address_string": text[:300], "description": text,
            "first_name": text[:50]}
    created = client.post(f"/t/{tenant.slug}/open311/v2/requests.{fmt}", data=form_body(form),
                          content_type="application/x-www-form-urlencoded")
    if created.status_code == 200:  # and a FixMyStreet update with the same text
        answer = parse_answer(created)
        number = answer[0]["service_request_id"] if fmt == "json" else answer.find("request/service_request_id").text
        update = client.post(f"/t/{tenant.slug}/open311/v2/servicerequestupdates.xml", data=form_body({
            "api_key": token, "service_request_id": number, "update_id": f"u-{time.monotonic_ns()}",
            "updated_datetime": "2026-03-02T10:00:00+08:00", "status": "OPEN", "description": text[:2000]}),
            content_type="application/x-www-form-urlencoded")
        parse_answer(update)
    return created


INTAKES = {"portal": via_portal, "api": via_api, "sms": via_sms, "chat": via_chat, "open311": via_open311}
FORMS = {"portal", "open311"}


def stored_texts(app, tenant) -> list[str]:
    with app.app_context(), tenant_scope(tenant):
        rows = db.session.execute(db.select(Complaint).order_by(Complaint.id)).scalars().all()
        notes = db.session.execute(db.select(ComplaintEvent.note)).scalars().all()
        return [t for c in rows for t in (c.description, c.address, c.filer_name or "")] + [n or "" for n in notes]


def read_everything(client, tenant, token):
    """Every answer the stored complaints lead to, parsed; returns the Open311 request ids."""
    o311 = f"/t/{tenant.slug}/open311/v2"
    headers = {"Authorization": f"Bearer {token}"}
    numbers = [r.find("service_request_id").text
               for r in parse_answer(client.get(f"{o311}/requests.xml?{START}")).findall("request")]
    parse_answer(client.get(f"{o311}/requests.json?{START}"))
    parse_answer(client.get(f"{o311}/servicerequestupdates.xml?{START}"))
    parse_answer(client.get(f"{o311}/servicerequestupdates.json?{START}"))
    for path in ("services.xml", "services.json", "services/SAMPAH.xml", "discovery.xml", "discovery.json"):
        parse_answer(client.get(f"{o311}/{path}"))
    parse_answer(client.get(f"/t/{tenant.slug}/api/v1/complaints/", headers=headers))
    for number in numbers:
        parse_answer(client.get(f"{o311}/requests/{number}.xml"))
        parse_answer(client.get(f"{o311}/requests/{number}.json"))
        parse_answer(client.get(f"/t/{tenant.slug}/api/v1/complaints/{number}", headers=headers))
        parse_answer(client.get(f"/t/{tenant.slug}/complaints/track/{number}"))
    return numbers


@pytest.mark.parametrize("intake", sorted(INTAKES))
def test_every_intake_stores_clean_text_and_every_answer_parses(app, client, open_tenant, token_for_tenant, intake):
    token = token_for_tenant(open_tenant, "complaints:read", "complaints:write")
    accepted = {}
    for name, text in CORPUS.items():
        response = INTAKES[intake](client, open_tenant, text, token=token)
        parse_answer(response)  # its own answer: JSON, XML or the page, never a 500
        accepted[name] = response.status_code < 400
    # what every intake takes: all but the 10k-character text, which the length limits refuse
    assert {n for n, ok in accepted.items() if not ok} <= {"10k characters"}, accepted
    texts = stored_texts(app, open_tenant)
    assert texts and all(is_clean(t) for t in texts)
    for name, text in CORPUS.items():
        if accepted[name]:
            want = expected(text, form=intake in FORMS)[:60].strip()
            assert any(want in t for t in texts), (name, want)
    if intake not in FORMS:
        assert "Sampah menumpuk \ufffd di depan pasar" in "\n".join(texts)  # half an emoji: replaced
    assert "Café Losari" in "\n".join(texts)  # NFC
    assert len(read_everything(client, open_tenant, token)) == sum(accepted.values())


@pytest.mark.parametrize("intake", ["api", "sms", "chat"])
def test_json_bodies_that_are_not_utf8_are_400_with_a_code(app, client, open_tenant, token_for_tenant, intake):
    body = b'{"category": "SAMPAH", "from": "081234567891", "message_id": "x", "text": "LAPOR ' + NON_UTF8 + b'"}'
    if intake == "api":
        token = token_for_tenant(open_tenant, "complaints:write")
        response = client.post(f"/t/{open_tenant.slug}/api/v1/complaints/", data=body,
                               content_type="application/json", headers={"Authorization": f"Bearer {token}"})
    elif intake == "sms":
        response = _signed(client, f"/t/{open_tenant.slug}/sms/inbound", body, "sms-secret")
    else:
        response = _signed(client, f"/t/{open_tenant.slug}/api/v1/complaints/webhook/social", body, "chat-secret")
    assert response.status_code == 400 and parse_answer(response)["error"]["code"] == "invalid_encoding"
    assert stored_texts(app, open_tenant) == []


def test_form_bytes_that_are_not_utf8_are_kept_as_visible_escapes(app, client, open_tenant):
    body = (b"category=SAMPAH&district=MRS&village=MRS-BTN&address=Jl.+Nuri&description="
            + b"Sampah+%FF%FE%ED%A0%BD+menumpuk+di+depan+pasar%00")
    response = client.post(f"/t/{open_tenant.slug}/complaints/new", data=body,
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    (description, *_rest) = stored_texts(app, open_tenant)
    assert description == "Sampah %FF%FE%ED%A0%BD menumpuk di depan pasar"


def test_open311_json_post_with_hostile_text(client, open_tenant, token_for_tenant):
    token = token_for_tenant(open_tenant, "complaints:write")
    for text in CORPUS.values():
        parse_answer(via_open311(client, open_tenant, text, token, fmt="json"))


def test_multipart_bytes_that_are_not_utf8_become_replacement_characters(app, client, open_tenant):
    fields = {"category": b"SAMPAH", "district": b"MRS", "village": b"MRS-BTN", "address": b"Jl. Nuri",
              "description": b"Sampah \xff\xfe\xed\xa0\xbd menumpuk\x00 di depan pasar\xef\xbf\xbf"}
    body = b"".join(b'--B\r\nContent-Disposition: form-data; name="' + k.encode() + b'"\r\n\r\n' + v + b"\r\n"
                    for k, v in fields.items()) + b"--B--\r\n"
    response = client.post(f"/t/{open_tenant.slug}/complaints/new", data=body,
                           content_type="multipart/form-data; boundary=B")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    (description, *_rest) = stored_texts(app, open_tenant)
    assert is_clean(description) and description.startswith("Sampah \ufffd")
    assert description.endswith(" menumpuk di depan pasar")
