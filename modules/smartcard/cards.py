"""Cards and holders of a tenant: issue, link to a citizen (NIK) or an employee (NIP), block,
unblock, replace (the balance moves to the new card), close (the balance is paid out), and the
entitlements an access card carries. Functions of ``(tenant, actor, ...)``; the caller commits.
Every change is audited (``smartcard.card.*``)."""
from __future__ import annotations

import functools
import re

from core.kit import (
    audit, db, for_change, gettext as _, identity_lookup, ledger, rupiah, tenant_scope, token_named,
    utcnow, within_tenant,
)

from .errors import CardError
from .models import SETTLEMENT, Card, Holder, Terminal
from .settings_access import limit_of

def _in_scope(fn):
    """Run ``fn(tenant, ...)`` inside the tenant's scope, so the rows it changes are flushed there
    (Row Level Security on PostgreSQL sees them)."""
    @functools.wraps(fn)
    def wrapper(tenant, *args, **kw):
        with tenant_scope(tenant):
            return fn(tenant, *args, **kw)
    return wrapper


_NUMBER = re.compile(r"[0-9]{16}")
_ENTITLEMENT = re.compile(r"[a-z][a-z0-9_.-]{0,31}")


def normalise_number(number) -> str:
    """A card number: 16 digits (spaces and dashes as printed are dropped); else ``card_invalid`` (a
    number that cannot be a card's, as ``amount_invalid`` / ``id_invalid``; ``card_unknown`` is a
    well-formed number no card of the tenant has)."""
    text = re.sub(r"[\s-]", "", number) if isinstance(number, str) else ""
    if not _NUMBER.fullmatch(text):
        raise CardError("card_invalid", _("A card number is 16 digits."), "card")
    return text


def find_card(tenant, number, *, lock: bool = False) -> Card:
    """The card ``number`` of ``tenant`` (``card_unknown`` if none); ``lock`` reads it for change."""
    number = normalise_number(number)
    with tenant_scope(tenant):
        query = db.select(Card).where(Card.number == number)
        card = db.session.execute(for_change(query, Card) if lock else query).scalar_one_or_none()
    if card is None:
        raise CardError("card_unknown", _("No card with this number."), "card")
    return card


def usable(card: Card) -> Card:
    """The card if it may pay or be topped up; else ``card_blocked`` / ``card_closed`` / ``card_replaced``."""
    if card.status != "active":
        messages = {"blocked": _("This card is blocked."), "closed": _("This card is closed."),
                    "replaced": _("This card was replaced by another.")}
        raise CardError(f"card_{card.status}", messages[card.status], "card")
    return card


def create_holder(tenant, actor, name: str, *, kind: str = "citizen", nik: str | None = None,
                  nip: str | None = None, user_id: int | None = None, entitlements=()) -> Holder:
    """A holder; ``nik`` / ``nip`` are checked by the core's identity rules (``IdentityError``,
    a ``ValidationError``) and stored encrypted. A holder with either is *registered*."""
    if kind not in ("citizen", "employee"):
        raise CardError("holder_invalid", _("A holder is a citizen or an employee."), "kind")
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise CardError("holder_invalid", _("Give the holder's name (at most 120 characters)."), "name")
    with tenant_scope(tenant):
        holder = Holder(kind=kind, name=name, user_id=user_id)
        holder.nik = nik or None
        holder.nip = nip or None
        holder.entitlements = _entitlements(entitlements)
        db.session.add(holder)
        db.session.flush()
        audit(tenant, actor, "smartcard.holder.create", "smartcard_holder", holder.id,
              after={"kind": kind, "registered": holder.registered, "entitlements": holder.entitlements})
    return holder


