"""Duplicates on the pages: nearby open complaints offered before filing, and the officer's
"mark as a duplicate" action (the services are in ``duplicates.py``). The track page names another
complaint (an original, a number in a note) only if its visitor may see that complaint."""
from __future__ import annotations

from flask import g, render_template, request
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length

from core.kit import ValidationError, current_actor, requires

from .. import duplicates, services
from ..disclosure import event_note_for, hide_references, original_of as _original, status_note_for
from ..labels import gettext as _, lazy_gettext as _l
from ..settings import category
from . import bp, filing_from, proven, unit_names


class DuplicateForm(FlaskForm):
    original = StringField(_l("Tracking number of the original complaint"),
                           validators=[DataRequired(), Length(max=40)])
    confirm_confidential = BooleanField(_l("The original is confidential (rahasia): merge anyway. The public "
                                           "will read “merged with a confidential report”, without its number."))


@bp.context_processor
def duplicate_helpers():
    """``original_of(complaint)``: the complaint it duplicates, if the visitor may see it;
    ``status_note_of(complaint, private)`` / ``event_note_of(event, private)``: the notes as the
    visitor may read them (``private``: unscrubbed, for those who read the details);
    ``named_only(text)``: free text with the numbers of complaints the visitor may not see taken out;
    ``nearby_of(complaint)``: open complaints of its category nearby (suggestions for the officer)."""

    def may_see(other) -> bool:
        return services.may_view(g.tenant, current_actor().principal, other, proven(other))

    def original_of(complaint):
        original = _original(complaint)
        return original if original is not None and may_see(original) else None

    def status_note_of(complaint, private=False):
        return status_note_for(complaint, may_see, scrubbed=not private)

    def event_note_of(event, private=False):
        return event_note_for(event, may_see, scrubbed=not private)

    def named_only(text):
        return hide_references(g.tenant, text, may_see)

    def nearby_of(complaint):
        cat_radius = _radius(complaint.category_code)
        if complaint.latitude is None or not cat_radius or not complaint.is_open:
            return []
        found = duplicates.nearby_open(g.tenant, complaint.category_code, complaint.latitude, complaint.longitude,
                                       cat_radius, limit=duplicates.OFFERED + 1)
        return [n for n in found if n.complaint.id != complaint.id][:duplicates.OFFERED]

    return {"original_of": original_of, "nearby_of": nearby_of, "status_note_of": status_note_of,
            "event_note_of": event_note_of, "named_only": named_only}


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
    from .public import filing_page  # views.public imports this module

    return filing_page(form, nearby=nearby, names=unit_names())


@bp.route("/manage/<number>/duplicate", methods=["POST"])
@requires("complaints.handle")
def mark_duplicate(number: str):
    from .public import officer_action  # views.public imports this module

    form = DuplicateForm()

    def show(form, exc):
        form.original.errors = list(form.original.errors or []) + [_message(exc)]

    return officer_action(
        number, form, "duplicate_form",
        lambda c: duplicates.mark_duplicate(g.tenant, current_actor().principal, c, form.original.data,
                                            confirm_confidential=bool(form.confirm_confidential.data)),
        _("Marked as a duplicate; its followers now follow the original complaint."), show=show,
    )


def _message(exc: ValidationError) -> str:
    return {
        "unknown_complaint": _("There is no complaint with this number."),
        "same_complaint": _("A complaint cannot be a duplicate of itself."),
        "original_rejected": _("The original complaint was rejected; choose another."),
        "invalid_transition": _("Only an open complaint can be marked as a duplicate."),
        "original_confidential": _("The original complaint is confidential (rahasia): only the complaint "
                                   "coordinator can merge a public complaint into it."),
        "confirm_confidential": _("The original complaint is confidential (rahasia): tick the box to merge "
                                  "this public complaint into it."),
    }.get(exc.code, exc.message)
