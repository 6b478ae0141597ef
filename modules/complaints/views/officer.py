"""Officers' pages: the agency's queue (issue 20.2: counted and paged, searched by number, words of
the description or the filer's contact, filtered, sorted, worked in bulk, cards on a phone),
assigning, moving and re-routing a complaint, entering a hotline call."""
from __future__ import annotations

from urllib.parse import urlencode

from flask import flash, g, redirect, render_template, request, send_file, url_for
from werkzeug.datastructures import MultiDict

from core.kit import (
    NotFound, PamongError, ParameterError, User, ValidationError, current_actor, date_arg, db,
    page_arg, public, requires, unit_of_work, utcnow,
)

from .. import handling, privacy, queue, queue_rows, services, workflow
from ..forms import AssignForm, BulkForm, HotlineForm, RerouteForm, TransitionForm
from ..labels import action_label, gettext as _, status_label
from ..models import STATUSES
from ..settings import categories, response_templates, settings_of
from . import (
    STYLESHEET, _field_message, bp, fill_choices, filing_from, locale, ngettext, show_error, show_filing_problems,
    unit_names, units,
)
from .public import officer_action, photo_hint

SCRIPT = STYLESHEET.parent / "queue.js"
FILTER_KEYS = ("q", "status", "category", "district", "village", "filed_from", "filed_to", "assignee", "overdue",
               "unread", "sort")
BULK_STATUSES = ("verified", "in_progress", "resolved", "rejected")


def _filters(args, now) -> tuple[queue.Filters, list[ParameterError]]:
    """The officer's filters, and the dates or checkbox values that could not be read (left out of the filters, their
    text kept in the form by the template)."""
    q = args.get("q", "").strip()[:254]
    bad: list[ParameterError] = []

    def day(name):
        try:
            return date_arg(name, source=args)
        except ParameterError as exc:
            bad.append(exc)
            return None

    for box in ("overdue", "unread"):  # the form's checkboxes send "1" or nothing
        if args.get(box, "") not in ("", "1"):
            bad.append(ParameterError(box, "must be 1 or empty"))

    return queue.Filters(
        status=args.get("status", "") or ("all" if q else "open"), category=args.get("category", "").strip(),
        district=args.get("district", "").strip(), village=args.get("village", "").strip(),
        filed_from=day("filed_from"), filed_to=day("filed_to"),
        assignee=args.get("assignee", "").strip(), overdue_at=now if args.get("overdue") == "1" else None,
        unread_only=args.get("unread") == "1", q=q, sort=args.get("sort", "").strip(),
    ), bad


def _parameter_message(exc: ParameterError) -> str:
    """A page number or a date of the query that cannot be read, in the reader's language, without
    the parameter's own (English) name."""
    if exc.parameter == "page":
        return _("There is no such page: pages are numbered from 1.")
    if exc.parameter in ("overdue", "unread"):
        box = _("Overdue only") if exc.parameter == "overdue" else _("New from the filer only")
        return _("“%(name)s” can only be ticked or left empty.", name=box)
    if exc.parameter == "filed_from":
        return _("“Filed from” must be a real date, written YYYY-MM-DD (for example 2026-11-30).")
    return _("“Filed until” must be a real date, written YYYY-MM-DD (for example 2026-11-30).")


# the filter form's element for a parameter (a problem is shown beside it and linked from the summary)
FIELD_IDS = {"status": "filter-status", "category": "filter-category", "district": "filter-district",
             "village": "filter-village", "assignee": "filter-assignee", "filed_from": "filter-from",
             "filed_to": "filter-to", "overdue": "filter-overdue", "unread": "filter-unread"}


def _filter_message(exc: ValidationError) -> str:
    return {
        "invalid_status": _("This status is not one of the list."),
        "unknown_category": _("This category is not one of the list."),
        "unknown_district": _("This district is not one of the list."),
        "unknown_village": _("This village is not one of the list."),
        "unknown_assignee": _("This officer is not one of the list."),
        "invalid_date_range": _("The first date is after the last."),
        "invalid_sort": _("The list cannot be sorted that way."),
    }.get(exc.code, exc.message)


