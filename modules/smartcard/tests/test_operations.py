"""Money on the card through the core ledger: every rule of the issue, on SQLite and PostgreSQL."""
import pytest

from core.kit import db, ledger

from .. import services
from ..errors import CardError
from .helpers import CARD, CARD2, NIK, SETTINGS, system


@pytest.fixture
def tenant(app_ctx, create_tenant):
    return create_tenant(modules={"smartcard": SETTINGS})


def _issue(tenant, number=CARD, registered=False, topup=0):
    actor = system(tenant)
    holder = services.create_holder(tenant, actor, "Daeng Ngai", nik=NIK if registered else None)
    services.issue_card(tenant, actor, number, holder)
    if topup:
        services.top_up(tenant, actor, f"ref-{number}", number, topup)
    db.session.commit()


def _refused(code, fn, *args, **kw):
    with pytest.raises((CardError, ledger.LedgerError)) as caught:
        fn(*args, **kw)
    db.session.rollback()
    assert caught.value.code == code
    return caught.value


def test_top_up_pay_with_fee_split_and_balance(tenant, audit_entries):
    _issue(tenant, topup=100_000)
    legs = services.pay(tenant, system(tenant), "pay-1", CARD, "pasar-terong", 25_000)
    assert [(t.key, t.amount) for t in legs] == [("pay-1", 24_750), ("pay-1.fee", 250)]
    assert legs[0].linked == legs[1].linked == "pay-1"
    db.session.commit()
    assert services.balance(tenant, CARD).as_json() == {"card": CARD, "balance": 75_000, "held": 0, "available": 75_000}
    assert ledger.get_account(tenant, "merchant.pasar-terong").credits_posted == 24_750
    assert ledger.get_account(tenant, "fees.smartcard").credits_posted == 250
    assert [e["action"] for e in audit_entries(tenant, "smartcard.card.issue")] == ["smartcard.card.issue"]
    assert len(audit_entries(tenant, "ledger.single")) == 3  # the top-up and both legs
    assert ledger.check([tenant]) == []


def test_the_same_id_pays_once(tenant):
    _issue(tenant, topup=50_000)
    first = services.pay(tenant, system(tenant), "pay-1", CARD, "bus-1", 4_000)
    again = services.pay(tenant, system(tenant), "pay-1", CARD, "bus-1", 4_000)
    assert [t.id for t in first] == [t.id for t in again]
    db.session.commit()
    assert services.balance(tenant, CARD).balance == 46_000
    _refused("id_reused", services.pay, tenant, system(tenant), "pay-1", CARD, "bus-1", 5_000)


@pytest.mark.parametrize("amount,code", [(-5, "amount_not_positive"), (0, "amount_not_positive"),
                                         (12.5, "amount_not_integer"), (1000.0, "amount_not_integer"),
                                         ("1000", "amount_not_integer"), (True, "amount_not_integer")])
def test_bad_amounts_are_refused_and_nothing_moves(tenant, amount, code):
    _issue(tenant, topup=10_000)
    _refused(code, services.pay, tenant, system(tenant), "pay-x", CARD, "bus-1", amount)
    _refused(code, services.top_up, tenant, system(tenant), "ref-x", CARD, amount)
    assert services.balance(tenant, CARD).balance == 10_000
    assert ledger.check([tenant]) == []


def test_a_wallet_never_goes_below_zero(tenant):
    _issue(tenant, topup=10_000)
    _refused("exceeds_credits", services.pay, tenant, system(tenant), "pay-1", CARD, "pasar-terong", 10_001)
    services.hold(tenant, system(tenant), "hold-1", CARD, "parkir-losari", 8_000)
    db.session.commit()
    _refused("exceeds_credits", services.pay, tenant, system(tenant), "pay-2", CARD, "bus-1", 2_001)
    assert services.balance(tenant, CARD).as_json() == {"card": CARD, "balance": 10_000, "held": 8_000,
                                                        "available": 2_000}


def test_balance_limits_follow_registration(tenant):
    _issue(tenant, topup=2_000_000)
    _refused("exceeds_limit", services.top_up, tenant, system(tenant), "ref-2", CARD, 1)
    _issue(tenant, CARD2, registered=True, topup=10_000_000)
    _refused("exceeds_limit", services.top_up, tenant, system(tenant), "ref-3", CARD2, 1)
    assert services.balance(tenant, CARD2).balance == 10_000_000
    assert ledger.check([tenant]) == []


