"""The report in OSS-RBA's vocabulary for the office (issue 15.3): per permit type and OSS status
code, how many of the applications submitted in a period of tenant-local days hold that code now
(``oss.report``, one SQL statement), as a page with its period form and as CSV (``?format=csv``).
Read-only (not audited); needs ``permits.process`` (the office's officers and admins, as the queue).
The same table is in the JSON API (``GET /api/v1/permits/oss-report``)."""
from __future__ import annotations

import csv
import io
from datetime import date

from flask import Response, g, render_template, request

from core.kit import ParameterError, date_arg, lazy_gettext as _l, local_date, requires, utcnow

from . import oss
from .csv_cells import safe_cell as _safe
from .forms import OssReportForm
from .settings import permit_types
from .views import locale, pages

CSV_COLUMNS = ("from", "to", "type_code", "type_name", "oss_code", "oss_label", "count")
# what each code means, in the reader's language, beside OSS's own name of it
MEANINGS = {
    "09": _l("Submitted complete"),
    "20": _l("In the office's stages"),
    "30": _l("Fee invoiced, awaiting payment"),
    "33": _l("Fee paid"),
    "41": _l("Waiting on the applicant (service clock stopped)"),
    "42": _l("Completed by the applicant (service clock runs again)"),
    "43": _l("Returned for correction (service clock reset)"),
    "44": _l("Corrected by the applicant (service clock from zero)"),
    "45": _l("Every stage approved, to be signed"),
    "50": _l("Approved: permit issued"),
    "57": _l("Approved by law when the service level lapsed (fiktif positif)"),
    "70": _l("Permit suspended"),
    "90": _l("Refused"),
    "": _l("No OSS code: withdrawn, or the permit revoked"),
}
BAD_DATE = _l("Write the date as YYYY-MM-DD, e.g. 2026-03-31.")
OUT_OF_RANGE = _l("The date must be between 1900-01-01 and 2999-12-31.")
REVERSED = _l("The first day must not be after the last day.")
UNKNOWN_TYPE = _l("Choose a permit type of this office.")


def default_period(tenant) -> tuple[date, date]:
    """The tenant's current month so far: its first day to today (local)."""
    today = local_date(tenant, utcnow())
    return today.replace(day=1), today


def read_day(name: str) -> tuple[date | None, str]:
    """The query's day ``name`` (``YYYY-MM-DD``, the kit's ``date_arg``: its bounds) as a date (None
    when not given), with its problem: ``"invalid"`` (not a date so written) or ``"bounds"`` (a
    real day beyond the kit's bounds)."""
    try:
        return date_arg(name), ""
    except ParameterError:
        raw = (request.args.get(name) or "").strip()
        try:
            date.fromisoformat(raw)
        except ValueError:
            return None, "invalid"
        return None, "bounds" if len(raw) == 10 else "invalid"


def read_period(form: OssReportForm, tenant, type_codes: set[str]) -> tuple[date, date] | None:
    """The form's period (an empty day: the current month's first day, or today), or None with
    the problems on the form's fields."""
    first, last = default_period(tenant)
    days = []
    for field, default in ((form.date_from, first), (form.date_to, last)):
        day, problem = read_day(field.name)
        if problem:
            field.errors = [OUT_OF_RANGE if problem == "bounds" else BAD_DATE]
        days.append(day if problem else day or default)
    if form.type.data and form.type.data not in type_codes:
        form.type.errors = [UNKNOWN_TYPE]
    if None not in days and days[0] > days[1]:
        form.date_to.errors = [REVERSED]
    if form.date_from.errors or form.date_to.errors or form.type.errors:
        return None
    return days[0], days[1]


@pages.route("/oss-report")
@requires("permits.process")
def oss_report():
    types = permit_types(g.tenant)
    names = {t.code: t.name(locale()) for t in types}
    form = OssReportForm(request.args)
    form.type.choices = [("", "")] + [(t.code, names[t.code]) for t in types]
    period = read_period(form, g.tenant, set(names))
    if period is None:
        return render_template("permits/oss_report.html", form=form, rows=None, names=names,
                               meanings=MEANINGS), 400
    date_from, date_to = period
    rows = oss.report(g.tenant, date_from, date_to, form.type.data or None)
    if request.args.get("format") == "csv":
        return _csv(rows, date_from, date_to)
    if not (form.date_from.data or "").strip():
        form.date_from.data = date_from.isoformat()
    if not (form.date_to.data or "").strip():
        form.date_to.data = date_to.isoformat()
    csv_args = {"from": date_from.isoformat(), "to": date_to.isoformat(), "format": "csv"}
    if form.type.data:
        csv_args["type"] = form.type.data
    return render_template("permits/oss_report.html", form=form, rows=rows, names=names, meanings=MEANINGS,
                           date_from=date_from, date_to=date_to, total=sum(r["count"] for r in rows),
                           csv_args=csv_args)


def _csv(rows: list[dict], date_from: date, date_to: date) -> Response:
    """The table as CSV: the period's tenant-local days (``YYYY-MM-DD``) on every row, the type's name
    in the tenant's first language, OSS's own name of the code, the count as a number."""
    names = {t.code: t.name_id for t in permit_types(g.tenant)}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        writer.writerow([date_from.isoformat(), date_to.isoformat(), _safe(r["type_code"]),
                         _safe(names.get(r["type_code"], r["type_code"])), r["oss_code"], r["oss_label"], r["count"]])
    filename = f"permits-oss-report-{g.tenant.slug}-{date_from.isoformat()}-{date_to.isoformat()}.csv"
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
