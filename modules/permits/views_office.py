"""The office's pages: the queue (paginated, by stage, overdue, search), acting on a stage, recording
a payment at the counter, signing and issuing, and suspending or revoking an issued permit."""
from __future__ import annotations

import re

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from core.kit import (
    ParameterError, approvals, current_actor, gettext as _, has_permission, int_arg, page_arg, requires,
    unit_of_work, utcnow,
)

from . import checks, issuance, payments, queries, services, system_notes
from .forms import ActForm, IssueForm, PaymentForm, StatusForm
from .models import APPROVED, AWAITING_PAYMENT, CLOSED, ISSUED, OPEN, SUBMITTED
from .settings import permit_type, permit_types
from .views import load, locale, pages


def office_context(application) -> dict:
    """The forms an officer may use on this application now, as it is now (never filled from a
    posted form: a stale tab is answered with fresh ones)."""
    ctx = {}
    seen = seen_mark(application.id)   # every form carries it: a stale second tab is answered (``stale``)
    own = application.applicant_id == current_user.id   # conflict of interest: never their own (services.not_own)
    chain = approvals.get_chain(g.tenant, services.NAME, services.KIND, application.id)
    if application.status == SUBMITTED and chain is not None:
        waiting = approvals.awaiting(g.tenant, chain)
        if waiting and approvals.may_act(g.tenant, waiting["step"], current_user):
            if own:
                ctx["own_application"] = True
            else:
                ctx["act_form"] = form = ActForm(formdata=None, step=str(waiting["index"]), seen=seen)
                if waiting["index"] == 0:   # no earlier stage to return it to
                    form.decision.choices = [c for c in form.decision.choices if c[0] != "back"]
        ctx["awaiting"] = waiting
        if waiting:
            ptype = permit_type(g.tenant, application.type_code)
            ctx["awaiting_label"] = (ptype.stage_label(waiting["index"], locale()) if ptype
                                     else waiting["label"])
    # recording the payment, issuing, suspending or revoking: never on one's own application either
    forms = {}
    if application.status == AWAITING_PAYMENT and has_permission(current_user, g.tenant, "permits.cashier"):
        forms["pay_form"] = lambda: PaymentForm(formdata=None, amount=application.fee_amount,
                                                   seen=seen)
    if application.status == APPROVED and has_permission(current_user, g.tenant, "permits.sign"):
        forms["issue_form"] = lambda: IssueForm(formdata=None, seen=seen)
    if (application.status == ISSUED and application.permit_status in ("valid", "suspended")
            and has_permission(current_user, g.tenant, "permits.revoke")):
        forms["status_form"] = lambda: StatusForm.for_status(application.permit_status, formdata=None, seen=seen)
    if forms and own:
        ctx["own_application"] = True
    else:
        ctx.update({name: make() for name, make in forms.items()})
    ctx["stages"] = approvals.history(g.tenant, services.NAME, services.KIND, application.id)
    return ctx


@pages.route("/queue")
@requires("permits.process")
def queue():
    stage = request.args.get("stage", "")
    stage_no = int_arg("stage", None, min=0, max=11) if stage != "" else None
    overdue = request.args.get("overdue") == "1"
    q = request.args.get("q", "")
    type_code = request.args.get("type", "")
    status = request.args.get("status", "")
    if status and status not in OPEN + CLOSED:
        raise ParameterError("status", "must be one of " + ", ".join(OPEN + CLOSED))   # 400, as a bad stage
    page = queries.queue(g.tenant, page_arg(), stage=stage_no, overdue=overdue, q=q, type_code=type_code,
                         status=status)
    types = permit_types(g.tenant)
    stages = sorted({i for t in types for i in range(len(t.stages))})
    stage_labels = {(t.code, i): t.stage_label(i, locale()) for t in types for i in range(len(t.stages))}
    return render_template("permits/queue.html", page=page, q=q, overdue=overdue, stage=stage_no, stages=stages,
                           types=types, type_code=type_code, status=status, statuses=OPEN + CLOSED,
                           names={t.code: t.name(locale()) for t in types},
                           stage_labels=stage_labels, me=current_user.id,
                           now=utcnow(), args={k: v for k, v in request.args.items() if k != "page"})


def refusal_text(error) -> str:
    """The refusal in the reader's language: the raiser's own translation (``local``), the core
    approval chain's refusals by their stable code, else the raiser's message."""
    if error.local is not None:
        return str(error.local)
    known = {
        "approval_out_of_turn": _("This stage is not awaiting action now."),
        "approval_twice": _("You already acted on this application."),
        "approval_not_holder": _("You do not act on this stage."),
        "approval_closed": _("All stages of this application are already done."),
        "approval_bad_return": _("Say why it is returned."),
    }
    if error.code == "approval_bad_return" and error.where == "to_step":
        return _("This is the first stage: there is no earlier stage to return it to.")
    return str(known.get(error.code) or error.message)


def seen_mark(application_id: int) -> str:
    """What an officer's form was opened on: the id of the application's latest change of state
    (``queries.last_change``; "0" before any). Sent back in the form's hidden ``seen``."""
    last = queries.last_change(g.tenant, application_id)
    return str(last.id if last is not None else 0)


def _forged(form) -> bool:
    """The form's CSRF token was refused (there is none when a test turns CSRF off)."""
    token = getattr(form, "csrf_token", None)
    return bool(token is not None and token.errors)


