"""The officer's card desk (``smartcard.manage``): find a card, issue one (with or without a
holder), and on a card's page link it to a citizen (NIK) or an employee (NIP), replace it (its
balance moves to the new card on the ledger) or close it (what is left is paid out through the
bank). Each action is one transaction through ``unit_of_work`` and audited by the services
(``smartcard.card.*``, ``smartcard.holder.*``); bad input shows the same page again, 400, with the
message beside its field and in the summary at the top."""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for

from core.kit import current_actor, db, gettext as _, requires, tenant_scope, unit_of_work

from . import services
from .card_pages import card_page
from .forms import CloseForm, IssueForm, LinkForm, ReplaceForm
from .models import Card
from .settings_access import settings
from .views import pages


def _holder(form):
    """The holder the form names (``None`` for an issue without one)."""
    kind = form.kind.data
    if kind == "none":
        return None
    return services.holder_for(g.tenant, current_actor(), kind, form.name.data or "", nik=form.nik.data or None,
                               nip=form.nip.data or None)


@pages.route("/cards")
@requires("smartcard.manage")
def cards():
    """Find a card by its number (``?number=``); the newest cards issued."""
    number = (request.args.get("number") or "").strip()
    error = None
    if number:
        try:
            found = services.find_card(g.tenant, number)
            return redirect(url_for(".card", number=found.number))
        except services.CardError as exc:
            error = exc.message
    with tenant_scope(g.tenant):
        newest = db.session.execute(db.select(Card).order_by(Card.issued_at.desc(), Card.id.desc()).limit(50)) \
            .scalars().all()
    return render_template("smartcard/cards.html", newest=newest, number=number, error=error), 400 if error else 200


@pages.route("/cards/new", methods=["GET", "POST"])
@requires("smartcard.manage")
def issue():
    form = IssueForm()
    if form.validate_on_submit():
        try:  # a bad number is named beside the holder's own problems, not instead of them
            services.normalise_number(form.card.data)
            bad_number = None
        except services.CardError as exc:
            bad_number = exc
        with unit_of_work(form) as work:
            holder = _holder(form)
            if bad_number is not None:
                raise bad_number  # the holder passed: nothing is written, the number's refusal shown
            card = services.issue_card(g.tenant, current_actor(), form.card.data, holder)
            number = card.number
        if bad_number is not None and work.error is not bad_number:
            work.add_error(bad_number)
        if work.ok:
            flash(_("Card %(number)s is issued.", number=number))
            return redirect(url_for(".card", number=number))
    return render_template("smartcard/issue.html", form=form), 400 if form.is_submitted() else 200


@pages.route("/cards/<number>/link", methods=["POST"])
@requires("smartcard.manage")
def link(number):
    form = LinkForm()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            services.link(g.tenant, current_actor(), number, _holder(form))
        if work.ok:
            flash(_("The card is linked to its holder."))
            return redirect(url_for(".card", number=number))
    return card_page(number, 400, link_form=form)


def _replace_error(form, exc):
    """The new number's own refusals go beside it; the old card's (closed, a hold open) on the form."""
    message = exc.local or exc.message
    if exc.code in ("card_invalid", "card_exists"):
        form.new_number.errors = list(form.new_number.errors or []) + [message]
    else:
        form.form_errors.append(message)


@pages.route("/cards/<number>/replace", methods=["POST"])
@requires("smartcard.manage")
def replace(number):
    form = ReplaceForm()
    if form.validate_on_submit():
        with unit_of_work(form, show=_replace_error) as work:
            new = services.replace(g.tenant, current_actor(), number, form.new_number.data)
            new_number = new.number
        if work.ok:
            flash(_("The card is replaced; its balance is on card %(number)s.", number=new_number))
            return redirect(url_for(".card", number=new_number))
    return card_page(number, 400, replace_form=form)


@pages.route("/cards/<number>/close", methods=["POST"])
@requires("smartcard.manage")
def close(number):
    form = CloseForm()
    if form.validate_on_submit():
        with unit_of_work(form, show=lambda f, exc: f.form_errors.append(exc.local or exc.message)) as work:
            services.close(g.tenant, current_actor(), number, form.close_reason.data or "")
        if work.ok:
            flash(_("The card is closed; its balance is paid out through the bank."))
            return redirect(url_for(".card", number=number))
    return card_page(number, 400, close_form=form)


def _terminals_page(form, status=200):
    from .models import Terminal
    from .forms import DeactivateForm

    with tenant_scope(g.tenant):
        rows = db.session.execute(db.select(Terminal).order_by(Terminal.code)).scalars().all()
    return render_template("smartcard/terminals.html", form=form, terminals=rows, deactivate=DeactivateForm(formdata=None),
                           merchants={m["code"]: m["name"] for m in settings(g.tenant)["merchants"]},
                           can_tokens=current_actor().can("core.tokens")), status


def _terminal_form():
    from .forms import TerminalForm

    form = TerminalForm()
    form.merchant.choices = [(m["code"], m["name"]) for m in settings(g.tenant)["merchants"]]
    return form


@pages.route("/terminals", methods=["GET", "POST"])
@requires("smartcard.terminals")
def terminals():
    """The tenant's card terminals; register one (its API token is made first on the admin's API
    tokens page, scope ``smartcard:terminal``: the README's "Registering a terminal")."""
    form = _terminal_form()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            services.register_terminal(g.tenant, current_actor(), form.code.data.strip(), form.merchant.data,
                                       form.token_name.data.strip())
        if work.ok:
            flash(_("The terminal is registered."))
            return redirect(url_for(".terminals"))
    return _terminals_page(form, 400 if form.is_submitted() else 200)


@pages.route("/terminals/<code>/deactivate", methods=["POST"])
@requires("smartcard.terminals")
def deactivate_terminal(code):
    from .forms import DeactivateForm

    form = DeactivateForm()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            services.deactivate_terminal(g.tenant, current_actor(), code)
        if work.ok:
            flash(_("The terminal is deactivated."))
            return redirect(url_for(".terminals"))
        if work.error is not None and work.error.code == "terminal_unknown":
            abort(404)
    return _terminals_page(_terminal_form(), 400)
