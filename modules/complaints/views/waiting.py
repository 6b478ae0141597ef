"""The complaint's clock on the pages: a handler asks the filer for more information, and the
complaint waits on the citizen (its deadlines stop) until they answer (``deadlines.py``)."""
from __future__ import annotations

from flask import g
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from core.kit import current_actor, requires

from .. import deadlines
from ..models import aware
from ..labels import gettext as _, lazy_gettext as _l
from . import bp


class AskForm(FlaskForm):
    question = TextAreaField(_l("What does the filer need to tell you?"),
                             validators=[DataRequired(), Length(max=1000)])


@bp.context_processor
def clock_helpers():
    """``pending_targets(complaint)``: [(target, deadline)] still running, for the track page. A
    follow-up plan due after the fix itself (a category resolved faster than SP4N-LAPOR!'s five
    working days for a plan, e.g. rubbish in three) is not shown: the fix's deadline comes first,
    and two deadlines the wrong way round read as a mistake (trial of issue 20). Its clock still
    runs, as the SLA report counts it."""

    def pending_targets(complaint):
        columns = {"response": complaint.response_due_at, "followup": complaint.followup_due_at,
                   "resolution": complaint.resolution_due_at}
        fix = columns["resolution"]
        return [(t, columns[t]) for t in deadlines.pending(complaint) if columns[t] is not None
                and not (t == "followup" and fix is not None and aware(columns[t]) > aware(fix))]

    return {"pending_targets": pending_targets}


@bp.route("/manage/<number>/ask", methods=["POST"])
@requires("complaints.handle")
def ask_filer(number: str):
    from .public import officer_action  # views.public imports views_duplicates

    form = AskForm()

    def show(form, exc):
        form.question.errors = list(form.question.errors or []) + [{
            "already_waiting": _("The complaint already waits on the filer."),
            "not_open": _("Only an open complaint can wait on the filer."),
            "html_not_allowed": _("Please write plain text, without HTML."),
        }.get(exc.code, exc.message)]

    return officer_action(
        number, form, "ask_form",
        lambda c: deadlines.wait_on_citizen(g.tenant, current_actor().principal, c, form.question.data),
        _("The filer has been asked; the deadlines wait until they answer."), show=show,
    )
