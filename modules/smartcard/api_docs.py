"""The models of the terminal API (``api.py``), declared with each endpoint (``core.kit.operation``)
and written into ``/api/v1/openapi.json`` by the core.

Bodies are checked by the services in the module's own words (``CardError`` with ``where``: an id,
a card number, an amount), so the request models here document them (``validate=False``); the
answers are checked against the response models by the core's walk of the document.
"""
from __future__ import annotations

from pydantic import Field

from core.kit import ApiModel, ApiOutput

_ID = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,30}$",
            description="The client's id of this transfer (1-31 letters, digits, '-' or '_'): the same id is "
                        "never paid twice")
_CARD = Field(pattern=r"^[0-9]{16}$", description="The card number, 16 digits")
_AMOUNT = Field(ge=1, description="Whole rupiah")


class Payment(ApiModel):
    id: str = _ID
    card: str = _CARD
    amount: int = _AMOUNT


class Hold(ApiModel):
    id: str = _ID
    card: str = _CARD
    amount: int = _AMOUNT
    timeout: int | None = Field(None, ge=1, description="Seconds before the hold lapses (the settings' default)")


class Capture(ApiModel):
    id: str = _ID
    amount: int | None = Field(None, ge=1, description="Whole rupiah, at most what is held (all of it when absent)")


class Void(ApiModel):
    id: str = _ID


class Refund(ApiModel):
    id: str = _ID
    payment: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,30}$", description="The payment's id")
    amount: int = _AMOUNT


class BankTopUp(ApiModel):
    reference: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,30}$", description="The bank's reference")
    card: str = _CARD
    amount: int = _AMOUNT


class QrisPayment(ApiModel):
    reference: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,30}$", description="The acquirer's reference")
    merchant: str = Field(description="The merchant's code in the tenant's settings")
    amount: int = _AMOUNT


class QrisQuery(ApiModel):
    amount: str | None = Field(None, description="Whole rupiah: a dynamic QRIS for this amount")


class Transfer(ApiOutput):
    id: str
    kind: str = Field(description="payment, fee, hold, capture, void, refund, topup, qris, ...")
    amount: int = Field(description="Whole rupiah")
    created_at: str = Field(description="ISO 8601")


class CardBalance(ApiOutput):
    card: str
    balance: int = Field(description="Rupiah posted")
    held: int = Field(description="Rupiah reserved by open holds")
    available: int = Field(description="balance - held: what a payment may take")


class PaymentDone(ApiOutput):
    id: str
    amount: int = Field(description="Rupiah taken from the card, fee included")
    fee: int
    transfers: list[Transfer]
    balance: CardBalance


class Qris(ApiOutput):
    payload: str = Field(description="The EMVCo QRIS payload to show as a QR code")
    dynamic: bool
    amount: int | None


KEY = {"Idempotency-Key": "Unique per request: a retry with the same key gets the stored answer"}
SIGNED = {"X-Pamong-Timestamp": "Unix seconds",
          "X-Pamong-Signature": "sha256=HMAC-SHA256 of '<timestamp>.' + body with the tenant's secret"}
TERMINAL_ERRORS = {
    400: "No Idempotency-Key, or not a JSON object",
    403: "Not a registered terminal (terminal_unknown); the card blocked, closed or replaced",
    404: "Unknown card, hold or payment",
    409: "The key still in flight; the hold already ended",
    422: "Bad amount or id; over the balance or the limit; the key reused with another body",
}
CALLBACK_ERRORS = {
    401: "Missing, forged or stale signature",
    404: "Unknown card or merchant (or the callback is not configured)",
    409: "Replayed",
    422: "Bad reference, card or amount",
}
