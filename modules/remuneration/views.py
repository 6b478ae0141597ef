"""The pages: an employee's own months with the breakdown (works on a phone), the personnel
agency's runs with their progress and the per-agency table, running and closing a month, and the
payroll exports (CSV, XLSX). Served under the tenant's /remuneration/."""
from __future__ import annotations

import functools
from datetime import date

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from core.kit import (
    ValidationError, current_actor, db, gettext as _, has_permission, lazy_gettext as _l, local_date, local_decimal,
    month_arg, page_arg, requires, tenant_scope, unit_of_work, utcnow,
)

from . import services
from .exports import payroll_csv, payroll_xlsx
from .finance import finance_names, may_pay
from .labels import line_label, month_words, step_name

pages = Blueprint("remuneration", __name__, template_folder="templates")
TITLE = _l("Remuneration (TPP)")
RUNS_PER_PAGE = 24  # two years of months


@pages.app_template_global("tpp_line")
def _tpp_line(code):
    return line_label(code)


@pages.app_template_global("tpp_step")
def _tpp_step(label):
    return step_name(label)


def asked_month(name: str = "month", source=None, required: bool = False) -> date | None:
    """The month (its first day) of ``?month=YYYY-MM`` (or of the form ``source``); None when absent
    and not ``required``. A month that is none (2026-13, 0, letters, year 99999, empty) is a 400
    naming the parameter and its form (``core.params.month_arg``, the parser of ``services.month_of``):
    never another month shown silently (trial of issue 16: ``?month=2026-13`` showed this month)."""
    return month_arg(name, min=services.MONTH_MIN, max=services.MONTH_MAX, source=source, required=required)


def unpaid_here():
    """A redirect to the oversight when the tenant pays no TPP itself (its settings give no ceilings:
    a province overseeing its regions) and the reader may oversee, with a message saying why; else
    None (the message alone for a reader who may not: the page shows nothing of theirs). Trial t16:
    the runs, employees and own pages of Banten opened empty without a word."""
    from .settings import settings_of

    if settings_of(g.tenant).get("ceilings"):
        return None
    flash(_("No TPP is paid here: the settings give no ceilings (a province oversees its regions' TPP)."))
    if has_permission(current_user, g.tenant, "remuneration.read_all"):
        return redirect(url_for("remuneration.oversight"))
    return None


@pages.app_template_global("tpp_month")
def _tpp_month(year, month=None):
    """A month as display text in the reader's language: (2026, 12) or "2026-12" -> "Desember 2026"
    (id), "December 2026" (en); a value that is no month is shown as it is (form values stay YYYY-MM)."""
    try:
        return str(month_words(year, month))
    except (TypeError, ValueError):
        return str(year)


@pages.app_template_global("tpp_day")
def _tpp_day(day):
    """A date as the core writes it for the reader (``local_datetime``'s "medium" date part):
    "1 Jan 2026" in both languages' Babel patterns; None -> ""."""
    from flask_babel import format_date

    return format_date(day, "medium") if day is not None else ""


@pages.app_template_filter("tpp_nowrap")
def _tpp_nowrap(text):
    """An amount kept on one line ("Rp 1.250.000" with non-breaking spaces): a narrow column of the
    signed summary's table wrapped "Rp" above its digits."""
    return str(text).replace(" ", "\u00a0")


@pages.app_template_filter("tpp_percent")
def _tpp_percent(bp):
    """Basis points as a percentage in the reader's language: 125 -> "1,25 %" (id), "1.25 %" (en)."""
    from decimal import Decimal

    return f"{local_decimal(Decimal(int(bp)) / 100, None)} %"


