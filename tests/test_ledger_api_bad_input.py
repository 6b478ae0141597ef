"""The issue's bad input for money, through a module's JSON API (the test module's POST
/api/v1/notes/pay with an Idempotency-Key): each one a JSON error with a stable code and the
status the ledger gives, and no rupiah moved anywhere, on both databases."""
import pytest

from core import ledger
from core.extensions import db
from core.tenancy.scope import tenant_scope
from tests.test_idempotency import pay, shop  # noqa: F401  (shop: the fixture)


def books(app, tenant):
    with app.app_context(), tenant_scope(tenant):
        accounts = db.session.execute(db.select(ledger.Account).order_by(ledger.Account.code)).scalars().all()
        count = db.session.execute(db.select(db.func.count()).select_from(ledger.Transfer)).scalar()
        return {a.code: (a.debits_posted, a.credits_posted, a.debits_pending, a.credits_pending) for a in accounts}, count


@pytest.mark.parametrize("body, code", [
    ({"amount": -1}, "amount_not_positive"),
    ({"amount": 0}, "amount_not_positive"),
    ({"amount": 10.5}, "amount_not_integer"),
    ({"amount": 100.0}, "amount_not_integer"),
    ({"amount": "1000"}, "amount_not_integer"),
    ({"amount": 10**13}, "amount_too_large"),
    ({"amount": 50_001}, "exceeds_credits"),             # the wallet holds 50,000
    ({"to": "nowhere"}, "account_unknown"),
    ({"from": "their-wallet"}, "account_unknown"),       # another tenant's account: not visible here
    ({"to": "wallet"}, "same_account"),
    ({"id": "no spaces allowed"}, "key_invalid"),
])
def test_bad_payment_is_a_json_error_and_moves_nothing(app, client, shop, create_tenant, body, code):
    tenant, _token = shop
    other = create_tenant()
    with app.app_context(), tenant_scope(other):
        ledger.open_account(other, "test", "their-wallet", "wallet")
        db.session.commit()
    before = books(app, tenant)
    response = pay(client, shop, {"id": "pay-bad", "from": "wallet", "to": "toko", "amount": 1_000, **body},
                   key=f"k-{code}")
    assert 400 <= response.status_code < 500, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["code"] == code and error["message"]
    assert books(app, tenant) == before
    # the key answered an error: the same request again gets the same answer, still nothing moved
    again = pay(client, shop, {"id": "pay-bad", "from": "wallet", "to": "toko", "amount": 1_000, **body},
                key=f"k-{code}")
    assert (again.status_code, again.get_json()) == (response.status_code, response.get_json())
    assert books(app, tenant) == before
