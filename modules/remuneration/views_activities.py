"""Activity logs on pages (``activities.py``): an employee logs the month's activities and sees
which were approved or rejected (and why); their supervisor sees their subordinates' logs, 50 a
page, and approves the ones chosen or rejects one with a reason. Both lists download as CSV. Who
sees what comes from the personnel records (the account's e-mail, the employee's supervisor's), so
the pages need only ``remuneration.own``."""
from __future__ import annotations

from calendar import monthrange
from datetime import date

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from core.kit import (
    current_actor, gettext as _, local_date, local_iso, ngettext, page_arg, parse_int, requires, unit_of_work, utcnow,
)

from . import activities, services
from .exports import table_csv
from .refusals import said
from .views import TITLE, asked_month, pages

PER_PAGE = 50
OWN_COLUMNS = ("day", "minutes", "points", "description", "status", "reason", "decided_at")
REVIEW_COLUMNS = ("employee", "agency", "day", "minutes", "points", "description", "status", "reason", "decided_at")


def _email() -> str:
    return getattr(current_user, "email", "") or ""


def _month(source=None, name: str = "month") -> tuple[date, date]:
    """The month of ``?month=YYYY-MM`` (or of the form ``source``'s ``name``; absent: the tenant's
    current month) as its first and last day; a month that is none is a 400 (``asked_month``)."""
    first = asked_month(name, source) or local_date(g.tenant, utcnow()).replace(day=1)
    return first, first.replace(day=monthrange(first.year, first.month)[1])


def _row(a) -> dict:
    return {"day": a.day.isoformat(), "minutes": a.minutes, "points": a.points, "description": a.description,
            "status": a.status, "reason": a.reason, "decided_at": local_iso(a.decided_at) or ""}


@pages.route("/activities")
@requires("remuneration.own")
def my_activities():
    return _activities_page(services.employee_of(g.tenant, _email()), *_month())


def _activities_page(employee, first: date, last: date, errors: dict | None = None, values=None):
    """The employee's activities of ``first``..``last``; ``errors`` ({field: message}) and ``values``
    (what was typed) when a log was refused: said beside each field and in a summary at the top."""
    page = page_arg()
    rows = activities.own(g.tenant, employee.id, first, last, (page - 1) * PER_PAGE, PER_PAGE + 1) if employee else []
    return render_template("remuneration/activities.html", module_title=TITLE, employee=employee, rows=rows[:PER_PAGE],
                           page=page, has_next=len(rows) > PER_PAGE, month=f"{first:%Y-%m}",
                           totals=activities.totals(g.tenant, employee.id, first, last) if employee else {},
                           today=local_date(g.tenant, utcnow()), form=request.args, errors=errors or {},
                           values=values or {})


@pages.route("/activities.csv")
@requires("remuneration.own")
def my_activities_export():
    employee = services.employee_of(g.tenant, _email())
    if employee is None:
        abort(404)
    first, last = _month()
    return table_csv(OWN_COLUMNS, [_row(a) for a in activities.own(g.tenant, employee.id, first, last, limit=None)],
                     f"aktivitas-{g.tenant.slug}-{first:%Y-%m}")


@pages.route("/activities", methods=["POST"])
@requires("remuneration.own")
def log_activity():
    employee = services.employee_of(g.tenant, _email())
    if employee is None:
        abort(403)
    form = request.form
    with unit_of_work() as work:
        activity = activities.log_activity(g.tenant, current_actor(), employee, form.get("day", ""),
                                           form.get("minutes", ""), form.get("points", ""), form.get("description", ""))
        day = activity.day
    if work.ok:
        flash(_("The activity was logged; it counts once your supervisor approves it."))
        return redirect(url_for(".my_activities", month=f"{day:%Y-%m}"))
    # refused: the page of the month the form was sent from (never the typed day's), the error beside
    # its field, what was typed kept
    where = getattr(work.error, "where", "") or ""
    errors = {where if where in ("day", "minutes", "points", "description") else "": str(said(work.error))}
    return _activities_page(employee, *_month(form, "shown"), errors=errors, values=form), 400


def _status_arg() -> str:
    status = request.args.get("status", activities.PENDING)
    return status if status in (*activities.STATUSES, "all") else activities.PENDING


@pages.route("/activities/review")
@requires("remuneration.own")
def review_activities():
    status, page = _status_arg(), page_arg()
    found = activities.for_supervisor(g.tenant, _email(), "" if status == "all" else status,
                                      (page - 1) * PER_PAGE, PER_PAGE + 1)
    return render_template("remuneration/review.html", module_title=TITLE, rows=found[:PER_PAGE], page=page,
                           has_next=len(found) > PER_PAGE, status=status,
                           supervises=bool(found) or activities.supervises(g.tenant, _email()))


@pages.route("/activities/review.csv")
@requires("remuneration.own")
def review_export():
    status = _status_arg()
    rows = [{"employee": e.name, "agency": e.agency, **_row(a)}
            for a, e in activities.for_supervisor(g.tenant, _email(), "" if status == "all" else status, limit=None)]
    return table_csv(REVIEW_COLUMNS, rows, f"aktivitas-bawahan-{g.tenant.slug}-{status}")


@pages.route("/activities/decide", methods=["POST"])
@requires("remuneration.own")
def decide_activities():
    """Approve the chosen logs (``activity`` repeated), or reject one (``reject`` = its id) with ``reason``."""
    form = request.form
    rejecting = form.get("reject", "")
    try:
        ids = [parse_int(x, 1, activities.MAX_ID) for x in ([rejecting] if rejecting else form.getlist("activity"))]
    except ValueError:  # not a whole number, or beyond the id column (OutOfBounds)
        abort(400)
    with unit_of_work() as work:
        done = activities.decide(g.tenant, current_actor(), _email(), ids, approve=not rejecting,
                                 reason=form.get("reason", ""))
        count = len(done)
    if not work.ok:
        flash(str(said(work.error)), "error")
    elif rejecting:
        flash(_("The activity was rejected."))
    else:
        flash(ngettext("%(num)s activity approved.", "%(num)s activities approved.", count))
    return redirect(url_for(".review_activities", status=request.args.get("status", activities.PENDING)))
