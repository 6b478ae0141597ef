"""The ledger's rules on what a transfer may carry (issue 13): amounts in whole rupiah within the
configured maximum, ids of 1 to 64 safe characters, memos and timeouts, and the limits of an
account (TigerBeetle's ``debits_must_not_exceed_credits`` / ``credits_must_not_exceed_debits`` and a
balance limit). Each refusal is a ``LedgerError`` with a stable code, raised before anything is written.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from flask import current_app, has_app_context
from flask_babel import gettext as _

from .errors import LedgerError

if TYPE_CHECKING:  # annotations only: the service's leg and the account model
    from .models import Account
    from .service import Leg

DEFAULT_MAX_AMOUNT = 10**12
MAX_TIMEOUT = 2**32 - 1  # seconds: TigerBeetle's ``timeout`` is a u32 (about 136 years)
_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")


def max_amount() -> int:
    if has_app_context():
        return int(current_app.config.get("PAMONG_LEDGER_MAX_AMOUNT", DEFAULT_MAX_AMOUNT))
    return DEFAULT_MAX_AMOUNT


def check_amount(amount, where: str = "amount") -> int:
    """``amount`` as a positive int of rupiah within the configured maximum, else ``LedgerError``."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise LedgerError("amount_not_integer", _("The amount must be a whole number of rupiah."), where)
    if amount <= 0:
        raise LedgerError("amount_not_positive", _("The amount must be more than zero."), where)
    if amount > max_amount():
        raise LedgerError("amount_too_large", _("The amount is more than the largest allowed (%(max)s).",
                                                max=max_amount()), where)
    return amount


def check_key(key, where: str = "key") -> str:
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        raise LedgerError("key_invalid", _("The id must be 1 to 64 letters, digits, '.', '_', ':' or '-'."), where)
    return key


def _where(leg: Leg, field: str) -> str:
    return f"{leg.where}.{field}" if leg.where else field


def _check_static(legs: list[Leg]) -> None:
    seen = set()
    for leg in legs:
        check_key(leg.key, _where(leg, "key"))
        if leg.key in seen:
            raise LedgerError("key_invalid", _("The same id is used twice in one batch."), _where(leg, "key"))
        seen.add(leg.key)
        if not isinstance(leg.memo, str) or len(leg.memo) > 200:
            raise LedgerError("memo_invalid", _("The memo must be text of at most 200 characters."), _where(leg, "memo"))
        if leg.kind in ("single", "pending"):
            check_amount(leg.amount, _where(leg, "amount"))
            if leg.timeout is not None and (leg.kind != "pending" or isinstance(leg.timeout, bool)
                                            or not isinstance(leg.timeout, int) or not 0 < leg.timeout <= MAX_TIMEOUT):
                raise LedgerError("timeout_invalid", _("The timeout must be a positive number of seconds on a pending transfer."),
                                  _where(leg, "timeout"))
        else:
            check_key(leg.pending_key, _where(leg, "pending_id"))
            if leg.kind == "post" and leg.amount is not None:
                check_amount(leg.amount, _where(leg, "amount"))


def _check_limits(account: Account, s: list, leg: Leg) -> None:
    dp, cp, dpend, cpend = s
    if account.debits_must_not_exceed_credits and dp + dpend > cp:
        raise LedgerError("exceeds_credits", _("Not enough balance in account %(code)s.", code=account.code),
                          _where(leg, "amount"))
    if account.credits_must_not_exceed_debits and cp + cpend > dp:
        raise LedgerError("exceeds_debits", _("Account %(code)s cannot be credited more than it was debited.",
                                              code=account.code), _where(leg, "amount"))
    if account.balance_limit is not None:
        balance = cp + cpend - dp if account.debits_must_not_exceed_credits else dp + dpend - cp
        if balance > account.balance_limit:
            raise LedgerError("exceeds_limit", _("The transfer would take account %(code)s over its balance limit.",
                                                 code=account.code), _where(leg, "amount"))
