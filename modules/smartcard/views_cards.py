"""A holder's own cards (balance and statement, on a phone), and the staff's card page
(``smartcard.manage``: the same, plus block / unblock)."""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, url_for
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import Length

from core.kit import (
    current_actor, db, gettext as _, lazy_gettext as _l, requires, signed_in, tenant_scope,
    unit_of_work,
)

from . import reports, services
from .models import Card, Holder
from .views import pages


class BlockForm(FlaskForm):
    reason = StringField(_l("Reason"), validators=[Length(max=200)])
    submit = SubmitField(_l("Block the card"))


class UnblockForm(FlaskForm):
    submit = SubmitField(_l("Unblock the card"))


def _card_view(card, **extra):
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
    return render_template("smartcard/my_cards.html", views=[_card_view(c) for c in cards])


def _find(number):
    try:
        return services.find_card(g.tenant, number)
    except services.CardError:
        abort(404)


@pages.route("/cards/<number>")
@requires("smartcard.manage")
def card(number):
    card = _find(number)
    return render_template("smartcard/card.html", holder=services.holder_of(g.tenant, card),
                           block_form=BlockForm(), unblock_form=UnblockForm(), **_card_view(card))


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
    card = _find(number)
    return render_template("smartcard/card.html", holder=services.holder_of(g.tenant, card), block_form=form,
                           unblock_form=UnblockForm(), **_card_view(card)), 400


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
    card = _find(number)
    return render_template("smartcard/card.html", holder=services.holder_of(g.tenant, card),
                           block_form=BlockForm(), unblock_form=form, **_card_view(card)), 400