def _agency_ids(user):
    return None if services.may_coordinate(g.tenant, user) else services.agencies_of(g.tenant, user)


def _officers(agency_ids) -> list[User]:
    """The officers complaints of these agencies can be given to (all agencies: the coordinator)."""
    ids = agency_ids if agency_ids is not None else {u.id for u in units("agency")}
    found: dict[int, User] = {}
    for agency_id in sorted(ids):
        for user in handling.colleagues(g.tenant, agency_id):
            found.setdefault(user.id, user)
    return sorted(found.values(), key=lambda u: (u.name or u.email).lower())


def _list(template_title: str, agency_ids, endpoint: str, args=None, bulk_form=None, error: str = "",
          status_code: int = 200):
    args = args if args is not None else request.args
    now = utcnow()
    user = current_actor().principal
    f, bad = _filters(args, now)
    try:
        page_number = page_arg(source=args)
    except ParameterError as exc:
        page_number = 1
        bad.append(exc)
    cats = categories(g.tenant)
    problem, problem_field = error, ""
    officers = _officers(agency_ids) if endpoint == "complaints.queue" else []
    # a colleague is chosen by id: one who is not an officer of these agencies is an unknown value
    known_assignees = None
    if f.assignee.isdigit():
        known_assignees = {o.id for o in (officers if endpoint == "complaints.queue" else _officers(agency_ids))}
    try:
        if bad:  # answered like an unknown filter value: the queue page, its filters kept, the message
            raise ValidationError(_parameter_message(bad[0]), where=bad[0].parameter, code="invalid_parameter")
        page = queue.search(
            g.tenant, agency_ids=agency_ids, filters=f, page=page_number,
            coordinator=services.may_coordinate(g.tenant, user), actor_id=getattr(user, "id", None),
            known_categories={c.code for c in cats}, known_assignees=known_assignees, count=True, clamp=True,
            columns=queue_rows.COLUMNS,
        )
    except ValidationError as exc:
        page = queue.Page([], 1, 50, False, 0)
        problem, problem_field, status_code = _filter_message(exc), exc.where or "", 400
    names = unit_names()
    bulk = None
    if endpoint == "complaints.queue" and page.items:
        bulk = bulk_form or BulkForm(prefix="bulk")
        bulk.action.choices = (
            [("", _("Choose an action"))]
            + [("assign:me", _("Assign to myself"))]
            + [(f"assign:{o.id}", _("Assign to %(name)s", name=o.name or o.email)) for o in officers
               if o.id != getattr(user, "id", None)]
            + [(f"status:{s}", action_label(s)) for s in BULK_STATUSES]
        )
        bulk.query.data = urlencode([(k, v) for k, v in args.items(multi=True) if k in FILTER_KEYS or k == "page"])
    shown = {k: v for k, v in args.items() if k in FILTER_KEYS and v}
    cat_names = {c.code: c.name(locale()) for c in cats}
    rows = queue_rows.build(
        page.items, now=now, track_url=url_for("complaints.track", number=queue_rows.NUMBER),
        cat_names=cat_names, unit_names=names, assignees=queue.assignee_names(page.items),
    )
    return render_template(
        "complaints/queue.html", title=template_title, page=page, filters=f, status=f.status,
        only_overdue=f.overdue_at is not None, q=f.q, only_unread=f.unread_only,
        rows=rows, cat_names=cat_names, categories=cats,
        districts=units("district"), villages=units("village"), officers=officers,
        statuses=STATUSES, endpoint=endpoint, args=shown, sort=f.sort or ("due" if f.status == "open" else "-filed"),
        problem=problem, problem_field=problem_field,
        problem_id=FIELD_IDS.get(problem_field, ""), raw=args,
        filtered=any(k != "q" for k in shown), bulk_form=bulk,
        agencies=[n for i, n in names.items() if agency_ids is None or i in agency_ids],
    ), status_code


