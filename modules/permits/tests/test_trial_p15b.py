"""What a second trial of the permits found (issue 15, p15b): an application awaiting payment kept its
old deadline and was listed overdue; "Dicabut" for both withdrawn and revoked; a counter payment with
no receipt number written "counter" in the Indonesian timeline; the register found a permit only by
its exact upper-case number; a callback of a negative amount answered with an amount mismatch."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from core.kit import calendar_of, db, tenant_scope

from .. import payments, queries
from .conftest import AGENCIES, REKLAME, SETTINGS, invoice, user_actor
from .test_every_problem import billboard  # noqa: F401  (a fixture)
from .test_sla_semantics import end_of, local, nth_after, touched


def test_an_invoice_waiting_for_payment_has_no_deadline_and_the_days_left_run_again_when_paid(
        app_ctx, make_tenant, create_user, frozen_clock):
    tenant = make_tenant(dict(SETTINGS, types=[REKLAME]))
    citizen = user_actor(create_user(tenant, "citizen"), tenant)
    officer = user_actor(create_user(tenant, "officer", agency="DPM"), tenant)
    cal = calendar_of(tenant)
    submitted = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)   # a Monday in Makassar
    frozen_clock.set(submitted)
    application, code = invoice(tenant, citizen, officer, "REK", 10)   # approved the same day: invoiced
    due = nth_after(cal, local(submitted), REKLAME["sla_days"])
    with tenant_scope(tenant):
        assert application.status == "awaiting_payment" and application.due_at is None
    frozen_clock.set(submitted + timedelta(days=20))   # long past the deadline it had
    with tenant_scope(tenant):
        assert queries.queue(tenant, overdue=True).items == []
        assert [a.id for a in queries.queue(tenant).items] == [application.id]
    paid_on = frozen_clock.now
    payments.record_payment(tenant, officer, code, 150_000, "KAS-9")
    with tenant_scope(tenant):
        db.session.refresh(application)
        # resumed: the deadline moved on by the working days waited, as after asking the applicant
        assert application.due_at.astimezone(timezone.utc) == end_of(
            nth_after(cal, due, touched(cal, local(submitted), local(paid_on))))
        assert application.due_at.astimezone(timezone.utc) > paid_on


def test_withdrawn_is_ditarik_and_dicabut_only_a_revoked_permit():
    from pathlib import Path

    from babel.messages.pofile import read_po

    path = Path(__file__).parents[1] / "translations" / "id" / "LC_MESSAGES" / "permits.po"
    with path.open("rb") as f:
        catalogue = read_po(f)
    withdraw = {m.id: m.string for m in catalogue if m.id and "withdr" in str(m.id).lower()}
    assert len(withdraw) >= 6
    for english, indonesian in withdraw.items():
        if "revoked" not in english:
            assert "arik" in indonesian.lower() and "cabut" not in indonesian.lower(), (english, indonesian)
    assert catalogue["Withdrawn"].string == "Ditarik" and catalogue["Revoked"].string == "Dicabut"


def test_a_counter_payment_without_receipt_number_reads_in_the_readers_language(app, client, billboard, login):
    from .test_every_problem import EN

    tenant, people, aid, code = billboard
    base = f"/t/{tenant.slug}/permits/applications/{aid}"
    login(client, people["colleague"], tenant)
    assert client.post(f"{base}/pay", data={"amount": "150000", "reference": ""}).status_code == 302
    indonesian = client.get(base).get_data(as_text=True)
    assert "Di loket, tanpa nomor kuitansi" in indonesian and "counter" not in indonesian.split('class="timeline"')[1]
    assert "At the counter, no receipt number" in client.get(base, headers=EN).get_data(as_text=True)


def test_the_register_finds_a_permit_number_typed_in_lower_case_with_spaces(app, tenant, people, signer):
    from .test_permit_status import issued

    aid, number, _ = issued(app, tenant, people)
    assert number != number.lower()
    with app.app_context():
        for typed in (number, number.lower(), f"  {number.lower()} "):
            assert [a.id for a in queries.register(tenant, q=typed).items] == [aid], typed
        assert queries.register(tenant, q=number.lower()[:-1]).items == []   # the whole number, not a part


def test_a_callback_of_a_negative_or_zero_amount_is_a_bad_request_not_a_mismatch(app, client, tenant, people,
                                                                                 audit_entries):
    from .test_api import invoiced, post

    code, fee, _ = invoiced(app, tenant, people)
    for n, amount in enumerate((-5, 0, -fee)):
        refused = post(client, tenant, {"payment_code": code, "amount": amount, "reference": "B-1"}, key=f"neg-{n}")
        error = refused.get_json()["error"]
        assert (refused.status_code, error["code"]) == (400, "bad_request"), (amount, error)
        assert error["message"].startswith("amount:") and "Rp" not in error["message"], error
    assert audit_entries(tenant, "permits.paid") == []


def test_the_service_refuses_a_payment_of_no_rupiah(app_ctx, tenant, people, actor):
    import pytest

    from core.kit import ValidationError

    from .test_api import invoiced

    code, _, _ = invoiced(app_ctx, tenant, people)
    with pytest.raises(ValidationError) as refused:
        payments.record_payment(tenant, actor(people["admin"]), code, -5, "B-1")
    assert refused.value.code == "amount_not_positive"
