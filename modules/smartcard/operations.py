"""Money on the card, as transfers on the core ledger (``core.kit.ledger``, TigerBeetle's rules):
top-up, pay (with the merchant's fee split off as a linked leg, all or nothing), hold / capture /
void (a gate or bus entry; a hold past its timeout is voided by the core's job), refund, balance.

Amounts are positive ``int`` rupiah (a float, a string, a bool or anything below 1 is refused by the
ledger: ``amount_not_integer`` / ``amount_not_positive``). ``key`` is the transfer's id and its
idempotency key: the same call again returns the first transfer; another call under the same key is
``id_reused``. A wallet never goes below zero (``exceeds_credits``, in the module's words: the
card's balance is not enough) nor above its holder's limit
(``exceeds_limit``). Refusals raise ``CardError`` or ``ledger.LedgerError`` before anything the caller
commits; the caller commits (or rolls back when it raised). Every transfer is audited by the ledger.
"""
from __future__ import annotations

from dataclasses import dataclass

from core.kit import db, gettext as _, ledger, tenant_scope, write_lock

from .cards import check_limit, find_card, usable, wallet_balance
from .errors import CardError
from .models import FEES, QRIS_SETTLEMENT, SETTLEMENT, account_code
from .settings_access import merchant_of, open_accounts, settings


@dataclass
class Balance:
    card: str
    balance: int  # rupiah posted
    held: int  # rupiah reserved by open holds
    available: int  # balance - held: what a payment may take

    def as_json(self) -> dict:
        return {"card": self.card, "balance": self.balance, "held": self.held, "available": self.available}


def _opening(tenant, actor, write):
    """``write()``; when it names a merchant account the ledger has not opened yet (a merchant added
    to the settings since), open the settings' accounts and write again."""
    try:
        return write()
    except ledger.LedgerError as exc:
        if exc.code != "account_unknown":
            raise
    open_accounts(tenant, actor)
    return write()


def _short(write, debited: str = "card"):
    """``write()``; the ledger's ``exceeds_credits`` names its account code (``card.6032...``): said
    in the module's words instead (the ``debited`` card's balance or merchant's takings, the field
    ``amount``), with the same code."""
    try:
        return write()
    except ledger.LedgerError as exc:
        if exc.code != "exceeds_credits":
            raise
    if debited == "merchant":
        raise CardError("exceeds_credits", _("The merchant's takings are not enough for this refund."), "amount")
    raise CardError("exceeds_credits", _("The card's balance is not enough."), "amount")


def balance(tenant, number: str, *, known: bool = False) -> Balance:
    """The card's balance; ``known``: the number was just checked (a payment's answer), so the
    card row is not read again."""
    card_number = number if known else find_card(tenant, number).number
    account = ledger.get_account(tenant, f"card.{card_number}")
    posted = account.credits_posted - account.debits_posted
    return Balance(card_number, posted, account.debits_pending, posted - account.debits_pending)


def top_up(tenant, actor, reference: str, number: str, amount: int):
    """The bank credited the card (its callback names ``reference``): settlement -> wallet."""
    card = usable(find_card(tenant, number))
    transfer = _opening(tenant, actor, lambda: ledger.transfer(
        tenant, actor, f"topup.{reference}", SETTLEMENT, card.wallet_code, amount, memo=f"topup {card.number}"))
    check_limit(tenant, card)
    return transfer


def fee_of(merchant: dict, amount: int) -> int:
    """The merchant's fee on a payment: ``fee_bps`` basis points of ``amount``, rounded down."""
    return amount * merchant.get("fee_bps", 0) // 10_000 if isinstance(amount, int) else 0


def pay(tenant, actor, key: str, number: str, merchant: str, amount: int, *, card=None, wallet=None) -> list:
    """The card pays ``merchant`` ``amount`` rupiah: wallet -> merchant (``key``), and, when the
    merchant has a fee, wallet -> fees (``key.fee``) in the same transaction, linked (both name
    ``key`` as their chain) and all or nothing: a leg refused raises, and the caller's rollback
    undoes the other. Each
    leg is one transfer on the ledger's short-lock path (``core/ledger/fast.py``: two statements).
    ``card`` / ``wallet`` (the ``Card`` row and its ledger ``Account``) when the caller has read them
    already (the terminal API reads both with the terminal in one statement); the wallet's
    ``Account`` then shows the balances after the payment."""
    card = usable(card if card is not None else find_card(tenant, number))
    m = merchant_of(tenant, merchant)
    if isinstance(amount, bool) or not isinstance(amount, int):  # refused by the ledger in its words
        fee = 0
    else:
        fee = fee_of(m, amount)
    memo = f"pay {card.number} {merchant}"
    source = wallet if wallet is not None else card.wallet_code
    legs = [(key, account_code(merchant), amount - fee if fee else amount)]
    if fee:
        legs.append((f"{key}.fee", FEES, fee))

    def write():
        chain = key if len(legs) > 1 else None  # the journal shows the legs linked, as ledger.linked writes them
        return [ledger.transfer(tenant, actor, k, source, credit, part, memo=memo, linked=chain)
                for k, credit, part in legs]
    return _short(lambda: _opening(tenant, actor, write))


