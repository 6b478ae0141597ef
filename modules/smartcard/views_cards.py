"""A holder's own cards (balance and statement, on a phone), and the staff's card page
(``smartcard.manage``: the same, with the forms to block, unblock, link, replace and close; the
last three are in views_manage.py)."""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, url_for

from core.kit import (
    current_actor, db, gettext as _, requires, signed_in, tenant_scope, unit_of_work,
)

from . import reports, services
from .forms import FORMS, BlockForm, UnblockForm
from .models import Card, Holder
from .views import pages


def card_view(card, **extra):
    return dict(card=card, balance=services.balance(g.tenant, card.number),
                lines=reports.statement(g.tenant, card.wallet_code), **extra)


@pages.route("/card")
@signed_in
def my_cards():
    """The signed-in holder's cards, each with its balance and latest movements."""
    user = current_actor().user
    with tenant_scope(g.tenant):
        cards = db.session.execute(db.select(Card).join(Holder, Holder.id == Card.holder_id).where(
            Holder.user_id == user.id).order_by(Card.issued_at.desc())).scalars().all()
    return render_template("smartcard/my_cards.html", views=[card_view(c) for c in cards])


def card_page(number: str, status: int = 200, **forms):
    """A card's page with its forms (``forms`` replaces the ones that came back with errors)."""
    try:
        card = services.find_card(g.tenant, number)
    except services.CardError:
        abort(404)
    for name, cls in FORMS.items():
        forms.setdefault(name, cls(formdata=None))
    return render_template("smartcard/card.html", holder=services.holder_of(g.tenant, card),
                           **card_view(card), **forms), status


@pages.route("/cards/<number>")
@requires("smartcard.manage")
def card(number):
    return card_page(number)


@pages.route("/cards/<number>/block", methods=["POST"])
@requires("smartcard.manage")
def block(number):
    form = BlockForm()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            services.block(g.tenant, current_actor(), number, form.reason.data or "")
        if work.ok:
            flash(_("The card is blocked."))
            return redirect(url_for(".card", number=number))
    return card_page(number, 400, block_form=form)


@pages.route("/cards/<number>/unblock", methods=["POST"])
@requires("smartcard.manage")
def unblock(number):
    form = UnblockForm()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            services.unblock(g.tenant, current_actor(), number)
        if work.ok:
            flash(_("The card is active again."))
            return redirect(url_for(".card", number=number))
    return card_page(number, 400, unblock_form=form)
