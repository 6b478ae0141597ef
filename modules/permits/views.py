"""The pages of the permits module (under the tenant's ``/permits/``): the public list of permit
types with each one's standard of service (UU 25/2009 art. 21: requirements, procedure, time, cost,
legal basis) and the public register; the applicant's form (save and come back, then submit), their
applications and each one's timeline. The office's pages are in ``views_office.py``."""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from core.kit import (
    NotFound, current_actor, documents, gettext as _, has_permission, lazy_gettext as _l, mask_identity, month_axis,
    page_arg, public, requires, signed_in, unit_of_work,
)

from . import checks, fees, oss, queries, services
from .forms import WithdrawForm, application_form
from .issuance import permit_state
from .withdrawal import may_withdraw
from .models import DRAFT, RETURNED
from .figures import month_label
from .settings import permit_type, permit_types
from .system_notes import shown as timeline_note

pages = Blueprint("permits", __name__)
TITLE = _l("Permits")
STATUS_LABELS = {
    "draft": _l("Draft"), "submitted": _l("In process"), "returned": _l("Waiting for the applicant"),
    "awaiting_payment": _l("Awaiting payment"), "approved": _l("Approved, to be signed"),
    "issued": _l("Issued"), "rejected": _l("Refused"), "withdrawn": _l("Withdrawn"),
}
ACTION_LABELS = {
    "draft": _l("Draft started"), "submit": _l("Submitted"), "approve": _l("Stage approved"),
    "approved": _l("Approved"), "return_stage": _l("Returned to an earlier stage"),
    "ask_applicant": _l("Applicant asked to complete"),
    # OSS 43 (stop and reset): the service time starts again from the resubmission
    "ask_applicant:43": _l("Returned to the applicant for correction (service time starts again)"),
    "resubmit": _l("Completed by the applicant"),
    "reject": _l("Refused"), "invoice": _l("Fee invoiced"), "paid": _l("Fee paid"), "issue": _l("Permit issued"),
    "revoke": _l("Permit revoked"), "suspend": _l("Permit suspended"), "reinstate": _l("Suspension lifted"),
    "fiktif_positif": _l("Deemed approved (fiktif positif)"), "escalate": _l("Overdue: reported to the head"),
    "withdraw": _l("Withdrawn by the applicant"), "expiry_reminder": _l("Holder reminded that the permit ends soon"),
}
PERMIT_LABELS = {"valid": _l("Valid"), "suspended": _l("Suspended"), "revoked": _l("Revoked"),
                 "expired": _l("Expired")}
# an issued application's status line tells what became of its permit (OSS 57, 70, no code, 50)
AFTER_ISSUE_LABELS = {"issued_fiktif_positif": _l("Issued (deemed approved, fiktif positif)"),
                      "suspended": _l("Issued, permit suspended"), "revoked": _l("Issued, permit revoked"),
                      "expired": _l("Issued, permit expired")}



def locale() -> str:
    return str(get_locale() or "id")


@pages.app_template_filter("permit_status")
def status_label(status: str) -> str:
    return str(AFTER_ISSUE_LABELS.get(status) or STATUS_LABELS.get(status, status))


def shown_status(application) -> str:
    """The key of an application's status line: for an issued one, what became of its permit
    (``suspended``, ``revoked``, ``expired``: ``issuance.permit_state``; ``issued_fiktif_positif``
    when deemed approved and still valid), so the line never reads "Issued" beside OSS 70; else
    its status. ``|permit_status`` gives its label."""
    if application.status != "issued":
        return application.status
    state = permit_state(application)
    if state in AFTER_ISSUE_LABELS:
        return state
    return "issued_fiktif_positif" if application.fiktif_positif else application.status


@pages.context_processor
def shared():
    return {"module_title": TITLE, "locale_code": locale(), "permit_labels": PERMIT_LABELS,
            "action_labels": ACTION_LABELS, "timeline_note": timeline_note, "oss_code": oss.code_of, "permit_state": permit_state,
            "shown_status": shown_status,
            "month_label": lambda month: month_label(month, locale())}


@pages.route("/")
@public
def index():
    types = permit_types(g.tenant)
    return render_template("permits/index.html", types=types, names={t.code: t.name(locale()) for t in types},
                           mine=queries.mine(g.tenant, current_user.id) if current_user.is_authenticated else [])


