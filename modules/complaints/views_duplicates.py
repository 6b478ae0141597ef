"""Duplicates on the pages: nearby open complaints offered before filing, and the officer's
"mark as a duplicate" action (the services are in ``duplicates.py``)."""
from __future__ import annotations

from flask import g, render_template, request
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from core.kit import ValidationError, db, requires

from . import duplicates
from .labels import gettext as _, lazy_gettext as _l
from .settings import category
from .views import actor, bp, filing_from, unit_names


class DuplicateForm(FlaskForm):
    original = StringField(_l("Tracking number of the original complaint"),
                           validators=[DataRequired(), Length(max=40)])


@bp.context_processor
def duplicate_helpers():
    """``original_of(complaint)``: the complaint it duplicates; ``nearby_of(complaint)``: open
    complaints of its category nearby (suggestions for the officer)."""

    def original_of(complaint):
        if complaint.duplicate_of_id is None:
            return None
        return db.session.get(type(complaint), complaint.duplicate_of_id)

    def nearby_of(complaint):
        cat_radius = _radius(complaint.category_code)
        if complaint.latitude is None or not cat_radius or not complaint.is_open:
            return []
        found = duplicates.nearby_open(g.tenant, complaint.category_code, complaint.latitude, complaint.longitude,
                                       cat_radius, limit=duplicates.OFFERED + 1)
        return [n for n in found if n.complaint.id != complaint.id][:duplicates.OFFERED]

    return {"original_of": original_of, "nearby_of": nearby_of}


def _radius(code: str) -> int:
    try:
        return category(g.tenant, code).duplicate_radius_m
    except ValidationError:
        return 0


def offer_first(form):
    """Before filing on the portal: the page offering nearby open complaints of the same category
    to follow instead, unless there are none or the citizen chose to file anyway (None then)."""
    if request.form.get("file_anyway") == "1":
        return None
    nearby = duplicates.offer(g.tenant, filing_from(form, []))
    if not nearby:
        return None
    return render_template("complaints/new.html", form=form, nearby=nearby, names=unit_names())


@bp.route("/manage/<number>/duplicate", methods=["POST"])
@requires("complaints.handle")
def mark_duplicate(number: str):
    from .views_public import officer_action  # views_public imports this module

    form = DuplicateForm()

    def show(form, exc):
        form.original.errors = list(form.original.errors or []) + [_message(exc)]

    return officer_action(
        number, form, "duplicate_form",
        lambda c: duplicates.mark_duplicate(g.tenant, actor(), c, form.original.data),
        _("Marked as a duplicate; its followers now follow the original complaint."), show=show,
    )


def _message(exc: ValidationError) -> str:
    return {
        "unknown_complaint": _("There is no complaint with this number."),
        "same_complaint": _("A complaint cannot be a duplicate of itself."),
        "original_rejected": _("The original complaint was rejected; choose another."),
        "invalid_transition": _("Only an open complaint can be marked as a duplicate."),
    }.get(exc.code, exc.message)
