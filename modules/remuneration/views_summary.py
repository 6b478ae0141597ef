"""The signed PDF summary of an agency's closed month as a download (re-trial of issue 16: issuing it
only led to its verification page). The very bytes the core documents service signed at issuance,
from its storage, never cached; for whoever may read all of the month (``remuneration.read_all``:
the auditor's oversight, the administrator) and for the finance agency that issues it
(``finance_or``; trial of issue 16: the auditor and the admin got 403), each reading audited (``remuneration.summary_read``) as the other modules' signed documents are."""
from __future__ import annotations

import io

from flask import abort, g, request, send_file

from core.kit import storage, tenant_scope, unit_of_work

from .summary import issued, subject_of
from .views import _run_or_404, finance_or, pages


@pages.route("/runs/<int(min=2000, max=2100):year>/<int(min=1, max=12):month>/summary.pdf")
@finance_or("remuneration.read_all")
def summary_pdf(year, month):
    found = _run_or_404(year, month)
    agency = request.args.get("agency", "")
    with tenant_scope(g.tenant):
        doc = issued(g.tenant, subject_of(found, agency)) if agency else None
    if doc is None:
        abort(404)
    data = storage().get(doc.storage_key, tenant=g.tenant)
    with unit_of_work() as work:
        work.audit("remuneration.summary_read", "document", doc.id,
                   after={"code": doc.code, "agency": agency, "month": f"{year}-{month:02d}"})
    name = f"tpp-{g.tenant.slug}-{agency}-{year}-{month:02d}.pdf".replace("/", "-")
    response = send_file(io.BytesIO(data), mimetype="application/pdf", download_name=name,
                         as_attachment=True, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response