def holder_for(tenant, actor, kind: str, name: str, *, nik: str | None = None, nip: str | None = None,
               user_id: int | None = None) -> Holder:
    """The holder a card is linked to: a citizen by NIK or an employee by NIP (required, checked by
    the core's identity rules: ``IdentityError`` with ``where`` ``nik`` / ``nip``). A holder of the
    tenant with the same number (found by its keyed hash) is reused, so one person's cards share a
    holder; otherwise a new one named ``name`` (``holder_invalid``)."""
    if kind not in ("citizen", "employee"):
        raise CardError("holder_invalid", _("A holder is a citizen or an employee."), "kind")
    source, number = ("nik", nik) if kind == "citizen" else ("nip", nip)
    if not (number or "").strip():
        raise CardError("holder_invalid", _("Give the citizen's NIK.") if kind == "citizen"
                        else _("Give the employee's NIP."), source)
    digest = identity_lookup(source, number)
    column = Holder.nik_hash if source == "nik" else Holder.nip_hash
    with tenant_scope(tenant):
        found = db.session.execute(db.select(Holder).where(column == digest, Holder.kind == kind)
                                   .order_by(Holder.id).limit(1)).scalar_one_or_none()
    if found is not None:
        if user_id is not None and found.user_id != user_id:
            before, found.user_id = found.user_id, user_id
            with tenant_scope(tenant):
                audit(tenant, actor, "smartcard.holder.account", "smartcard_holder", found.id,
                      before={"user": before}, after={"user": user_id})
        return found
    return create_holder(tenant, actor, name, kind=kind, nik=number if source == "nik" else None,
                         nip=number if source == "nip" else None, user_id=user_id)


def _entitlements(values) -> list[str]:
    out = []
    for value in values or ():
        if not isinstance(value, str) or not _ENTITLEMENT.fullmatch(value):
            raise CardError("holder_invalid", _("An entitlement is a short lower-case code such as 'library'."),
                            "entitlements")
        out.append(value)
    return out


@_in_scope
def set_entitlements(tenant, actor, holder: Holder, entitlements) -> Holder:
    before = holder.entitlements
    holder.entitlements = _entitlements(entitlements)
    with tenant_scope(tenant):
        audit(tenant, actor, "smartcard.holder.entitlements", "smartcard_holder", holder.id,
              before={"entitlements": before}, after={"entitlements": holder.entitlements})
    return holder


def issue_card(tenant, actor, number: str, holder: Holder | None = None) -> Card:
    """A new active card with its wallet on the ledger (never below zero)."""
    number = normalise_number(number)
    with tenant_scope(tenant):
        if db.session.execute(db.select(Card.id).where(Card.number == number)).first():
            raise CardError("card_exists", _("A card with this number exists."), "card")
        card = Card(number=number, status="active", holder_id=holder.id if holder else None)
        db.session.add(card)
        db.session.flush()
        ledger.open_account(tenant, actor, card.wallet_code, "wallet")
        audit(tenant, actor, "smartcard.card.issue", "smartcard_card", card.id,
              after={"number": number, "holder": holder.id if holder else None})
    return card


def holder_of(tenant, card: Card) -> Holder | None:
    if card.holder_id is None:
        return None
    with tenant_scope(tenant):
        return db.session.get(Holder, card.holder_id)


@_in_scope
def link(tenant, actor, number: str, holder: Holder) -> Card:
    """Give the card to ``holder`` (registering it: the higher balance limit applies)."""
    card = find_card(tenant, number, lock=True)
    usable(card)
    before = card.holder_id
    card.holder_id = holder.id
    with tenant_scope(tenant):
        audit(tenant, actor, "smartcard.card.link", "smartcard_card", card.id,
              before={"holder": before}, after={"holder": holder.id})
    return card


def _set_status(tenant, actor, card: Card, status: str, reason: str = "") -> Card:
    before = card.status
    card.status = status
    if status == "closed":
        card.closed_at = utcnow()
    action = {"blocked": "block", "active": "unblock"}.get(status, status)
    with tenant_scope(tenant):
        audit(tenant, actor, f"smartcard.card.{action}", "smartcard_card", card.id,
              before={"status": before}, after={"status": status, "reason": reason})
    return card


