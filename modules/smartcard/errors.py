"""The module's refusals: ``CardError`` (a ``PamongError``) with a stable ``code`` and the HTTP
``status`` the API answers it with. Nothing is written when one is raised (the caller rolls back)."""
from __future__ import annotations

from core.kit import PamongError

STATUS = {
    "card_unknown": 404, "holder_unknown": 404, "merchant_unknown": 404, "payment_unknown": 404,
    "qris_unavailable": 404,
    "card_blocked": 403, "card_closed": 403, "card_replaced": 403, "terminal_unknown": 403,
    "card_exists": 409, "replayed": 409, "terminal_exists": 409, "holds_pending": 409, "card_not_blocked": 409,
    "refund_exceeds_payment": 422, "exceeds_limit": 422, "amount_invalid": 422, "id_invalid": 422,
    "card_invalid": 422,
}


class CardError(PamongError):
    code = "card_error"

    def __init__(self, code: str, message: str, where: str = ""):
        super().__init__(message, where=where, code=code)

    @property
    def status(self) -> int:
        return STATUS.get(self.code, 422)


def status_of(exc: PamongError) -> int:
    """The HTTP status of a refusal of this module (by its code: a ``CardError``, a ``QrisError``)
    or of the core ledger (422 otherwise)."""
    if exc.code in STATUS:
        return STATUS[exc.code]
    return getattr(exc, "status", 422) if isinstance(getattr(exc, "status", None), int) else 422