def refuse_unpaying(permission: str | None):
    """403 of ``finance_or``, saying who may (``pamong_code``/``pamong_message``, core.http_errors).
    ``permission`` None (close, sign: the finance agency's only) while the settings name
    ``finance_positions``: ``finance_only``, their holders only, the administrator who computes
    included (re-trial of issue 16: a bare "You do not have permission" on the admin's close).
    ``remuneration.read_all`` (the runs, a month, its payroll, its signed summaries):
    ``finance_or_read_all``, the finance agency (the holders named by ``finance_positions``, else
    whoever may close the months), the auditor and the administrator (last trial of issue 16: a kadis
    refused the summary PDF without a reason). Another permission: the core's plain refusal."""
    from werkzeug.exceptions import Forbidden

    from .finance import FinanceOnly

    refused = Forbidden()
    names = finance_names(g.tenant)
    if permission is None and names:
        refused.pamong_code = FinanceOnly.code
        refused.pamong_message = _("Closing a month and signing its summaries is for the finance agency: the holder "
                                   "of %(positions)s (the settings' finance positions), not the personnel agency "
                                   "that computes the months.", positions=", ".join(names))
    elif permission == "remuneration.read_all":
        refused.pamong_code = "finance_or_read_all"
        finance = (_("the holder of %(positions)s (the settings' finance positions)", positions=", ".join(names))
                   if names else _("whoever may close the months"))
        refused.pamong_message = _("The TPP months, their payroll and their signed summaries are for the finance "
                                   "agency (%(finance)s), the auditor and the administrator.", finance=finance)
    raise refused


def finance_or(permission: str | None = None):
    """The view needs ``permission``, or to be the finance agency's (``finance.may_pay``: the holder
    of a finance position, BPKAD, who closes months without reading every employee); ``None``:
    the finance agency's only. Anonymous: to the sign-in; anyone else: 403 saying who may
    (``refuse_unpaying``)."""
    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            if getattr(g, "tenant", None) is None:
                abort(404)
            if not current_user.is_authenticated:
                return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
            if not ((permission and has_permission(current_user, g.tenant, permission))
                    or may_pay(g.tenant, current_actor())):
                refuse_unpaying(permission)
            return view(*args, **kwargs)

        wrapper._pamong_permission = "signed-in"  # and the check above
        return wrapper
    return decorate


@pages.route("/")
@requires("remuneration.own")
def index():
    unpaid = unpaid_here()
    if unpaid is not None:
        return unpaid
    employee = services.employee_of(g.tenant, getattr(current_user, "email", ""))
    asked = asked_month()  # a month that is none: 400; one not computed for them: said, never another shown
    months = services.results_of(g.tenant, employee.id) if employee else []
    shown = next((m for m in months if (m[0].year, m[0].month) == (asked.year, asked.month)), None) if asked \
        else (months[0] if months else None)
    from . import objections
    from .grants import corrections

    filed, until, corrected = [], None, []
    if shown is not None:
        filed, until = objections.objections_to(g.tenant, shown[1].id), objections.deadline(g.tenant, shown[0])
        corrected = corrections(g.tenant, employee.id, shown[0].year, shown[0].month)
    return render_template("remuneration/index.html", module_title=TITLE, employee=employee, months=months, shown=shown,
                           asked=asked, corrected=corrected,
                           today=local_date(g.tenant, utcnow()), filed=filed, until=until,
                           in_window=until is not None and utcnow() <= until,
                           second=objections.second_refused(filed, corrected),
                           objection_state=lambda o: objections.state(g.tenant, o),
                           objection_decisions=lambda oid: objections.decisions(g.tenant, oid))


def _run_or_404(year: int, month: int):
    run = services.get_run(g.tenant, year, month)
    if run is None:
        abort(404)
    return run


@pages.route("/runs")
@finance_or("remuneration.read_all")
def runs():
    return unpaid_here() or _runs_page()


def _missing(year: int, month: int) -> str:
    """What a confirmation says when employees of the month have no data (``missing.py``), else ""."""
    from .missing import warning, without_data

    count, total = without_data(g.tenant, year, month)
    return str(warning(count, total, _tpp_month(year, month))) if count else ""


