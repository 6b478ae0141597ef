"""What a card's pages show: its balance and statement (``card_view``), and the staff's card page
with its forms (``card_page``). Shared by the view files, kept out of them so that no view file
imports another."""
from __future__ import annotations

from flask import abort, g, render_template

from . import reports, services
from .forms import FORMS


def card_view(card, **extra) -> dict:
    """``{"card", "balance" (integer rupiah), "lines" (the statement, newest first), **extra}``."""
    return dict(card=card, balance=services.balance(g.tenant, card.number),
                lines=reports.statement(g.tenant, card.wallet_code), **extra)


def card_page(number: str, status: int = 200, **forms):
    """A card's page with its forms (``forms`` replaces the ones that came back with errors); 404
    for a number the tenant has not issued."""
    try:
        card = services.find_card(g.tenant, number)
    except services.CardError:
        abort(404)
    for name, cls in FORMS.items():
        forms.setdefault(name, cls(formdata=None))
    return render_template("smartcard/card.html", holder=services.holder_of(g.tenant, card),
                           **card_view(card), **forms), status
