"""The domain logic of the city card, as one import for pages, the API, the CLI, jobs and tests:
cards and holders (``cards.py``), money on the core ledger (``operations.py``), reports
(``reports.py``). Functions of ``(tenant, actor, ...)`` that never touch Flask's request, session
or ``g``; the caller commits, or rolls back when they raised."""
from .cards import (  # noqa: F401
    block, close, create_holder, deactivate_terminal, find_card, holder_for, holder_of, issue_card, link, normalise_number, register_terminal,
    replace, set_entitlements, terminal_card, terminal_for_token, unblock, usable,
)
from .errors import CardError  # noqa: F401
from .operations import Balance, balance, capture, fee_of, hold, pay, qris_paid, refund, top_up, void  # noqa: F401
from .settings_access import limit_of, merchant_of, open_accounts  # noqa: F401

MODULE = "smartcard"