@_in_scope
def block(tenant, actor, number: str, reason: str = "") -> Card:
    """Block an active card (lost, stolen): it can no longer pay or be topped up."""
    return _set_status(tenant, actor, usable(find_card(tenant, number, lock=True)), "blocked", reason)


@_in_scope
def unblock(tenant, actor, number: str) -> Card:
    card = find_card(tenant, number, lock=True)
    if card.status != "blocked":
        raise CardError("card_not_blocked", _("Only a blocked card can be unblocked."), "card")
    return _set_status(tenant, actor, card, "active")


def _movable(tenant, card: Card) -> int:
    """The wallet's balance when no hold is open on it (else ``holds_pending``)."""
    account = ledger.get_account(tenant, card.wallet_code)
    if account.debits_pending or account.credits_pending:
        raise CardError("holds_pending", _("A hold is still open on this card; end it (or wait for its timeout) first."),
                        "card")
    return account.credits_posted - account.debits_posted


@_in_scope
def replace(tenant, actor, number: str, new_number: str) -> Card:
    """A new card for the same holder; the old one's balance moves to it (one transfer
    ``replace.<old number>``) and the old card becomes ``replaced``. The old card may be blocked."""
    old = find_card(tenant, number, lock=True)
    if old.status not in ("active", "blocked"):
        usable(old)
    new = issue_card(tenant, actor, new_number, holder_of(tenant, old))
    balance = _movable(tenant, old)
    if balance:
        ledger.transfer(tenant, actor, f"replace.{old.number}", old.wallet_code, new.wallet_code, balance,
                        memo=f"replace {old.number} {new.number}")
        _check_limit(tenant, new)
    old.replaced_by = new.number
    _set_status(tenant, actor, old, "replaced")
    return new


@_in_scope
def close(tenant, actor, number: str, reason: str = "") -> Card:
    """Close the card; what is left in its wallet is paid out to the holder through the bank
    (transfer ``close.<number>`` to the settlement account)."""
    card = find_card(tenant, number, lock=True)
    if card.status not in ("active", "blocked"):
        usable(card)
    balance = _movable(tenant, card)
    if balance:
        ledger.transfer(tenant, actor, f"close.{card.number}", card.wallet_code, SETTLEMENT, balance,
                        memo=f"close {card.number}")
    return _set_status(tenant, actor, card, "closed", reason)


def wallet_balance(account) -> int:
    """Rupiah a wallet holds, incoming holds counted (what the balance limit caps)."""
    return account.credits_posted + account.credits_pending - account.debits_posted


def _check_limit(tenant, card: Card) -> None:
    """Refuse (``exceeds_limit``) when the card now holds more than its limit. Called after the
    ledger wrote the credit, while its transaction still holds the wallet's lock."""
    limit = limit_of(tenant, holder_of(tenant, card))
    if wallet_balance(ledger.get_account(tenant, card.wallet_code)) > limit:
        raise CardError("exceeds_limit", _("The card would hold more than its limit of %(limit)s.",
                                           limit=rupiah(limit)), "amount")


check_limit = _check_limit


def register_terminal(tenant, actor, code: str, merchant: str, token_name: str) -> Terminal:
    """A terminal of ``merchant`` (a settings code) that calls with the API token ``token_name`` (a
    core API token of the tenant with the scope ``smartcard:terminal``: ``pamong token create`` or
    the admin's API tokens page). ``merchant_unknown``, ``terminal_invalid``, ``terminal_exists``."""
    from .settings_access import merchant_of

    merchant_of(tenant, merchant)
    if not re.fullmatch(r"[A-Za-z0-9._-]{1,64}", token_name or ""):
        raise CardError("terminal_invalid", _("Give the name of the terminal's API token."), "token_name")
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{0,31}", code or ""):
        raise CardError("terminal_invalid", _("A terminal code is up to 32 letters, digits, '-' or '_'."), "code")
    token = token_named(tenant, token_name)
    if token is None:
        raise CardError("terminal_invalid", _("This tenant has no API token of this name: make it first."),
                        "token_name")
    if "smartcard:terminal" not in token.scopes:
        raise CardError("terminal_invalid", _("This API token lacks the scope smartcard:terminal."), "token_name")
    with tenant_scope(tenant):
        if db.session.execute(db.select(Terminal.id).where(
                (Terminal.code == code) | (Terminal.token_name == token_name))).first():
            raise CardError("terminal_exists", _("A terminal with this code or token exists."), "code")
        terminal = Terminal(code=code, merchant=merchant, token_name=token_name, active=True)
        db.session.add(terminal)
        db.session.flush()
        audit(tenant, actor, "smartcard.terminal.register", "smartcard_terminal", terminal.id,
              after={"code": code, "merchant": merchant, "token": token_name})
    return terminal


