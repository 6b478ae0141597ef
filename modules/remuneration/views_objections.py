"""The objection pages: an employee objects to a month from their own page; the supervisor and the
personnel agency see the open objections awaiting them and decide, through the core's approvals."""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from core.kit import current_actor, gettext as _, page_arg, parse_int, requires, unit_of_work

from . import objections, services
from .refusals import said
from .views import TITLE, asked_month, pages

PER_PAGE = 25


def refusal_text(error) -> str:
    """A refusal in the reader's language: the core approval chain's refusals by their stable code
    (its messages are English), else the raiser's own (translated) message."""
    known = {
        "approval_twice": _("You already decided an earlier step of this objection; one person acts once on it."),
        "approval_out_of_turn": _("This step is not awaiting a decision now."),
        "approval_not_holder": _("You do not decide this step."),
        "approval_closed": _("This objection is already decided."),
        "approval_bad_return": _("Say why it is returned."),
        "approval_bad_reject": _("Say why it is rejected."),
    }
    return str(known.get(getattr(error, "code", ""), None) or said(error))




@pages.route("/objections", methods=["POST"])
@requires("remuneration.own")
def file_objection():
    employee = services.employee_of(g.tenant, getattr(current_user, "email", ""))
    first = asked_month(source=request.form, required=True)  # none: a 400 naming the field and its form
    if employee is None:
        abort(400)
    month = (first.year, first.month)
    with unit_of_work() as work:
        objections.file_objection(g.tenant, current_actor(), employee, *month, request.form.get("reason", ""))
    if work.ok:
        flash(_("Your objection was sent to your supervisor."))
    else:
        flash(refusal_text(work.error), "error")
    return redirect(url_for(".index", month="%d-%02d" % month))


@pages.route("/objections")
@requires("remuneration.resolve")
def objection_list():
    user, page = current_actor().principal, page_arg()
    found = objections.open_objections(g.tenant, (page - 1) * PER_PAGE, PER_PAGE + 1)
    rows = [(o, e, step, step is not None and objections.may_decide(g.tenant, o, step["step"], user),
             objections.decisions(g.tenant, o.id)) for o, e, step in found[:PER_PAGE]]
    return render_template("remuneration/objections.html", module_title=TITLE, rows=rows, page=page,
                           last_step=objections.LAST_STEP, about=objections.about(g.tenant, [row[0].id for row in rows]),
                           has_next=len(found) > PER_PAGE)


@pages.route("/objections/<int:objection_id>/decide", methods=["POST"])
@requires("remuneration.resolve")
def decide(objection_id):
    try:
        step = parse_int(request.form.get("step", ""), 0, objections.LAST_STEP)
    except ValueError:  # not a whole number, or no step of the chain (OutOfBounds)
        abort(400)
    with unit_of_work() as work:
        decision, who, note = request.form.get("decision"), current_actor().principal, request.form.get("note", "")
        if decision == "return":
            objections.return_step(g.tenant, who, objection_id, step, note)
        elif decision == "reject":
            objections.reject_step(g.tenant, who, objection_id, step, note)
        else:  # approve; at the last step it upholds the objection with its correction
            objections.resolve_step(g.tenant, who, objection_id, step, note, request.form.get("amount"))
    flash(_("Decision recorded.") if work.ok else refusal_text(work.error), "message" if work.ok else "error")
    return redirect(url_for(".objection_list"))
