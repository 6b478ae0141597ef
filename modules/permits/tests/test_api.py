"""The payment provider's callback: signed per tenant, idempotent, refusing a bad signature, another
tenant's invoice, a wrong amount; and the application read by token."""
from __future__ import annotations

import json
import time

from core.kit import Actor, User, db, sign_webhook, tenant_scope

from .. import services
from .conftest import SETTINGS
from .test_services import draft

PATH = "/api/v1/permits/payments/callback"


def invoiced(app, tenant, people) -> tuple[str, int, str]:
    """An application approved by its three stages: (payment code, fee, reference)."""
    def who(email):
        return Actor.for_user(db.session.execute(db.select(User).where(User.email == email)).scalar_one(), tenant)

    with app.app_context():
        citizen = who(people["citizen"])
        application = draft(tenant, citizen)
        services.submit(tenant, citizen, application.id)
        for step, name in enumerate(("intake", "pu", "admin")):
            services.approve_stage(tenant, who(people[name]), application.id, step)
        with tenant_scope(tenant):
            result = application.payment_code, application.fee_amount, application.reference
        db.session.commit()
    return result


def post(client, tenant, body: dict, secret="bayar-rahasia", key="trx-1"):
    raw = json.dumps(body).encode()
    stamp = str(int(time.time()))
    return client.post(f"/t/{tenant.slug}{PATH}", data=raw, content_type="application/json", headers={
        "X-Pamong-Timestamp": stamp, "X-Pamong-Signature": sign_webhook(secret, stamp, raw), "Idempotency-Key": key})


def test_a_signed_callback_records_the_payment_once(app, client, tenant, people, audit_entries):
    code, fee, reference = invoiced(app, tenant, people)
    body = {"payment_code": code, "amount": fee, "reference": "BANK-1"}
    first = post(client, tenant, body)
    assert first.status_code == 200, first.get_data(as_text=True)
    assert first.get_json() == {"reference": reference, "status": "approved", "oss_code": "33"}
    assert post(client, tenant, body).get_json() == first.get_json()             # the same key: replayed
    assert post(client, tenant, body, key="trx-2").status_code == 200           # another key: still one payment
    assert len(audit_entries(tenant, "permits.paid")) == 1
    assert len([e for e in audit_entries(tenant) if e["action"] == "ledger.single"]) == 1


def test_a_bad_signature_another_tenants_invoice_or_a_wrong_amount_is_refused(
        app, client, tenant, people, make_tenant, audit_entries):
    code, fee, _ = invoiced(app, tenant, people)
    body = {"payment_code": code, "amount": fee}
    bad = post(client, tenant, body, secret="wrong")
    assert bad.status_code == 401 and bad.get_json()["error"]["code"] == "bad_signature"
    other = make_tenant(SETTINGS, secret="lain")
    theirs = post(client, other, body, secret="lain")
    assert theirs.status_code == 404 and theirs.get_json()["error"]["code"] == "unknown_invoice"
    wrong = post(client, tenant, {**body, "amount": fee - 1}, key="trx-9")
    assert wrong.status_code == 400 and wrong.get_json()["error"]["code"] == "amount_mismatch"
    junk = post(client, tenant, {"payment_code": code}, key="trx-10")
    assert junk.status_code == 400 and junk.get_json()["error"]["code"] == "bad_request"
    assert audit_entries(tenant, "permits.paid") == []


def test_the_application_is_read_by_token_with_its_oss_code(app, client, tenant, people, create_token):
    _, _, reference = invoiced(app, tenant, people)
    token = {"Authorization": f"Bearer {create_token(tenant, 'permits:read')}"}
    got = client.get(f"/t/{tenant.slug}/api/v1/permits/applications/{reference}", headers=token)
    assert got.status_code == 200 and got.get_json()["oss_code"] == "30"
    assert client.get(f"/t/{tenant.slug}/api/v1/permits/applications/REG/X/1", headers=token).status_code == 404
    assert client.get(f"/t/{tenant.slug}/api/v1/permits/applications/{reference}").status_code == 401