def _runs_page(month_error: str = "", month_value: str = "", missing: str = ""):
    """The runs page; ``month_error``: why the month typed into the run form (``month_value``) was
    refused; ``missing``: the month's employees without data, asked to confirm the run."""
    page = page_arg()
    found = services.runs(g.tenant, (page - 1) * RUNS_PER_PAGE, RUNS_PER_PAGE + 1)
    return render_template("remuneration/runs.html", module_title=TITLE, runs=found[:RUNS_PER_PAGE], page=page,
                           has_next=len(found) > RUNS_PER_PAGE, month_error=month_error, month_value=month_value,
                           missing=missing,
                           can_manage=has_permission(current_user, g.tenant, "remuneration.manage"))


@pages.route("/runs", methods=["POST"])
@requires("remuneration.manage")
def start_run():
    """Queue the month's run (``background.py``) and show its progress; a closed month or a bad
    month is refused here, before anything is queued."""
    from .background import run_in_background, write_progress

    value = request.form.get("month", "")
    chosen = services.month_of(value)
    if chosen is None:  # an empty or bad month: said on the form, beside the field
        return _runs_page(_("Choose a month (YYYY-MM).") if value.strip() else _("Choose the month to run."), value[:20]), 400
    year, month = chosen
    try:  # a month that has not begun: said beside the field, nothing queued
        services.refuse_unstarted(year, month, local_date(g.tenant, utcnow()))
    except ValidationError as exc:
        return _runs_page(str(exc.local), value[:20]), 400
    found = services.get_run(g.tenant, year, month)
    if found is not None and found.status == "closed":
        flash(_("%(month)s is closed: corrections go into a later month", month=_tpp_month(year, month)), "error")
        return redirect(url_for(".runs"))
    missing = _missing(year, month)
    if missing and request.form.get("force") != "y":  # employees without data: confirm first (missing.py)
        return _runs_page(month_value=value[:20], missing=missing)
    tenant_id, user_id = g.tenant.id, getattr(current_user, "id", None)
    write_progress(tenant_id, year, month, state="queued", done=0, total=0)
    # the request's transaction ends before the run's begins (nothing was written; on SQLite a POST's
    # transaction is a writer, and a queue that runs tasks at once would wait for it); nothing here
    # touches the database again (an expired g.tenant would begin a new transaction)
    db.session.commit()
    run_in_background(tenant_id, user_id, year, month)
    return redirect(url_for(".progress", year=year, month=month))


@pages.route("/runs/<int(min=2000, max=2100):year>/<int(min=1, max=12):month>/progress")
@requires("remuneration.manage")
def progress(year, month):
    """The progress of the month's run started from the page; the page reloads itself every two
    seconds until the run is done (no JavaScript), then links to the month."""
    from .background import read_progress

    state = read_progress(g.tenant.id, year, month)
    if state is None:
        abort(404)
    from flask_babel import get_locale

    return render_template("remuneration/progress.html", module_title=TITLE, year=year, month=month, state=state,
                           reader_locale=str(get_locale()))


@pages.route("/runs/<int(min=2000, max=2100):year>/<int(min=1, max=12):month>")
@finance_or("remuneration.read_all")
def run(year, month):
    return _run_page(_run_or_404(year, month))


def _run_page(found, close_error: str = ""):
    """The month's page; ``close_error``: why the close form was refused (shown at its top and
    beside the confirmation box); ``?issued=<agency>``: the summary just issued, its links at the top;
    ``issued_summaries``: the month's summaries issued so far (``summary.issued_summaries``)."""
    from .summary import issued_links, issued_summaries

    agencies, can_close = services.agency_table(g.tenant, found), may_pay(g.tenant, current_actor())
    # every reader of the month sees what was issued (who, when): finance never issues twice blindly
    summaries = issued_summaries(g.tenant, found, agencies) if found.status == "closed" else []
    signed = {s["agency"] for s in summaries}
    just = request.args.get("issued", "")
    return render_template("remuneration/run.html", module_title=TITLE, run=found, agencies=agencies, signed=signed,
                           issued_summaries=summaries,
                           issued=issued_links(g.tenant, found, just) if just in signed else None,
                           can_close=can_close, closers=finance_names(g.tenant),
                           ended=services.month_ended(g.tenant, found.year, found.month), close_error=close_error,
                           missing=_missing(found.year, found.month) if found.status == "open" else "",
                           can_manage=has_permission(current_user, g.tenant, "remuneration.manage"))


