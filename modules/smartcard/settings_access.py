"""The tenant's settings as the services need them: merchants by code, a holder's balance limit."""
from __future__ import annotations

from core.kit import gettext as _, ledger, module_settings

from .errors import CardError
from .models import FEES, QRIS_SETTLEMENT, SETTLEMENT, account_code

NAME = "smartcard"


def settings(tenant) -> dict:
    """The tenant's settings of the module, defaults filled in: shared, read only (every caller
    here only reads them; a payment no longer copies the merchants' list)."""
    return module_settings(tenant, NAME, shared=True)


def merchant_of(tenant, code: str) -> dict:
    """The merchant or service point ``code`` of the settings (``merchant_unknown`` if none)."""
    for merchant in settings(tenant)["merchants"]:
        if merchant["code"] == code:
            return merchant
    raise CardError("merchant_unknown", _("No merchant or service point with this code."), "merchant")


def limit_of(tenant, holder) -> int:
    """The balance limit in rupiah: registered (identity known) or not (Bank Indonesia's rule,
    PBI 20/6/PBI/2018; the tenant's settings)."""
    s = settings(tenant)
    return s["registered_limit"] if holder is not None and holder.registered else s["unregistered_limit"]


def open_accounts(tenant, actor) -> None:
    """The ledger accounts the settings call for (again: nothing changes). A merchant may not pay
    out (refund) more than it took."""
    ledger.open_account(tenant, actor, SETTLEMENT, "settlement")
    ledger.open_account(tenant, actor, QRIS_SETTLEMENT, "settlement")
    ledger.open_account(tenant, actor, FEES, "fees")
    for merchant in settings(tenant)["merchants"]:
        ledger.open_account(tenant, actor, account_code(merchant["code"]), merchant["kind"],
                            debits_must_not_exceed_credits=True)