def test_hold_capture_void_and_their_refusals(tenant):
    _issue(tenant, topup=50_000)
    actor = system(tenant)
    services.hold(tenant, actor, "gate-in-1", CARD, "parkir-losari", 10_000)
    db.session.commit()
    _refused("post_exceeds_pending", services.capture, tenant, actor, "gate-out-1", "gate-in-1", 10_001)
    services.capture(tenant, actor, "gate-out-1", "gate-in-1", 6_000)
    db.session.commit()
    assert services.balance(tenant, CARD).as_json()["available"] == 44_000
    services.hold(tenant, actor, "gate-in-2", CARD, "parkir-losari", 10_000)
    services.void(tenant, actor, "gate-void-2", "gate-in-2")
    db.session.commit()
    _refused("pending_already_voided", services.capture, tenant, actor, "gate-out-2", "gate-in-2", 1_000)
    _refused("pending_already_posted", services.void, tenant, actor, "gate-void-1", "gate-in-1")
    _refused("pending_not_found", services.capture, tenant, actor, "x", "no-such-hold")
    assert services.balance(tenant, CARD).as_json() == {"card": CARD, "balance": 44_000, "held": 0, "available": 44_000}
    assert ledger.check([tenant]) == []


def test_a_hold_past_its_timeout_is_voided(tenant, frozen_clock):
    _issue(tenant, topup=50_000)
    services.hold(tenant, system(tenant), "bus-in", CARD, "bus-1", 5_000, timeout=600)
    db.session.commit()
    from datetime import datetime, timedelta, timezone
    assert ledger.expire_pending(tenant, now=datetime.now(timezone.utc) + timedelta(seconds=601)) == 1
    db.session.commit()
    assert services.balance(tenant, CARD).available == 50_000


def test_refunds_never_exceed_the_payment(tenant):
    _issue(tenant, topup=100_000)
    actor = system(tenant)
    services.pay(tenant, actor, "pay-1", CARD, "pasar-terong", 20_000)  # 19,800 to the merchant, 200 fee
    services.refund(tenant, actor, "refund-1", "pay-1", 10_000)
    db.session.commit()
    _refused("refund_exceeds_payment", services.refund, tenant, actor, "refund-2", "pay-1", 9_801)
    services.refund(tenant, actor, "refund-2", "pay-1", 9_800)
    services.refund(tenant, actor, "refund-2", "pay-1", 9_800)  # the same refund again: once
    db.session.commit()
    assert services.balance(tenant, CARD).balance == 99_800
    _refused("payment_unknown", services.refund, tenant, actor, "refund-3", "nope", 1)
    assert ledger.check([tenant]) == []


def test_unknown_blocked_closed_and_replaced_cards(tenant, audit_entries):
    _issue(tenant, topup=30_000)
    actor = system(tenant)
    _refused("card_unknown", services.pay, tenant, actor, "p", "6032981099999999", "bus-1", 1)
    _refused("card_invalid", services.pay, tenant, actor, "p", "not a card", "bus-1", 1)
    services.block(tenant, actor, CARD, "hilang")
    db.session.commit()
    _refused("card_blocked", services.pay, tenant, actor, "p", CARD, "bus-1", 1)
    _refused("card_blocked", services.top_up, tenant, actor, "r", CARD, 1)
    new = services.replace(tenant, actor, CARD, CARD2)
    assert new.status == "active"
    db.session.commit()
    assert services.find_card(tenant, CARD).status == "replaced"
    assert services.balance(tenant, CARD2).balance == 30_000 and services.balance(tenant, CARD).balance == 0
    _refused("card_replaced", services.pay, tenant, actor, "p", CARD, "bus-1", 1)
    services.close(tenant, actor, CARD2, "pindah kota")
    db.session.commit()
    assert services.balance(tenant, CARD2).balance == 0
    _refused("card_closed", services.pay, tenant, actor, "p", CARD2, "bus-1", 1)
    assert [e["action"] for e in audit_entries(tenant) if e["action"].startswith("smartcard.card.")] == [
        "smartcard.card.issue", "smartcard.card.block", "smartcard.card.issue", "smartcard.card.replaced",
        "smartcard.card.closed"]
    assert ledger.check([tenant]) == []


def test_replacing_waits_for_open_holds(tenant):
    _issue(tenant, topup=30_000)
    services.hold(tenant, system(tenant), "gate", CARD, "parkir-losari", 5_000)
    db.session.commit()
    _refused("holds_pending", services.replace, tenant, system(tenant), CARD, CARD2)
    assert services.find_card(tenant, CARD).status == "active"


def test_a_transfer_to_another_tenants_account_is_refused(tenant, create_tenant):
    other = create_tenant(modules={"smartcard": SETTINGS})
    _issue(tenant, topup=10_000)
    foreign = ledger.get_account(other, "merchant.bus-1")
    _refused("cross_tenant", ledger.transfer, tenant, system(tenant), "x", f"card.{CARD}", foreign, 1_000)
    _refused("card_unknown", services.pay, other, system(other), "p", CARD, "bus-1", 1_000)
    assert services.balance(tenant, CARD).balance == 10_000