@pages.route("/standard/<code>")
@public
def standard(code):
    ptype = permit_type(g.tenant, code)
    if ptype is None:
        abort(404)
    return render_template("permits/standard.html", ptype=ptype, fee_rows=fees.describe(ptype.fee, ptype.fields(), locale()))


@pages.route("/register")
@public
def register():
    q = request.args.get("q", "")
    page = queries.register(g.tenant, page_arg(), q=q, type_code=request.args.get("type", ""))
    names = {t.code: t.name(locale()) for t in permit_types(g.tenant)}
    # a permit revoked through the core's own verification page reads revoked here too (one query)
    revoked = documents.revoked(g.tenant, [a.document_code for a in page.items if a.document_code])
    return render_template("permits/register.html", page=page, q=q, names=names, revoked=revoked,
                           args={k: v for k, v in request.args.items() if k != "page"})


def _values(form, ptype) -> tuple[dict, dict]:
    applicant = {k: getattr(form, k).data for k in ("name", "nik", "nib", "business_name", "phone")}
    return applicant, {f["code"]: getattr(form, f["code"]).data or "" for f in ptype.fields()}


def _files(ptype) -> dict[str, tuple[bytes, str]]:
    """The requirement files sent with the form: ``{document code: (bytes, file name)}``."""
    out = {}
    for doc in ptype.documents():
        upload = request.files.get(doc["code"])
        if upload and upload.filename:
            out[doc["code"]] = (upload.read(), upload.filename)
    return out


def show_problems(form, error, text=None) -> None:
    """Each problem an error carries on its field (``where``), else on the form; a field that the
    form's own validators already marked keeps that one message (``unit_of_work``'s ``show``).
    ``text(exc)``: the message in the reader's words (default: the raiser's ``local``, else its own)."""
    for exc in checks.each(error):
        field = form._fields.get(exc.where) if exc.where else None
        message = text(exc) if text is not None else (exc.local or exc.message)
        if field is None:
            if message not in form.form_errors:
                form.form_errors.append(message)
        elif not field.errors:
            field.errors = [message]


def _submit_form(form, ptype, application=None):
    """A posted application form: every problem at once (the form's own and ``checks.all_problems``)
    on the form, nothing saved; else the draft saved with its files and, on ``send``, submitted.
    Returns the application when saved, else None."""
    valid = form.validate_on_submit()
    applicant, values = _values(form, ptype)
    files = _files(ptype)
    have = services.uploads_of(g.tenant, application) if application is not None else {}
    problems = checks.all_problems(g.tenant, ptype, applicant, values, files,
                                   have=have, send=bool(form.send.data))
    if problems:
        show_problems(form, checks.Problems(problems))
    if not valid or problems:
        if files:   # a browser does not fill a file input again
            form.form_errors.append(_("The files you chose are not kept either: choose them again."))
        return None
    actor = current_actor()
    with unit_of_work(form, show=show_problems) as work:
        application = services.save_draft(g.tenant, actor, ptype.code, applicant, values, application)
        for code, (data, filename) in files.items():
            services.attach(g.tenant, actor, application, code, data, filename)
        if form.send.data:
            services.submit(g.tenant, actor, application.id)
    return application if work.ok else None


def _saved(form, application):
    flash(_("Application submitted.") if form.send.data else _("Draft saved: you can come back to it."))
    return redirect(url_for(".application", application_id=application.id))


@pages.route("/apply/<code>", methods=["GET", "POST"])
@requires("permits.apply")
def apply(code):
    ptype = permit_type(g.tenant, code)
    if ptype is None:
        abort(404)
    form = application_form(ptype, locale())
    if request.method == "POST" and (application := _submit_form(form, ptype)) is not None:
        return _saved(form, application)
    status = 400 if request.method == "POST" else 200
    return render_template("permits/apply.html", ptype=ptype, form=form, uploads={}), status


def load(application_id: int):
    """The application of this tenant, else 404."""
    try:
        return services.get(g.tenant, application_id)
    except NotFound:
        abort(404)


def _own(application_id: int):
    application = load(application_id)
    if application.applicant_id != current_user.id:
        abort(404)
    return application