def hold(tenant, actor, key: str, number: str, merchant: str, amount: int, timeout: int | None = None):
    """Reserve ``amount`` for ``merchant`` (a parking gate, a bus entry) until captured or voided,
    at most ``timeout`` seconds (default: the tenant's ``hold_timeout``)."""
    card = usable(find_card(tenant, number))
    merchant_of(tenant, merchant)
    return _short(lambda: _opening(tenant, actor, lambda: ledger.transfer(
        tenant, actor, key, card.wallet_code, account_code(merchant), amount, pending=True,
        timeout=timeout or settings(tenant)["hold_timeout"], memo=f"hold {card.number} {merchant}")))


def _hold_of(tenant, hold_key: str, merchant: str | None):
    with tenant_scope(tenant):
        held = db.session.execute(db.select(ledger.Transfer).where(
            ledger.Transfer.key == hold_key, ledger.Transfer.kind == "pending")).scalar_one_or_none()
    if held is None or (merchant is not None and held.credit_account_id != ledger.get_account(
            tenant, account_code(merchant)).id):
        raise ledger.LedgerError("pending_not_found", _("No pending transfer with this id."), "hold")
    return held


def capture(tenant, actor, key: str, hold_key: str, amount: int | None = None, merchant: str | None = None):
    """Post the hold for ``amount`` (at most what it holds; default all of it): the exit gate's fare."""
    _hold_of(tenant, hold_key, merchant)
    return ledger.post(tenant, actor, key, hold_key, amount, memo=f"capture {hold_key}")


def void(tenant, actor, key: str, hold_key: str, merchant: str | None = None):
    """Release the hold without moving anything."""
    _hold_of(tenant, hold_key, merchant)
    return ledger.void(tenant, actor, key, hold_key, memo=f"void {hold_key}")


def refund(tenant, actor, key: str, payment_key: str, amount: int, merchant: str | None = None):
    """Give back up to what the payment ``payment_key`` moved to its merchant (its fee stays):
    merchant -> wallet, memo ``refund <payment key>``. Several refunds may not add up to more than
    the payment (``refund_exceeds_payment``); the refunds of one payment are serialised."""
    with tenant_scope(tenant):
        paid = db.session.execute(db.select(ledger.Transfer).where(
            ledger.Transfer.key == payment_key, ledger.Transfer.kind == "single")).scalar_one_or_none()
        if paid is None or not paid.memo.startswith("pay ") or (
                merchant is not None and paid.memo.split(" ")[2] != merchant):
            raise CardError("payment_unknown", _("No payment with this id."), "payment")
        number, paid_to = paid.memo.split(" ")[1:]
        write_lock(db.session, key="smartcard.refund", ident=paid.id)
        memo = f"refund {payment_key}"
        done = db.session.execute(db.select(ledger.Transfer).where(ledger.Transfer.memo == memo)).scalars().all()
        if any(t.key == key for t in done):  # the same refund again: the ledger answers the replay
            return ledger.transfer(tenant, actor, key, account_code(paid_to), f"card.{number}", amount, memo=memo)
        if isinstance(amount, int) and not isinstance(amount, bool) and sum(t.amount for t in done) + amount > paid.amount:
            raise CardError("refund_exceeds_payment", _("The refunds would exceed the payment."), "amount")
    card = usable(find_card(tenant, number))
    transfer = _short(lambda: ledger.transfer(tenant, actor, key, account_code(paid_to), card.wallet_code, amount,
                                              memo=memo), "merchant")
    check_limit(tenant, card)
    return transfer


def qris_paid(tenant, actor, reference: str, merchant: str, amount: int):
    """A QRIS payment from any bank's app reached ``merchant``: QRIS settlement -> merchant."""
    merchant_of(tenant, merchant)
    return _opening(tenant, actor, lambda: ledger.transfer(
        tenant, actor, f"qris.{reference}", QRIS_SETTLEMENT, account_code(merchant), amount, memo=f"qris {merchant}"))


__all__ = ["Balance", "balance", "capture", "fee_of", "hold", "pay", "qris_paid", "refund", "top_up", "void",
           "wallet_balance"]