def test_a_bad_body_is_bad_request_from_the_documenting_model_and_nothing_is_recorded(
        app, client, tenant, people, audit_entries):
    """The body is checked by ``PaymentNotice`` itself (issue 19.7): each shape problem is 400
    ``bad_request`` naming the field; the invoice stays unpaid."""
    code, fee, reference = invoiced(app, tenant, people)
    good = {"payment_code": code, "amount": fee, "reference": "BANK-7"}
    cases = [
        ({**good, "amount": str(fee)}, "amount"),
        ({**good, "amount": float(fee)}, "amount"),
        ({**good, "amount": True}, "amount"),
        ({k: v for k, v in good.items() if k != "amount"}, "amount"),
        ({**good, "payment_code": int(code)}, "payment_code"),
        ({k: v for k, v in good.items() if k != "payment_code"}, "payment_code"),
        ({**good, "reference": "R" * 101}, "reference"),
        ({**good, "reference": 7}, "reference"),
    ]
    for n, (body, field) in enumerate(cases):
        refused = post(client, tenant, body, key=f"bad-{n}")
        error = refused.get_json()["error"]
        assert (refused.status_code, error["code"]) == (400, "bad_request"), (body, error)
        assert error["message"].startswith(f"{field}:"), error
    for n, raw in enumerate((b"[1, 2]", b"{not json")):
        stamp = str(int(time.time()))
        refused = client.post(f"/t/{tenant.slug}{PATH}", data=raw, content_type="application/json", headers={
            "X-Pamong-Timestamp": stamp, "X-Pamong-Signature": sign_webhook("bayar-rahasia", stamp, raw),
            "Idempotency-Key": f"raw-{n}"})
        assert (refused.status_code, refused.get_json()["error"]["code"]) == (400, "bad_request")
    assert audit_entries(tenant, "permits.paid") == []
    with app.app_context(), tenant_scope(tenant):
        from ..models import Application

        assert db.session.execute(db.select(Application.paid_at).where(
            Application.reference == reference)).scalar_one() is None
    # a null reference is as good as none
    paid = post(client, tenant, {**good, "reference": None}, key="good")
    assert paid.status_code == 200 and paid.get_json()["reference"] == reference


def test_a_second_payment_of_a_paid_invoice_is_refused_and_audited(app, client, tenant, people, audit_entries):
    """Issue 15 trial: a second payment (a new provider transaction, another reference) for an invoice
    already paid answered 200 and was recorded nowhere. Now 409 ``already_paid``, audited with the
    invoice, the reference and the amount; the same key still replays the stored answer, and the same
    payment told again (its own reference) still answers 200."""
    code, fee, reference = invoiced(app, tenant, people)
    assert post(client, tenant, {"payment_code": code, "amount": fee, "reference": "BANK-1"}).status_code == 200
    body = {"payment_code": code, "amount": fee, "reference": "BANK-2"}
    second = post(client, tenant, body, key="trx-2")
    assert second.status_code == 409, second.get_data(as_text=True)
    assert second.get_json()["error"]["code"] == "already_paid"
    replay = post(client, tenant, body, key="trx-2")
    assert replay.status_code == 409 and replay.get_json() == second.get_json()   # the stored answer
    entries = audit_entries(tenant, "permits.second_payment")
    assert len(entries) == 1   # the replay is not a new attempt
    assert entries[0]["summary"]["after"] == {"payment_code": code, "amount": fee, "reference": "BANK-2",
                                   "paid_reference": "BANK-1"}
    again = post(client, tenant, {"payment_code": code, "amount": fee, "reference": "BANK-1"}, key="trx-3")
    assert again.status_code == 200 and again.get_json()["reference"] == reference   # the first payment again
    assert len(audit_entries(tenant, "permits.paid")) == 1
    assert len([e for e in audit_entries(tenant) if e["action"] == "ledger.single"]) == 1


def test_a_callback_for_an_invoice_paid_at_the_counter_is_refused_and_audited(app, client, tenant, people,
                                                                            audit_entries):
    from .. import payments

    code, fee, _reference = invoiced(app, tenant, people)
    with app.app_context():
        cashier = Actor.for_user(db.session.execute(db.select(User).where(User.email == people["intake"]))
                                 .scalar_one(), tenant)
        payments.record_payment(tenant, cashier, code, fee, "KAS-7")
        db.session.commit()
    late = post(client, tenant, {"payment_code": code, "amount": fee, "reference": "VA-88"}, key="va-88")
    assert late.status_code == 409 and late.get_json()["error"]["code"] == "already_paid"
    entries = audit_entries(tenant, "permits.second_payment")
    assert [e["summary"]["after"] for e in entries] == [{"payment_code": code, "amount": fee, "reference": "VA-88",
                                              "paid_reference": "KAS-7"}]
    assert "webhook:payment" in entries[0]["actor"]
    assert len(audit_entries(tenant, "permits.paid")) == 1
    assert len([e for e in audit_entries(tenant) if e["action"] == "ledger.single"]) == 1