def stale(application_id: int, form):
    """None when the form was opened on the application as it is now (or carries no ``seen``: a
    client that never showed the page); else the application page as it is now, with the officer's
    fresh forms and the message of what changed meanwhile (another tab, another officer), nothing
    recorded (409). A ``seen`` that is not a number is a forged form (400)."""
    from .views import ACTION_LABELS, render_application, shown_status, status_label

    seen = (form.seen.data or "").strip()
    if not seen:
        return None
    if not re.fullmatch(r"[0-9]{1,18}", seen):
        abort(400)
    last = queries.last_change(g.tenant, application_id)
    if str(last.id if last is not None else 0) == seen:
        return None
    application = load(application_id)
    change = ACTION_LABELS.get(f"{last.action}:{last.oss_code}") or ACTION_LABELS.get(last.action, last.action)
    flash(_("This application has changed since you opened it: %(change)s (now: %(status)s). Nothing was "
            "recorded from your form: check the application as it is now and act again if still needed.",
            change=change, status=status_label(shown_status(application))), "error")
    return render_application(application), 409


def _back(application_id: int, work, message: str, form=None, name: str = ""):
    """Done: the message flashed, back to the application. Refused: a problem the officer can
    correct on the form (its ``where`` one of the form's fields) is the application page again with
    that form, every message on its field and the summary at the top (400); any other refusal (out of
    turn, their own application, ...) is flashed in the reader's language."""
    if work.ok:
        flash(message)
    elif form is not None and any(p.where in form._fields for p in checks.each(work.error)):
        return _again(application_id, form, name, work.error)
    else:
        flash(refusal_text(work.error), "error")
    return redirect(url_for(".application", application_id=application_id))


def _again(application_id: int, form, name: str, error=None):
    from .views import render_application, show_problems

    if error is not None:
        show_problems(form, error, refusal_text)
    if name == "act_form" and form.step.data == "0":   # as office_context offers it: nothing earlier
        form.decision.choices = [c for c in form.decision.choices if c[0] != "back"]
    return render_application(load(application_id), **{name: form}), 400


@pages.route("/applications/<int:application_id>/act", methods=["POST"])
@requires("permits.process")
def act(application_id):
    form = ActForm()
    load(application_id)
    valid = form.validate_on_submit()
    step_ok = bool(re.fullmatch(r"[0-9]{1,3}", form.step.data or ""))   # ASCII digits only ("²".isdigit())
    if _forged(form) or not step_ok:
        abort(400)
    if (answer := stale(application_id, form)) is not None:
        return answer
    if not valid:
        return _again(application_id, form, "act_form")   # a note too long, an unknown decision
    step, note, decision = int(form.step.data), form.note.data or "", form.decision.data
    actor = current_actor()
    with unit_of_work() as work:
        if decision == "approve":
            services.approve_stage(g.tenant, actor, application_id, step, note)
        elif decision in ("ask", "reset"):
            services.ask_applicant(g.tenant, actor, application_id, step, note, reset=decision == "reset")
        elif decision == "back":
            services.return_to_stage(g.tenant, actor, application_id, step, step - 1, note)
        else:
            services.reject(g.tenant, actor, application_id, step, note)
    return _back(application_id, work, _("Decision recorded."), form, "act_form")


@pages.route("/applications/<int:application_id>/pay", methods=["POST"])
@requires("permits.cashier")
def pay(application_id):
    form = PaymentForm()
    application = load(application_id)
    valid = form.validate_on_submit()
    if not _forged(form) and (answer := stale(application_id, form)) is not None:
        return answer
    if not valid:
        return _again(application_id, form, "pay_form")   # every message of the form on its field
    with unit_of_work() as work:
        payments.record_payment(g.tenant, current_actor(), application.payment_code or "", form.amount.data,
                                form.reference.data or system_notes.COUNTER)
    if isinstance(work.error, payments.AlreadyPaid):   # refused (flashed), the attempt kept in the audit trail
        with unit_of_work():
            payments.audit_second_payment(g.tenant, current_actor(), work.error)
    return _back(application_id, work, _("Payment recorded."), form, "pay_form")


@pages.route("/applications/<int:application_id>/issue", methods=["POST"])
@requires("permits.sign")
def issue(application_id):
    load(application_id)
    form = IssueForm()
    if not form.validate_on_submit():
        abort(400)
    if (answer := stale(application_id, form)) is not None:
        return answer
    with unit_of_work() as work:
        issuance.issue_permit(g.tenant, current_actor(), application_id)
    return _back(application_id, work, _("The permit is issued and signed."))


@pages.route("/applications/<int:application_id>/status", methods=["POST"])
@requires("permits.revoke")
def permit_status(application_id):
    """Suspend, lift or revoke (audited, ``issuance.py``); a refused form is the application page
    again with the messages on their fields (400)."""
    application = load(application_id)
    if application.status != ISSUED:
        abort(404)
    form = StatusForm.for_status(application.permit_status)
    valid = form.validate_on_submit()
    if not _forged(form) and (answer := stale(application_id, form)) is not None:
        return answer
    if valid:
        actor, reason = current_actor(), form.reason.data
        with unit_of_work(form) as work:
            if form.action.data == "revoke":
                issuance.revoke_permit(g.tenant, actor, application_id, reason)
            else:
                issuance.suspend_permit(g.tenant, actor, application_id, reason, lift=form.action.data == "lift")
        if work.ok:
            flash(_("The permit's status is changed."))
            return redirect(url_for(".application", application_id=application_id))
        application = load(application_id)
    from .views import render_application

    return render_application(application, status_form=form), 400
