"""The terminal API under /api/v1/smartcard/ (the bank's and the QRIS acquirer's callbacks too).

A terminal calls with a core API token of the tenant that has the scope ``smartcard:terminal`` and
is registered as a terminal (``Terminal.token_name``): the token says the tenant, the terminal says
the merchant or service point credited. Every POST goes through the core's ``idempotent`` helper
(``Idempotency-Key``: missing 400, another body 422, still running 409, again: the stored answer),
and the transfer ``id`` in the body is the ledger transfer's id (``<merchant>:<id>``), so even a
retry under a new key never pays twice. Errors: ``{"error": {"code", "message", "where"}}``.

A body is read and checked by its model in ``api_docs`` before the view runs (``g.api_body``);
its refusal is answered by ``_refused`` with the module's statuses (``errors.STATUS``), a body that
is not a JSON object 400, and nothing is written.
"""
from __future__ import annotations

import re

from sqlalchemy.exc import IntegrityError

from flask import Blueprint, g, jsonify

from core.kit import (
    Actor, BadJson, PamongError, api_scope, current_actor, db, gettext as _, idempotent, local_iso, operation,
    signed_webhook, tenant_scope, tenant_secret,
)

from . import api_docs as m

from . import services
from .errors import STATUS, CardError, status_of
from .models import Callback
from .qris import parse_amount, payload
from .settings_access import merchant_of, settings

api = Blueprint("smartcard_api", __name__)
SCOPE = "smartcard:terminal"
_ID = re.compile(m.ID_PATTERN)


# the ledger names a transfer's parts (``legs[0].amount``, ``legs[1].key``, ``pending_id``): the
# terminal sent ``amount``, ``id`` (``reference`` in a callback) and the hold in the path
_LEDGER_FIELDS = {"amount": "amount", "pending_id": "hold_id", "hold": "hold_id", "timeout": "timeout"}


def request_field(where: str, id_field: str = "id") -> str:
    """A refusal's ``where`` as the request's own field name: the ledger's leg fields (``legs[0].amount``
    -> ``amount``, ``legs[0].key`` -> ``id_field``, ``pending_id`` -> ``hold_id``); an account or another
    internal part the terminal did not send -> ``""``; a name of the request stays as it is."""
    where = where or ""
    part = where.split(".", 1)[1] if where.startswith("legs[") and "." in where else where
    if part == "key":
        return id_field
    if part in _LEDGER_FIELDS:
        return _LEDGER_FIELDS[part]
    if part in ("debit", "credit", "memo", "legs") or "." in part:  # an account code, the ledger's own parts
        return ""
    return part


def _error(exc: PamongError, id_field: str = "id"):
    db.session.rollback()
    return jsonify(error={"code": exc.code, "message": exc.message, "where": request_field(exc.where, id_field)}), \
        status_of(exc)


def _refused(exc: PamongError):
    """A body its model refused (``core.kit.operation``'s ``fail``): the code's status, as the
    services' refusals are answered; not a JSON object is 400."""
    db.session.rollback()
    status = 400 if isinstance(exc, BadJson) else STATUS.get(exc.code, 422)
    return jsonify(error={"code": exc.code, "message": exc.message, "where": exc.where}), status


def _terminal():
    return services.terminal_for_token(g.tenant, g.api_token.name)


def _hold_id(value: str) -> str:
    """The hold named in the path (the body's ids are checked by their models)."""
    if not _ID.fullmatch(value):
        raise CardError("id_invalid", _("Give an id of 1 to 31 letters, digits, '-' or '_'."), "hold_id")
    return value


def _key(terminal, value: str) -> str:
    return f"{terminal.merchant}:{value}"


def _transfer_json(t) -> dict:
    return {"id": t.key, "kind": t.kind, "amount": t.amount, "created_at": local_iso(t.created_at)}


def _run(action, *, commit: bool = True):
    """Answer ``action()``'s transfers (201) or its refusal; commit what it wrote (``commit=False``:
    ``@idempotent(commit=True)`` commits it with the stored answer)."""
    try:
        result = action()
    except PamongError as exc:
        return _error(exc)
    if commit:
        db.session.commit()
    return result


@api.route("/cards/<number>/balance")
@api_scope(SCOPE)
@operation("A card's balance", response=m.CardBalance, errors={403: m.TERMINAL_ERRORS[403], 404: "Unknown card",
                                                               422: "Not a card number: 16 digits (card_invalid)"})
def card_balance(number):
    try:
        _terminal()
        return jsonify(services.balance(g.tenant, number).as_json())
    except PamongError as exc:
        return _error(exc)


@api.route("/payments", methods=["POST"])
@api_scope(SCOPE)
@idempotent(commit=True)
@operation("Pay the terminal's merchant from a card", body=m.Payment, fail=_refused, response=m.PaymentDone,
           status=201, headers=m.KEY, errors=m.TERMINAL_ERRORS,
           response_description="The payment written (or the first one, for the same id)")
def create_payment():
    def act():
        body = g.api_body
        terminal, card, wallet = services.terminal_card(g.tenant, g.api_token.name, body.card)
        legs = services.pay(g.tenant, current_actor(), _key(terminal, body.id), card.number, terminal.merchant,
                            body.amount, card=card, wallet=wallet)
        if wallet is not None:  # the balances the ledger's UPDATE returned (on a replay: as read just before)
            posted = wallet.credits_posted - wallet.debits_posted
            balance = services.Balance(card.number, posted, wallet.debits_pending, posted - wallet.debits_pending)
        else:
            balance = services.balance(g.tenant, card.number, known=True)
        return jsonify(id=legs[0].key, amount=sum(t.amount for t in legs), fee=sum(t.amount for t in legs[1:]),
                       transfers=[_transfer_json(t) for t in legs], balance=balance.as_json()), 201
    return _run(act, commit=False)


