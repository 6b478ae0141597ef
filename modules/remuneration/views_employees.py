"""The personnel records on pages (personnel agency, auditors): the employees, 50 a page, found by
NIP or name and filtered by agency, downloadable as CSV; one employee with their position of the
core's organisation (when known), the history of every change (name, agency, position class and
position, accounts) and their months."""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from core.kit import ValidationError, current_actor, find_position, gettext as _, has_permission, requires, unit_of_work

from . import employees, services
from .exports import table_csv
from .labels import field_name, source_name
from .settings import agency_codes, settings_of
from .views import TITLE, pages

PER_PAGE = 50
COLUMNS = ("nip", "name", "agency", "position_class", "position_code", "email", "supervisor_email", "active",
           "start", "end")


def _filters() -> dict:
    return {"q": request.args.get("q", "").strip()[:100], "agency": request.args.get("agency", "").strip()[:32]}


@pages.route("/employees")
@requires("remuneration.read_all")
def employee_list():
    from core.kit import page_arg

    from .views import unpaid_here

    unpaid = unpaid_here()
    if unpaid is not None:
        return unpaid
    page, filters = page_arg(), _filters()
    from .positions import held_positions, place

    found = employees.listing(g.tenant, filters["q"], filters["agency"], (page - 1) * PER_PAGE, PER_PAGE + 1)
    rows = found[:PER_PAGE]
    # as the next run places them: the organisation's position of the account first, the record's as the fallback
    held, mapping = held_positions(g.tenant), settings_of(g.tenant).get("position_classes") or {}
    placed = {e.id: place(e.email, e.position_code, e.agency, e.position_class, held, mapping) for e in rows}
    return render_template("remuneration/employees.html", module_title=TITLE, rows=rows, placed=placed, page=page,
                           has_next=len(found) > PER_PAGE, filters=filters, agencies=sorted(agency_codes(g.tenant)),
                           can_manage=has_permission(current_user, g.tenant, "remuneration.manage"))


@pages.route("/employees.csv")
@requires("remuneration.read_all")
def employee_export():
    filters = _filters()
    rows = [{c: getattr(e, c) for c in COLUMNS[:-2]} | {"active": "yes" if e.active else "no"}
            | {"start": employees._iso(e.started_on), "end": employees._iso(e.ended_on)}
            for e in employees.listing(g.tenant, filters["q"], filters["agency"], limit=None)]
    return table_csv(COLUMNS, rows, f"pegawai-{g.tenant.slug}")


@pages.route("/employees/<int:employee_id>")
@requires("remuneration.read_all")
def employee(employee_id):
    found = employees.find(g.tenant, employee_id)
    if found is None:
        abort(404)
    return _employee_page(found)


def _employee_page(found, errors: dict | None = None, values=None):
    """One employee's page; ``errors`` ({field: message}) and ``values`` (what was typed) when the
    dates of employment were refused: said beside their field."""
    from .positions import held_positions, place

    # as the next run places them: the position the organisation says the account holds, else the import's
    mapping = settings_of(g.tenant).get("position_classes") or {}
    placed = place(found.email, found.position_code, found.agency, found.position_class, held_positions(g.tenant),
                   mapping)
    position = find_position(g.tenant, placed.position) if placed.position else None
    return render_template("remuneration/employee.html", module_title=TITLE, employee=found, position=position,
                           placed=placed, position_class=placed.position_class,
                           class_mapped=bool(placed.position and mapping.get(placed.position)),
                           changes=employees.history(g.tenant, found.id),
                           months=services.results_of(g.tenant, found.id),
                           can_manage=has_permission(current_user, g.tenant, "remuneration.manage"),
                           errors=errors or {}, values=values, field_name=field_name, source_name=source_name)


@pages.route("/employees/<int:employee_id>/employment", methods=["POST"])
@requires("remuneration.manage")
def employment(employee_id):
    """Set the first and last day of employment (empty: open); an error names the field."""
    found = employees.find(g.tenant, employee_id)
    if found is None:
        abort(404)
    from .refusals import said

    with unit_of_work() as work:
        start = employees.parse_day(request.form.get("start", "")[:40], "start")
        end = employees.parse_day(request.form.get("end", "")[:40], "end")
        employees.set_employment(g.tenant, current_actor(), employee_id, start, end)
    if work.ok:
        flash(_("The dates of employment are saved; an open month changes on its next run, a closed month never."))
        return redirect(url_for(".employee", employee_id=employee_id))
    where = getattr(work.error, "where", "") or ""
    errors = {where if where in ("start", "end") else "": str(said(work.error))}
    return _employee_page(employees.find(g.tenant, employee_id), errors, request.form), 400


def _employee_form(employee=None, values=None, errors: dict | None = None):
    """The form to add (``employee`` None) or change an employee; ``errors`` {field: message} said
    beside each field and in a summary at the top, ``values`` what was typed."""
    if values is None:
        values = {} if employee is None else {
            "name": employee.name, "agency": employee.agency, "position_class": employee.position_class,
            "position": employee.position_code, "email": employee.email, "supervisor_email": employee.supervisor_email}
    settings = settings_of(g.tenant)
    classes = sorted({row["position_class"] for row in settings["ceilings"]})
    return render_template("remuneration/employee_form.html", module_title=TITLE, employee=employee, values=values,
                           errors=errors or {}, agencies=sorted(agency_codes(g.tenant)), classes=classes)


def _save(employee_id=None):
    from .refusals import said

    with unit_of_work() as work:
        saved = employees.save_employee(g.tenant, current_actor(), request.form, employee_id)
        saved_id = saved.id
    if work.ok:
        flash(_("The employee is saved; an open month changes on its next run, a closed month never."))
        return redirect(url_for(".employee", employee_id=saved_id))
    fields, errors = ("nip", *employees.FORM_FIELDS), {}
    for problem in getattr(work.error, "problems", None) or [work.error]:  # every field's problem at once
        where = getattr(problem, "where", "") or ""
        errors.setdefault(where if where in fields else "", str(said(problem)))
    return _employee_form(employees.find(g.tenant, employee_id) if employee_id else None, request.form, errors), 400


@pages.route("/employees/new", methods=["GET", "POST"])
@requires("remuneration.manage")
def employee_new():
    """Add one employee by hand (the same checks as a row of the import)."""
    return _save() if request.method == "POST" else _employee_form()


@pages.route("/employees/<int:employee_id>/edit", methods=["GET", "POST"])
@requires("remuneration.manage")
def employee_edit(employee_id):
    """Change an employee's name, agency, class, position and accounts (kept in the history)."""
    found = employees.find(g.tenant, employee_id)
    if found is None:
        abort(404)
    return _save(employee_id) if request.method == "POST" else _employee_form(found)
