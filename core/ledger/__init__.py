"""The core ledger (issue 13): double-entry transfers in integer rupiah between a tenant's accounts.

    from core.kit import ledger
    ledger.open_account(tenant, actor, "wallet.budi", "wallet", balance_limit=2_000_000)
    ledger.transfer(tenant, actor, "topup-7f3a", "settlement.bank", "wallet.budi", 50_000)
"""
from .check import check, check_tenant
from .errors import LedgerError
from .export import beancount, csv_text
from .models import KINDS, Account, Transfer
from .service import check_amount, expire_pending, get_account, linked, open_account, post, transfer, void
from . import jobs  # noqa: F401  (holds past their timeout are voided)

__all__ = ["KINDS", "Account", "LedgerError", "Transfer", "beancount", "check", "check_amount", "check_tenant",
           "csv_text", "expire_pending", "get_account", "linked", "open_account", "post", "transfer", "void"]