@_in_scope
def deactivate_terminal(tenant, actor, code: str) -> Terminal:
    """The terminal stops being answered (its token may stay for other uses); audited."""
    with tenant_scope(tenant):
        terminal = db.session.execute(for_change(db.select(Terminal).where(Terminal.code == code), Terminal)) \
            .scalar_one_or_none()
    if terminal is None or not terminal.active:
        raise CardError("terminal_unknown", _("No active terminal with this code."), "code")
    terminal.active = False
    audit(tenant, actor, "smartcard.terminal.deactivate", "smartcard_terminal", terminal.id,
          before={"active": True}, after={"active": False})
    return terminal


def terminal_for_token(tenant, token_name: str) -> Terminal:
    with tenant_scope(tenant):
        terminal = db.session.execute(db.select(Terminal).where(
            Terminal.token_name == token_name, Terminal.active.is_(True))).scalar_one_or_none()
    if terminal is None:
        raise CardError("terminal_unknown", _("This token belongs to no active terminal of the tenant."), "token")
    return terminal


def terminal_card(tenant, token_name: str, number) -> tuple[Terminal, Card, object]:
    """The active terminal calling with ``token_name``, the card ``number`` and the card's wallet
    (its ledger ``Account``), read in one statement: what a payment needs before it writes.
    ``terminal_unknown`` / ``card_invalid`` / ``card_unknown`` as ``terminal_for_token`` and
    ``find_card``."""
    number = normalise_number(number)
    with within_tenant(tenant):
        row = db.session.execute(_terminal_card_query(), {"number": number, "wallet": f"card.{number}",
                                                          "token_name": token_name, "tenant": tenant.id}).first()
    if row is None:
        raise CardError("terminal_unknown", _("This token belongs to no active terminal of the tenant."), "token")
    terminal, card, wallet = row
    if card is None:
        raise CardError("card_unknown", _("No card with this number."), "card")
    return terminal, card, wallet


@functools.cache
def _terminal_card_query():
    """``terminal_card``'s statement, built once (only its parameters change from one payment to
    the next; building it was a fifth of the payment's Python time). It names its tenant itself
    (the terminal's, and the card and wallet of the terminal's tenant), so the ORM's tenant filter
    is not added: that filter, built anew for each statement, cost as much as the rest of it."""
    return (db.select(Terminal, Card, ledger.Account)
            .outerjoin(Card, (Card.tenant_id == Terminal.tenant_id) & (Card.number == db.bindparam("number")))
            .outerjoin(ledger.Account, (ledger.Account.tenant_id == Terminal.tenant_id)
                       & (ledger.Account.code == db.bindparam("wallet")))
            .where(Terminal.tenant_id == db.bindparam("tenant"), Terminal.token_name == db.bindparam("token_name"),
                   Terminal.active.is_(True))
            .execution_options(skip_tenant_scope=True))


def access_answer(tenant, number) -> dict | None:
    """The ``access_card`` hook's answer: the card's status and its holder's entitlements."""
    try:
        card = find_card(tenant, number)
    except CardError:
        return None
    holder = holder_of(tenant, card)
    return {"number": card.number, "status": card.status, "holder_kind": holder.kind if holder else None,
            "entitlements": holder.entitlements if holder else []}
