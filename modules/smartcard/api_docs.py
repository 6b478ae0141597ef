"""The models of the terminal API (``api.py``), declared with each endpoint (``core.kit.operation``)
and written into ``/api/v1/openapi.json`` by the core.

A request body is checked by its model before the view runs (its shape: an id, a card number, a
whole positive amount), with the codes the terminals have always been answered with
(``error_codes``: ``id_invalid``, ``card_invalid``, the ledger's ``amount_not_integer`` /
``amount_not_positive``, ...); what only the tenant's data can say (the card exists and is usable,
the balance, the limit, the merchant) stays with the services. The answers are checked against the
response models by the core's walk of the document.
"""
from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import Field, StrictInt

from core.kit import ApiModel, ApiOutput

from .labels import lazy_gettext as _l

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,30}$"
_ID = Field(pattern=ID_PATTERN,
            description="The client's id of this transfer (1-31 letters, digits, '-' or '_'): the same id is "
                        "never paid twice")
# what ``cards.normalise_number`` reads: 16 digits, spaces and dashes as printed left out
_CARD = Field(pattern=r"^[\s-]*(?:[0-9][\s-]*){16}$",
              description="The card number, 16 digits (spaces and dashes as printed are ignored)")
_AMOUNT = Field(ge=1, description="Whole rupiah")
# the codes a terminal has always been answered with (the ledger's for an amount)
_ID_CODE = {"*": "id_invalid"}
_AMOUNT_CODE = {"greater_than_equal": "amount_not_positive", "*": "amount_not_integer"}
_CARD_CODE = {"*": "card_invalid"}  # not 16 digits; a well-formed number no card has is the service's card_unknown
_CODES = {"id": _ID_CODE, "card": _CARD_CODE, "amount": _AMOUNT_CODE}
# the card number's refusal in the words the services use for it (``cards.normalise_number``)
_CARD_SAID = {"card": _l("A card number is 16 digits.")}


class Payment(ApiModel):
    id: str = _ID
    card: str = _CARD
    amount: StrictInt = _AMOUNT
    error_codes: ClassVar = _CODES
    error_messages: ClassVar = _CARD_SAID


class Hold(ApiModel):
    id: str = _ID
    card: str = _CARD
    amount: StrictInt = _AMOUNT
    timeout: StrictInt | None = Field(None, ge=1, le=86_400,
                                      description="Seconds before the hold lapses, at most a day (the settings' default)")
    error_codes: ClassVar = {**_CODES, "timeout": {"*": "timeout_invalid"}}
    error_messages: ClassVar = _CARD_SAID


class Capture(ApiModel):
    id: str = _ID
    amount: StrictInt | None = Field(None, ge=1,
                                     description="Whole rupiah, at most what is held (all of it when absent)")
    error_codes: ClassVar = {"id": _ID_CODE, "amount": _AMOUNT_CODE}


class Void(ApiModel):
    id: str = _ID
    error_codes: ClassVar = {"id": _ID_CODE}


class Refund(ApiModel):
    id: str = _ID
    payment: str = Field(pattern=ID_PATTERN, description="The payment's id")
    amount: StrictInt = _AMOUNT
    error_codes: ClassVar = {"id": _ID_CODE, "payment": _ID_CODE, "amount": _AMOUNT_CODE}


class BankTopUp(ApiModel):
    reference: str = Field(pattern=ID_PATTERN, description="The bank's reference")
    card: str = _CARD
    amount: StrictInt = _AMOUNT
    error_codes: ClassVar = {"reference": _ID_CODE, "card": _CARD_CODE, "amount": _AMOUNT_CODE}
    error_messages: ClassVar = _CARD_SAID


class QrisPayment(ApiModel):
    reference: str = Field(pattern=ID_PATTERN, description="The acquirer's reference")
    merchant: str = Field(description="The merchant's code in the tenant's settings")
    # acquirers send the amount as QRIS writes it (tag 54, digits) or as a number
    amount: Annotated[StrictInt, Field(ge=1, le=9_999_999_999_999)] | Annotated[str, Field(pattern=r"^\s*[1-9][0-9]{0,12}\s*$")] = Field(
        description="Whole rupiah above zero: a number, or its digits as text")
    # not text is a malformed request (422); a code the settings lack is the service's merchant_unknown
    error_codes: ClassVar = {"reference": _ID_CODE, "merchant": {"*": "merchant_invalid"},
                             "amount": {"*": "amount_invalid"}}


class QrisQuery(ApiModel):
    amount: str | None = Field(None, description="Whole rupiah: a dynamic QRIS for this amount")


class Transfer(ApiOutput):
    id: str
    kind: str = Field(description="payment, fee, hold, capture, void, refund, topup, qris, ...")
    amount: int = Field(description="Whole rupiah")
    created_at: str = Field(description="ISO 8601 in the tenant's offset, to the second")


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
    400: "No Idempotency-Key (idempotency_key_missing), or not a JSON object (invalid_json)",
    403: "Not a registered terminal (terminal_unknown); the card blocked, closed or replaced",
    404: "Unknown card, hold or payment",
    409: "The key still in flight; the hold already ended; the id already used for another transfer (id_reused)",
    422: "Bad amount (amount_not_integer, amount_not_positive, amount_too_large: above the ledger's maximum), "
         "timeout (timeout_invalid: 1 to 86,400 seconds), id (id_invalid) or card number (card_invalid); over the "
         "balance (exceeds_credits) or the limit (exceeds_limit); the key reused with another body",
}
CALLBACK_ERRORS = {
    400: "Not a JSON object (invalid_json)",
    401: "Missing, forged or stale signature",
    404: "Unknown card or merchant (or the callback is not configured)",
    409: "Replayed (replayed); the reference already used with another amount (id_reused)",
    422: "Bad reference (id_invalid), merchant (merchant_invalid), card number (card_invalid) or amount "
         "(a bank's: amount_not_integer, amount_not_positive, amount_too_large; a QRIS acquirer's, a number or its "
         "digits: amount_invalid)",
}
