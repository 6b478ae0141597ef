"""Defects found by the re-trial of permits (t15b), each pinned by a test."""
from .. import payments


def test_a_callback_of_a_huge_amount_is_a_bad_request_naming_amount(app, client, tenant, people, audit_entries):
    from .test_api import invoiced, post

    code, _, _ = invoiced(app, tenant, people)
    for n, amount in enumerate((10**30, 10**12 + 1)):
        refused = post(client, tenant, {"payment_code": code, "amount": amount, "reference": "B-1"}, key=f"big-{n}")
        error = refused.get_json()["error"]
        assert (refused.status_code, error["code"]) == (400, "bad_request"), (amount, error)
        assert error["message"].startswith("amount:"), error
    assert audit_entries(tenant, "permits.paid") == []


def test_the_service_refuses_an_amount_over_the_largest_invoice(app_ctx, tenant, people, actor):
    import pytest

    from core.kit import ValidationError

    from .test_api import invoiced

    code, _, _ = invoiced(app_ctx, tenant, people)
    with pytest.raises(ValidationError) as refused:
        payments.record_payment(tenant, actor(people["admin"]), code, 10**30, "B-1")
    assert (refused.value.code, refused.value.where) == ("amount_too_large", "amount")


def test_a_counter_amount_of_too_many_digits_is_told_the_range(app, client, tenant, people, login, audit_entries):
    import re

    from .test_number_inputs import EN, _cashier_page

    aid, _ = _cashier_page(app, client, tenant, people, login)
    for text in ("99999999999999", "1000000000001", "9" * 5000):
        sent = client.post(f"/t/{tenant.slug}/permits/applications/{aid}/pay",
                           data={"amount": text, "reference": "K-1"}, headers=EN)
        said = re.search(r'id="amount-err"[^>]*>(.*?)</', sent.get_data(as_text=True), flags=re.S)[1]
        assert sent.status_code == 400 and "from 1 to" in said and "only digits" not in said, (text[:20], said)
    assert audit_entries(tenant, "permits.paid") == []


def test_a_draft_sent_again_from_a_second_tab_is_told_already_sent(app, client, tenant, people, login):
    from .test_review15c import _draft_with_files

    aid = _draft_with_files(app, tenant, people)   # sent (from the first tab)
    login(client, people["citizen"], tenant)
    base = f"/t/{tenant.slug}/permits/applications/{aid}"
    for lang, said in (("id", "Permohonan ini sudah dikirim."), ("en", "This application was already submitted.")):
        sent = client.post(f"{base}/edit", data={"name": "Andi", "send": "1"}, headers={"Accept-Language": lang},
                           follow_redirects=True)
        assert sent.status_code == 200 and said in sent.get_data(as_text=True), lang