@bp.route("/queue.js")
@public
def script():
    return send_file(SCRIPT, mimetype="text/javascript", max_age=300)


@bp.route("/queue", endpoint="queue")
@requires("complaints.handle")
def queue_page():
    return _list(_("Complaint queue"), _agency_ids(current_actor().principal), "complaints.queue")


@bp.route("/all")
@requires("complaints.read_all")
def all_complaints():
    return _list(_("All complaints"), None, "complaints.all_complaints")


@bp.route("/queue/bulk", methods=["POST"])
@requires("complaints.handle")
def bulk():
    """One action on the ticked complaints: all of them or none (``handling``)."""
    user = current_actor().principal
    agency_ids = _agency_ids(user)
    form = BulkForm(prefix="bulk")
    officers = _officers(agency_ids)
    form.action.choices = [("assign:me", "")] + [(f"assign:{o.id}", "") for o in officers] + [
        (f"status:{s}", "") for s in BULK_STATUSES]
    back = MultiDict(_parse_query(form.query.data or ""))
    numbers = request.form.getlist("numbers")
    if not form.validate_on_submit():
        return _list(_("Complaint queue"), agency_ids, "complaints.queue", back, form,
                     _("Choose one of the listed actions."), 400)
    kind, _sep, value = form.action.data.partition(":")
    try:
        if kind == "assign":
            assignee = user if value == "me" else db.session.get(User, int(value))
            done = handling.bulk_assign(g.tenant, user, numbers, assignee)
        else:
            done = handling.bulk_transition(g.tenant, user, numbers, value, note=form.note.data or "")
        db.session.commit()
    except PamongError as exc:
        db.session.rollback()
        status = 403 if isinstance(exc, services.Forbidden) else 404 if isinstance(exc, NotFound) else 400
        return _list(_("Complaint queue"), agency_ids, "complaints.queue", back, form, _bulk_message(exc), status)
    flash(ngettext("%(num)d complaint changed.", "%(num)d complaints changed.", len(done)))
    return redirect(url_for("complaints.queue", **back.to_dict(flat=True)), 303)


def _parse_query(text: str) -> list[tuple[str, str]]:
    from urllib.parse import parse_qsl

    return [(k, v) for k, v in parse_qsl(text[:2000]) if k in FILTER_KEYS or k == "page"]


def _bulk_message(exc: PamongError, number: str = "") -> str:
    """The refusal of a whole batch, naming the complaint that stopped it (a batch's message starts
    "<number>: "; ``number``: the one complaint of the assign form). Never the service's English
    field name (``exc.where``, such as "assignee") nor its English message."""
    head, _sep, rest = exc.message.partition(":")
    batch = bool(_sep) and bool(head.strip()) and " " not in head.strip()
    number = head.strip() if batch else number
    if isinstance(exc, services.Forbidden):
        named = exc.message.startswith("you do not handle complaint ")  # handling.load_batch
        what = exc.message.rsplit(" ", 1)[-1] if named else (number or _("this complaint"))
        return _("Nothing was changed: you do not handle %(what)s.", what=what)
    if isinstance(exc, NotFound):
        return _("Nothing was changed: a chosen complaint does not exist.")
    known = {
        "empty_batch": _("Tick at least one complaint."),
        "batch_too_large": _("Choose at most %(n)s complaints at once.", n=handling.MAX_BATCH),
        "invalid_assignee": _("Nothing was changed: this officer does not work for the complaint's agency."),
        "not_assignable": _("Nothing was changed: %(number)s cannot be assigned as it is now (verify it first).",
                            number=number),
        "invalid_transition": _("Nothing was changed: %(number)s cannot take this step as it is now.", number=number),
        "required": _("Nothing was changed: this step needs a note for the citizen."),
        "unchanged": _("Nothing was changed: %(number)s already has this assignee.", number=number),
    }
    if exc.code in known:
        return known[exc.code]
    reason = _field_message(ValidationError(rest.strip() if batch else exc.message, where=exc.where, code=exc.code))
    return _("Nothing was changed: %(reason)s", reason=reason)


