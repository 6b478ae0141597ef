"""The tenant admin's page for a person's NIP and pangkat/golongan (issue 14): what a signed letter
prints under the signer's name (Permendagri 1/2023). ``/admin/users/<user id>/official``, linked
from the Users page. Saved through the same service as the tenant file's ``[[accounts.people]]``
(``core.auth.official.update_official_identity``: the core's NIP validator, one NIP per person,
audited with the NIP masked). Only for a person with a role in this tenant: anyone else is a 404.
A refused form is shown again with the message beside its field, answered 400."""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length

from ..auth.models import Membership, User
from ..auth.official import RANK_MAX, RANKS, TITLE_BACK_MAX, TITLE_FRONT_MAX, update_official_identity
from ..auth.permissions import requires
from ..errors import PamongError
from ..extensions import db
from .views import _actor, bp


class OfficialForm(FlaskForm):
    nip = StringField(_l("NIP"), validators=[Length(max=40)],
                      description=_l("18 digits; spaces, dots and hyphens are ignored. Empty for someone who is "
                                     "not a civil servant."),
                      render_kw={"inputmode": "numeric", "autocomplete": "off", "maxlength": 40})
    rank = StringField(_l("Rank (pangkat/golongan)"), validators=[
        Length(max=RANK_MAX, message=_l("At most %(max)d characters.", max=RANK_MAX))],
        description=_l("As a letter prints it, e.g. Pembina Tk. I (IV/b). Empty for none."),
        render_kw={"list": "ranks", "autocomplete": "off", "maxlength": RANK_MAX})
    title_front = StringField(_l("Titles before the name (gelar depan)"), validators=[
        Length(max=TITLE_FRONT_MAX, message=_l("At most %(max)d characters.", max=TITLE_FRONT_MAX))],
        description=_l("E.g. Dr. or Ir. Record the name itself without titles: letters print them only "
                       "where Permendagri 1/2023 asks for them. Empty for none."),
        render_kw={"autocomplete": "off", "maxlength": TITLE_FRONT_MAX})
    title_back = StringField(_l("Titles after the name (gelar belakang)"), validators=[
        Length(max=TITLE_BACK_MAX, message=_l("At most %(max)d characters.", max=TITLE_BACK_MAX))],
        description=_l("E.g. S.T., M.Si. Empty for none."),
        render_kw={"autocomplete": "off", "maxlength": TITLE_BACK_MAX})


def _person_or_404(user_id: int) -> User:
    """The user ``user_id`` if they have a role in this tenant (memberships are tenant-owned:
    another tenant's are not found), else 404."""
    user = db.session.execute(
        db.select(User).join(Membership, Membership.user_id == User.id).where(User.id == user_id).limit(1)
    ).scalar_one_or_none()
    if user is None:
        abort(404)
    return user


@bp.route("/users/<int:user_id>/official", methods=["GET", "POST"])
@requires("core.admin")
def user_official(user_id: int):
    user = _person_or_404(user_id)
    form = OfficialForm(data={"nip": user.nip or "", "rank": user.rank or "", "title_front": user.title_front or "",
                              "title_back": user.title_back or ""})
    if form.validate_on_submit():
        try:
            changed = update_official_identity(user, form.nip.data, form.rank.data, _actor(), g.tenant,
                                               titles=(form.title_front.data, form.title_back.data))
            db.session.commit()
        except PamongError as exc:
            db.session.rollback()
            _refused(form, exc)
        else:
            flash(_("Rank and NIP saved.") if changed else _("Nothing changed."))
            return redirect(url_for("admin.users"))
    status = 400 if form.errors else 200
    return render_template("admin/user_official.html", form=form, person=user, ranks=RANKS), status


def _refused(form: OfficialForm, exc: PamongError) -> None:
    """The service's refusal beside its field, in the reader's language."""
    if exc.code == "nip_taken":  # never whose it is: that person may belong to another tenant
        form.nip.errors.append(_("This NIP is already recorded for another person."))
    elif exc.code == "bad_title":  # markup, quotes, ...: never echoed back
        field = form.title_front if (exc.where or "").endswith(".title_front") else form.title_back
        field.errors.append(_("Only letters, digits, spaces and . , ' ( ) - / & are allowed."))
    elif (exc.where or "").endswith(".title_front"):
        form.title_front.errors.append(_("At most %(max)d characters.", max=TITLE_FRONT_MAX))
    elif (exc.where or "").endswith(".title_back"):
        form.title_back.errors.append(_("At most %(max)d characters.", max=TITLE_BACK_MAX))
    elif (exc.where or "").endswith(".rank"):
        form.rank.errors.append(_("At most %(max)d characters.", max=RANK_MAX))
    else:  # the NIP validator's own words (core/identity.py), translated
        form.nip.errors.append(str(exc.local) if exc.local else exc.message)
