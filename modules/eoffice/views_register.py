"""Registering an incoming letter that came on paper or by e-mail (agenda surat masuk, register.py):
the receiving agency's officer types what the letter says and attaches its scan. Bad input comes
back on the form with every message (a summary at the top, each beside its field; HTTP 400)."""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale

from core.kit import OrgUnit, ValidationError, current_actor, db, gettext as _, requires, tenant_scope, unit_of_work

from . import register
from .form_errors import show_all
from .forms import RegisterForm
from .labels import security_label
from .settings import SECURITY, classifications, letter_types, settings_of
from .views import WORK, pages


def _fill(form: RegisterForm) -> None:
    tenant, actor = g.tenant, current_actor()
    indonesian = str(get_locale() or "id").startswith("id")
    with tenant_scope(tenant):
        units = list(db.session.execute(db.select(OrgUnit).where(OrgUnit.active.is_(True), OrgUnit.kind == "agency")
                                        .order_by(OrgUnit.code)).scalars())
    form.unit.choices = [(u.code, u.name) for u in units if u.id in actor.agency_ids] or [("", "—")]
    form.letter_type.choices = [(c, t["name_id"] if indonesian else t["name_en"]) for c, t in letter_types(tenant).items()]
    form.classification.choices = [(c, f"{c} {'· ' * e['depth']}{e['name']}") for c, e in classifications(tenant).items()]
    form.security.choices = [(s, security_label(s)) for s in SECURITY]
    if request.method == "GET":
        form.security.data = settings_of(tenant)["default_security"]


def _incoming(form: RegisterForm) -> register.Incoming:
    scan = form.scan.data
    return register.Incoming(
        unit=form.unit.data or "", sender=form.sender.data or "", sender_number=form.sender_number.data or "",
        subject=form.subject.data or "", letter_date=form.letter_date.data, letter_type=form.letter_type.data or "",
        classification=form.classification.data or "", security=form.security.data or "",
        scan=(scan.filename, scan.read()) if getattr(scan, "filename", "") else None)


@pages.route("/incoming/new", methods=["GET", "POST"])
@requires(WORK)
def register_incoming():
    form = RegisterForm()
    _fill(form)
    if request.method == "GET":
        return render_template("eoffice/register.html", form=form)
    if not form.validate_on_submit():  # an expired form or a date that is no date: say the rest too
        try:
            register.check(g.tenant, current_actor(), _incoming(form))
        except ValidationError as exc:
            show_all(form, exc)
        db.session.rollback()
        return render_template("eoffice/register.html", form=form), 400
    with unit_of_work(form, show=show_all) as work:
        letter_id = register.register(g.tenant, current_actor(), _incoming(form)).id
    if work.ok:
        flash(_("The incoming letter is registered: it is in the agency's inbox."))
        return redirect(url_for(".letter", letter_id=letter_id))
    return render_template("eoffice/register.html", form=form), 400