@bp.route("/manage/<number>/assign", methods=["POST"])
@requires("complaints.handle")
def assign(number: str):
    form = AssignForm(prefix="assign")
    user = current_actor().principal
    form.assignee.choices = [("me", "")] + [(str(o.id), "") for o in _officers(_agency_ids(user))]

    def act(complaint):
        value = form.assignee.data
        assignee = user if value == "me" else db.session.get(User, int(value))
        handling.assign(g.tenant, user, complaint, assignee)

    def show(form, exc):
        form.assignee.errors = list(form.assignee.errors or []) + [_bulk_message(exc, number.upper())]

    return officer_action(number, form, "assign_form", act,
                          lambda c: _("Assigned to %(name)s.", name=_assignee_name(c)), show=show)


def officer_context(complaint, handler: bool, assign_form=None) -> dict:
    """The track page's part for the complaint's handlers: its assignee, whom it can be given to,
    the category's response templates. Everyone sees the assignee's name beside "Assigned"."""
    out = {"assignee_name": _assignee_name(complaint), "assign_form": None, "templates": []}
    if not handler:
        return out
    settings = settings_of(g.tenant)
    out["templates"] = response_templates(g.tenant, complaint.category_code, settings)
    out["photo_hint"] = photo_hint(settings)
    if complaint.status in handling.ASSIGNABLE:
        form = assign_form or AssignForm(prefix="assign")
        user = current_actor().principal
        mine = complaint.agency_id in services.agencies_of(g.tenant, user)
        form.assignee.choices = ([("me", _("Myself"))] if mine else []) + [
            (str(o.id), o.name or o.email) for o in handling.colleagues(g.tenant, complaint.agency_id)
            if o.id != getattr(user, "id", None)]
        out["assign_form"] = form
    return out


def _assignee_name(complaint) -> str:
    person = db.session.get(User, complaint.assignee_id) if complaint.assignee_id else None
    return (person.name or person.email) if person is not None else ""


@bp.route("/manage/<number>/status", methods=["POST"])
@requires("complaints.handle")
def change_status(number: str):
    form = TransitionForm()

    def act(complaint):
        status, _sep, outcome = form.status.data.partition(":")  # "closed:duplicate": close without a fix
        user = current_actor().principal
        note = form.note.data or _template_text(complaint, request.form.get("template", ""))
        workflow.transition(g.tenant, user, complaint, status, note=note, outcome=outcome)
        if status == "resolved":  # a photo of the fix (issue 20.2), with the tenant's photo limits
            handling.add_fix_photos(g.tenant, user, complaint,
                                    [f.read() for f in request.files.getlist("photos") if f and f.filename])
        if status == "verified" and (form.anonymous.data or form.confidential.data):
            privacy.set_privacy(g.tenant, user, complaint, anonymous=bool(form.anonymous.data),
                                confidential=bool(form.confidential.data))

    return officer_action(number, form, "transition_form", act,
                          lambda c: _("Status changed to: %(status)s", status=status_label(c.status)))


def _template_text(complaint, index: str) -> str:
    """The response template chosen by its place in the category's list (without JavaScript the
    note is filled from it here; with it, in the browser, to be edited first)."""
    found = response_templates(g.tenant, complaint.category_code)
    return found[int(index)]["text"] if index.isdigit() and int(index) < len(found) else ""


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
    form.photos.description = photo_hint(settings_of(g.tenant))
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
        else:  # every problem in one answer: the service's beside WTForms' own
            show_filing_problems(form, request.files.getlist("photos"), "hotline")
        return render_template("complaints/hotline.html", form=form), 400
    return render_template("complaints/hotline.html", form=form)

