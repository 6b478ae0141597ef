"""Officers' pages: the agency's queue (searchable by tracking number or the filer's contact, with
the filer's unread additions), moving and re-routing a complaint, entering a hotline call."""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for

from core.kit import ValidationError, current_actor, page_arg, requires, unit_of_work, utcnow

from .. import privacy, queue, services, workflow
from ..forms import HotlineForm, RerouteForm, TransitionForm
from ..labels import gettext as _, status_label
from ..models import STATUSES
from ..settings import categories
from . import bp, fill_choices, filing_from, locale, show_error, unit_names, units
from .public import officer_action


def _list(template_title: str, agency_ids, endpoint: str):
    q = request.args.get("q", "").strip()[:254]
    status = request.args.get("status", "all" if q else "open")
    if status not in STATUSES + ("open", "all"):
        status = "open"
    only_overdue = request.args.get("overdue") == "1"
    only_unread = request.args.get("unread") == "1"
    now = utcnow()
    try:
        page = queue.search(
            g.tenant, agency_ids=agency_ids, status=status, category=request.args.get("category", ""),
            overdue_at=now if only_overdue else None, page=page_arg(), q=q,
            coordinator=services.may_coordinate(g.tenant, current_actor().principal), unread_only=only_unread,
        )
    except ValidationError:
        abort(400)
    return render_template(
        "complaints/queue.html", title=template_title, page=page, status=status, only_overdue=only_overdue,
        q=q, only_unread=only_unread,
        now=now, names=unit_names(), cat_names={c.code: c.name(locale()) for c in categories(g.tenant)},
        statuses=STATUSES, endpoint=endpoint,
        args={k: v for k, v in request.args.items() if k != "page"},
        agencies=[n for i, n in unit_names().items() if agency_ids is None or i in agency_ids],
    )


@bp.route("/queue", endpoint="queue")
@requires("complaints.handle")
def queue_page():
    user = current_actor().principal
    agency_ids = None if services.may_coordinate(g.tenant, user) else services.agencies_of(g.tenant, user)
    return _list(_("Complaint queue"), agency_ids, "complaints.queue")


@bp.route("/all")
@requires("complaints.read_all")
def all_complaints():
    return _list(_("All complaints"), None, "complaints.all_complaints")


@bp.route("/manage/<number>/status", methods=["POST"])
@requires("complaints.handle")
def change_status(number: str):
    form = TransitionForm()

    def act(complaint):
        status, _sep, outcome = form.status.data.partition(":")  # "closed:duplicate": close without a fix
        user = current_actor().principal
        workflow.transition(g.tenant, user, complaint, status, note=form.note.data or "", outcome=outcome)
        if status == "verified" and (form.anonymous.data or form.confidential.data):
            privacy.set_privacy(g.tenant, user, complaint, anonymous=bool(form.anonymous.data),
                                confidential=bool(form.confidential.data))

    return officer_action(number, form, "transition_form", act,
                          lambda c: _("Status changed to: %(status)s", status=status_label(c.status)))


@bp.route("/manage/<number>/reroute", methods=["POST"])
@requires("complaints.handle")
def reroute(number: str):
    form = RerouteForm()
    form.agency.choices = [(a.code, a.name) for a in units("agency")]
    return officer_action(
        number, form, "reroute_form",
        lambda c: workflow.reroute(g.tenant, current_actor().principal, c, form.agency.data, form.reason.data),
        _("The complaint has been forwarded."),
    )


@bp.route("/hotline", methods=["GET", "POST"])
@requires("complaints.handle")
def hotline():
    form = HotlineForm()
    fill_choices(form)
    if request.method == "POST":
        if form.validate_on_submit():
            with unit_of_work(form, show=show_error) as work:
                complaint, key = services.file_complaint(
                    g.tenant, current_actor().principal, filing_from(form, request.files.getlist("photos")), "hotline"
                )
            if work.ok:
                flash(_("Call entered as %(number)s. Tell the caller this access code: %(key)s",
                        number=complaint.number, key=key))
                return redirect(url_for("complaints.track", number=complaint.number))
        return render_template("complaints/hotline.html", form=form), 400
    return render_template("complaints/hotline.html", form=form)