@pages.route("/runs/<int(min=2000, max=2100):year>/<int(min=1, max=12):month>/close", methods=["POST"])
@finance_or(None)
def close(year, month):
    """Close the month (irreversible): only with the form's ``confirm`` box ticked; else the page
    again, 400, with the reason at the form (nothing written)."""
    found = _run_or_404(year, month)
    if request.form.get("confirm") != "y":
        return _run_page(found, _("Tick the box to confirm: a closed month can no longer be run again "
                                  "or changed.")), 400
    if request.form.get("force") != "y" and services.month_ended(g.tenant, year, month) and _missing(year, month):
        return _run_page(found, _("Tick the box to confirm that the month is closed although employees "
                                  "have no data in it.")), 400
    with unit_of_work() as work:
        services.close_month(g.tenant, current_actor(), year, month)
    flash(_("The month is closed.") if work.ok else str(work.error.local or work.error.message),
          "message" if work.ok else "error")
    return redirect(url_for(".run", year=year, month=month))


@pages.route("/runs/<int(min=2000, max=2100):year>/<int(min=1, max=12):month>/payroll.<fmt>")
@finance_or("remuneration.read_all")
def export(year, month, fmt):
    found = _run_or_404(year, month)
    rows = services.payroll(g.tenant, found, request.args.get("agency") or None)
    name = f"tpp-{g.tenant.slug}-{year}-{month:02d}"
    if fmt == "csv":
        return payroll_csv(rows, name)
    if fmt == "xlsx":
        return payroll_xlsx(rows, name)
    abort(404)


@pages.route("/runs/<int(min=2000, max=2100):year>/<int(min=1, max=12):month>/summary", methods=["POST"])
@finance_or(None)
def summary(year, month):
    from .summary import issue_summary, issued, subject_of

    found = _run_or_404(year, month)
    with unit_of_work() as work:
        agency = request.form.get("agency", "")
        with tenant_scope(g.tenant):
            again = issued(g.tenant, subject_of(found, agency)) is not None
        issue_summary(g.tenant, current_actor(), found, agency)
    if not work.ok:
        flash(str(work.error.local or work.error.message), "error")
        return redirect(url_for(".run", year=year, month=month))
    # back on the month's page it was issued from, its PDF and verification page linked at the top
    # (re-trial of issue 16: issuing led away to the verification page)
    label = _tpp_month(year, month)
    flash(_("The signed summary of %(agency)s for %(month)s was issued already: its links are below.", agency=agency,
            month=label) if again else _("The signed summary of %(agency)s for %(month)s was issued.", agency=agency,
                                         month=label))
    return redirect(url_for(".run", year=year, month=month, issued=agency, _anchor="issued"))


@pages.route("/oversight")
@requires("remuneration.read_all")
def oversight():
    """Per-agency figures of a tenant paying TPP, and a province's cities and regencies; only the
    sections that can apply (a province paying none here has no agencies' section)."""
    from .oversight import child_totals, latest_child_month
    from .settings import settings_of

    pays = bool(settings_of(g.tenant).get("ceilings"))
    asked = asked_month()
    if asked is not None:
        year, month = asked.year, asked.month
    else:
        latest = services.runs(g.tenant, 0, 1)
        today = local_date(g.tenant, utcnow())
        year, month = ((latest[0].year, latest[0].month) if latest else latest_child_month(g.tenant)
                       or (today.year, today.month))
    own = services.get_run(g.tenant, year, month) if pays else None
    children = child_totals(g.tenant, year, month)
    return render_template("remuneration/oversight.html", module_title=TITLE, year=year, month=month, pays=pays,
                           agencies=services.agency_table(g.tenant, own) if own else [], children=children,
                           children_run=any(row["status"] for row in children))