@api.route("/holds", methods=["POST"])
@api_scope(SCOPE)
@idempotent
@operation("Hold an amount on a card (gate, bus entry)", body=m.Hold, fail=_refused, response=m.Transfer,
           status=201, headers=m.KEY, errors=m.TERMINAL_ERRORS)
def create_hold():
    def act():
        body, terminal = g.api_body, _terminal()
        t = services.hold(g.tenant, current_actor(), _key(terminal, body.id), body.card, terminal.merchant,
                          body.amount, body.timeout)
        return jsonify(_transfer_json(t)), 201
    return _run(act)


@api.route("/holds/<hold_id>/capture", methods=["POST"])
@api_scope(SCOPE)
@idempotent
@operation("Post a hold, for at most what it holds", body=m.Capture, fail=_refused, response=m.Transfer,
           status=201, headers=m.KEY, errors=m.TERMINAL_ERRORS)
def capture_hold(hold_id):
    def act():
        body, terminal = g.api_body, _terminal()
        t = services.capture(g.tenant, current_actor(), _key(terminal, body.id), _key(terminal, _hold_id(hold_id)),
                             body.amount, merchant=terminal.merchant)
        return jsonify(_transfer_json(t)), 201
    return _run(act)


@api.route("/holds/<hold_id>/void", methods=["POST"])
@api_scope(SCOPE)
@idempotent
@operation("Release a hold", body=m.Void, fail=_refused, response=m.Transfer, status=201, headers=m.KEY,
           errors=m.TERMINAL_ERRORS)
def void_hold(hold_id):
    def act():
        body, terminal = g.api_body, _terminal()
        t = services.void(g.tenant, current_actor(), _key(terminal, body.id), _key(terminal, _hold_id(hold_id)),
                          merchant=terminal.merchant)
        return jsonify(_transfer_json(t)), 201
    return _run(act)


@api.route("/refunds", methods=["POST"])
@api_scope(SCOPE)
@idempotent
@operation("Refund (part of) a payment", body=m.Refund, fail=_refused, response=m.Transfer, status=201,
           headers=m.KEY, errors=m.TERMINAL_ERRORS)
def create_refund():
    def act():
        body, terminal = g.api_body, _terminal()
        t = services.refund(g.tenant, current_actor(), _key(terminal, body.id), _key(terminal, body.payment),
                            body.amount, merchant=terminal.merchant)
        return jsonify(_transfer_json(t)), 201
    return _run(act)


@api.route("/qris")
@api_scope(SCOPE)
@operation("The terminal's QRIS payload (dynamic with ?amount=)", query=m.QrisQuery, response=m.Qris,
           errors={403: m.TERMINAL_ERRORS[403], 404: "The merchant has no NMID: no QRIS (qris_unavailable)",
                   422: "Malformed amount"})
def qris_payload():
    """The terminal's QRIS: static, or dynamic with ``?amount=`` (whole rupiah)."""
    from flask import request

    try:
        terminal = _terminal()
        raw = request.args.get("amount")
        amount = None if raw is None else parse_amount(raw)
        text = payload(merchant_of(g.tenant, terminal.merchant), acquirer=settings(g.tenant)["acquirer"],
                       amount=amount, terminal=terminal.code)
        return jsonify(payload=text, dynamic=amount is not None, amount=amount)
    except PamongError as exc:
        return _error(exc)


def _seen(tenant, digest: str) -> bool:
    with tenant_scope(tenant):
        return db.session.execute(db.select(Callback.id).where(Callback.digest == digest)).first() is not None


def _secret(name):
    return lambda tenant: tenant_secret(tenant, settings(tenant)[name]) or None


def _callback(source: str, action):
    """A signed callback, its body (read as signed) checked by its model: the digest kept (a replay
    is 409 at once)."""
    body = g.api_body
    try:
        actor = Actor.system(f"smartcard.{source}", g.tenant)
        t = action(body, actor)
        with tenant_scope(g.tenant):
            db.session.add(Callback(digest=g.webhook.digest, source=source, reference=body.reference))
            db.session.flush()
    except PamongError as exc:
        return _error(exc, "reference")
    except IntegrityError:  # the same signed request, twice at once: the other one counts
        return _error(CardError("replayed", _("This request was already received."), "signature"))
    db.session.commit()
    return jsonify(_transfer_json(t)), 201


@api.route("/bank/topups", methods=["POST"])
@signed_webhook(_secret("bank_secret"), seen=_seen)
@operation("The issuing bank's top-up callback", body=m.BankTopUp, fail=_refused, response=m.Transfer, status=201,
           headers=m.SIGNED, errors=m.CALLBACK_ERRORS)
def bank_topup():
    """The issuing bank: ``{"reference", "card", "amount"}`` credited to the card."""
    return _callback("bank", lambda body, actor: services.top_up(g.tenant, actor, body.reference, body.card,
                                                                  body.amount))


@api.route("/qris/payments", methods=["POST"])
@signed_webhook(_secret("qris_secret"), seen=_seen)
@operation("The QRIS acquirer's payment callback", body=m.QrisPayment, fail=_refused, response=m.Transfer,
           status=201, headers=m.SIGNED, errors=m.CALLBACK_ERRORS)
def qris_payment():
    """The QRIS acquirer: ``{"reference", "merchant", "amount"}`` paid to a merchant from any bank's app
    (the amount as a number or as QRIS writes it, digits)."""
    return _callback("qris", lambda body, actor: services.qris_paid(g.tenant, actor, body.reference, body.merchant,
                                                                     int(body.amount)))
