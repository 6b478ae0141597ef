"""A holder's own cards (balance and statement, on a phone), and the staff's card page
(``smartcard.manage``: the same, with the forms to block, unblock, link, replace and close; the
last three are in views_manage.py)."""
from __future__ import annotations

from flask import flash, g, redirect, render_template, url_for

from core.kit import (
    current_actor, db, gettext as _, requires, signed_in, tenant_scope, unit_of_work,
)

from . import services
from .card_pages import card_page, card_view
from .forms import BlockForm, UnblockForm
from .models import Card, Holder
from .views import pages


@pages.route("/card")
@signed_in
def my_cards():
    """The signed-in holder's cards, each with its balance and latest movements."""
    user = current_actor().user
    with tenant_scope(g.tenant):
        cards = db.session.execute(db.select(Card).join(Holder, Holder.id == Card.holder_id).where(
            Holder.user_id == user.id).order_by(Card.issued_at.desc())).scalars().all()
    return render_template("smartcard/my_cards.html", views=[card_view(c) for c in cards])


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
