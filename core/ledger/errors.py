"""The ledger's refusals: each a stable ``code`` (API clients branch on it) and an HTTP status."""
from __future__ import annotations

from ..errors import PamongError

STATUS = {
    "account_unknown": 404, "pending_not_found": 404,
    "id_reused": 409, "pending_already_posted": 409, "pending_already_voided": 409, "pending_expired": 409,
    "account_exists": 409,
}


class LedgerError(PamongError):
    """A transfer or account refused; nothing was written. ``code`` is one of: amount_not_integer,
    amount_not_positive, amount_too_large, key_invalid, kind_invalid, memo_invalid, timeout_invalid,
    limit_invalid, account_unknown, account_exists, cross_tenant, same_account, exceeds_credits,
    exceeds_debits, exceeds_limit, id_reused, pending_not_found, pending_already_posted,
    pending_already_voided, pending_expired, post_exceeds_pending."""

    def __init__(self, code: str, message: str, where: str = ""):
        super().__init__(message, where=where, code=code)

    @property
    def status(self) -> int:
        return STATUS.get(self.code, 422)
