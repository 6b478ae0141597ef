"""The signed PDF summary of one agency's closed month (core documents: the tenant's letterhead, a
PAdES signature, a QR code to the public verification page, the register and the audit trail).

Number: ``900/<serial>/TPP-<agency>/<month in Roman>/<year>`` from the core's gap-free counter
(scope ``("remuneration", "summary")``, per year; 900 is the classification code of finance in the
Permendagri 83/2022 archive classification). Errors: ``ValidationError`` codes ``month_open`` (only a
closed month is summarised), ``not_found`` (no result of that agency), ``finance_only`` (not the finance
agency's, ``finance.py``); the core's ``SigningError``.
"""
from __future__ import annotations

from core.kit import ValidationError, documents, gettext as _, issue_number, mask_identity, tenant_scope

from . import SUMMARY_KIND, _l
from .models import Run
from .services import agency_table, payroll

PATTERN = "900/{serial}/TPP-{agency}/{month_roman}/{year}"


def signer_of(tenant, held: str | None) -> str:
    """The position named in the signature block: the summary is the finance office's, as closing
    is (``finance.py``). The name (the core organisation's) of the finance position ``held`` by the
    issuer; with none (no ``finance_positions`` in the settings: the ``remuneration.close``
    permission acts for the finance office) "the finance office" in the reader's language, as the
    month's page says it, never an agency the tenant may not have."""
    from core.kit import find_position

    position = find_position(tenant, held) if held else None
    return position.name if position is not None else str(_l("Finance office"))  # the module's domain: any context


def issue_summary(tenant, actor, run: Run, agency: str, signer_position: str | None = None):
    """Issue (sign and register) the summary of ``agency`` in the closed ``run``; returns the Document.
    Only the finance agency's (``finance.require_finance``: ``FinanceOnly``). The signature block
    names ``signer_position``, else ``signer_of`` (the finance position the issuer holds, else the
    finance office)."""
    from .finance import require_finance

    held = require_finance(tenant, actor)
    signer_position = signer_position or signer_of(tenant, held)
    if run.status != "closed":
        raise ValidationError(_("Only a closed month is summarised."), where="month", code="month_open")
    row = next((r for r in agency_table(tenant, run) if r["agency"] == agency), None)
    if row is None:
        raise ValidationError(_("No TPP for agency %(agency)s in this month.", agency=agency), where="agency", code="not_found")
    people = [{**p, "nip": mask_identity(p["nip"], reveal=False)} for p in payroll(tenant, run, agency)]
    with tenant_scope(tenant):
        __, number = issue_number(tenant, ("remuneration", "summary"), PATTERN, "year", agency=agency)
        month = f"{run.year}-{run.month:02d}"
        return documents.issue(tenant, SUMMARY_KIND, number, str(_("TPP summary %(agency)s %(month)s", agency=agency, month=month)),
                               "remuneration/summary.html", {"row": row, "people": people, "month": month},
                               signer_position, actor)
