"""Uploading the input files on a page (personnel agency): employees (CSV/XLSX), attendance,
activity logs, excuses and sanctions (CSV), with the same checks as the CLI; an error names the line and the
field and nothing is written."""
from __future__ import annotations

from flask import flash, g, redirect, request, url_for

from core.kit import current_actor, gettext as _, lazy_gettext as _l, requires, unit_of_work

from . import inputs, services
from .refusals import said
from .views import pages

MAX_BYTES = 20 * 1024 * 1024
COUNTS = {"added": _l("%(n)s added"), "updated": _l("%(n)s updated"), "unchanged": _l("%(n)s unchanged"),
          "skipped": _l("%(n)s already stored")}
KINDS = {
    "employees": services.import_employees,
    "attendance": services.import_attendance,
    "activities": inputs.import_activities,
    "excuses": inputs.import_excuses,
    "sanctions": inputs.import_sanctions,
}


@pages.route("/imports", methods=["POST"])
@requires("remuneration.manage")
def upload():
    work_of = KINDS.get(request.form.get("kind", ""))
    upload = request.files.get("file")
    if work_of is None or upload is None or not upload.filename:
        flash(_("Choose what the file holds and the file."), "error")
        return redirect(url_for(".runs"))
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        flash(_("The file is larger than 20 MB."), "error")
        return redirect(url_for(".runs"))
    name = upload.filename.rsplit("/", 1)[-1][:100]
    with unit_of_work() as work:
        counts = work_of(g.tenant, current_actor(), data, name)
    if work.ok:
        flash(_("%(file)s imported: %(counts)s", file=name,
                counts=", ".join(str(COUNTS[k]) % {"n": v} for k, v in counts.items() if k in COUNTS)))
    elif len(getattr(work.error, "problems", ())) > 1:  # every problem of the file, one a line (refusals.py)
        flash(_("%(file)s was not imported, nothing was written. Its problems:", file=name), "error")
        for problem in work.error.problems:
            flash(str(said(problem)), "error")
        if work.error.more:
            flash(_("… and %(count)s more problems not listed; correct these and upload the file again.",
                    count=work.error.more), "error")
    else:  # in the reader's language, the line and the column named (refusals.py)
        flash(_("%(file)s was not imported, nothing was written. %(problem)s", file=name, problem=said(work.error)),
              "error")
    return redirect(url_for(".runs"))