@pages.route("/applications/<int:application_id>/edit", methods=["GET", "POST"])
@requires("permits.apply")
def edit(application_id):
    application = _own(application_id)
    if application.status not in (DRAFT, RETURNED):
        if request.method == "POST":   # sent from another tab meanwhile: say so, do not just move on
            flash(_("This application was already submitted."))
        return redirect(url_for(".application", application_id=application.id))
    ptype = services.type_of(g.tenant, application)
    data = {"name": application.applicant_name, "nik": application.nik, "nib": application.nib,
            "business_name": application.business_name, "phone": application.phone, **application.fields}
    form = application_form(ptype, locale(), data=None if request.method == "POST" else data)
    if request.method == "POST" and (saved := _submit_form(form, ptype, application)) is not None:
        return _saved(form, saved)
    status = 400 if request.method == "POST" else 200
    return render_template("permits/apply.html", ptype=ptype, form=form, application=application,
                           uploads=services.uploads_of(g.tenant, application)), status


@pages.route("/applications/<int:application_id>")
@signed_in
def application(application_id):
    application = load(application_id)
    officer = has_permission(current_user, g.tenant, "permits.process")
    if application.applicant_id != current_user.id and not officer:
        abort(404)
    return render_application(application, officer=officer)


def render_application(application, officer: bool = True, **forms):
    """The application page: its state, what the applicant gave (the NIK/NIB in full for an officer,
    masked for the applicant), the files, the timeline and, for an officer, the forms they may use
    now; ``forms`` replace the office's forms (one sent back with its errors)."""
    from .views_office import office_context

    ptype = permit_type(g.tenant, application.type_code)
    # the officer who verifies reads the NIK/NIB in full (against the KTP scan); the applicant masked
    identity = {k: mask_identity(getattr(application, k), reveal=officer) for k in ("nik", "nib")}
    return render_template("permits/application.html", application=application, ptype=ptype, identity=identity,
                           timeline=services.timeline(g.tenant, application),
                           uploads=services.uploads_of(g.tenant, application),
                           missing=services.missing(g.tenant, application) if ptype else [],
                           withdraw_form=forms.pop("withdraw_form", None) or (
                               WithdrawForm(formdata=None) if may_withdraw(application, current_user) else None),
                           **({**office_context(application), **forms} if officer else {}))


from . import views_office  # noqa: E402,F401  (the office's routes on the same blueprint)
from . import views_finance  # noqa: E402,F401  (the retribution reconciliation, same blueprint)
from . import views_files  # noqa: E402,F401  (the requirement files, same blueprint)
from . import views_oss  # noqa: E402,F401  (the report in OSS-RBA's codes, same blueprint)


@pages.route("/applications/<int:application_id>/withdraw", methods=["POST"])
@requires("permits.apply")
def withdraw(application_id):
    """The applicant withdraws (``withdrawal.py``); a refused form is the page again (400)."""
    from .withdrawal import withdraw as withdrawing

    application = _own(application_id)
    form = WithdrawForm()
    if form.validate_on_submit():
        with unit_of_work(form, show=show_problems) as work:
            withdrawing(g.tenant, current_actor(), application.id, form.reason.data or "")
        if work.ok:
            flash(_("The application is withdrawn."))
            return redirect(url_for(".application", application_id=application.id))
        application = load(application_id)
    officer = has_permission(current_user, g.tenant, "permits.process")
    return render_application(application, officer=officer, withdraw_form=form), 400


@pages.route("/permits.css")
@public
def stylesheet():
    from pathlib import Path

    from flask import send_file

    return send_file(Path(__file__).resolve().parent / "static" / "permits.css", mimetype="text/css", max_age=3600)


@pages.route("/figures")
@public
def figures():
    from . import figures as figs, payments

    rows = figs.table(g.tenant)
    names = {t.code: t.name(locale()) for t in permit_types(g.tenant)}
    chart = figs.per_month(rows)
    return render_template("permits/figures.html", rows=rows, chart=chart, axis=month_axis([m for m, _a, _i in chart]),
                           names=names,
                           collected=payments.collected(g.tenant),
                           finance=has_permission(current_user, g.tenant, "permits.cashier"))
