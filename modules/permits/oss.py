"""The OSS-RBA vocabulary of an application's state, in one place, so a report in OSS's terms is one
query (``OSS_STATUS[application.status]``) and the timeline carries the code of every step.

OSS-RBA (PP 5/2021; the Ministry of Investment/BKPM's rules on the risk-based licensing service)
reports a licence's processing with two-digit status codes, and stops and restarts the service-level
clock with 41 (stop, waiting on the applicant), 42 (restart), 43 (stop and reset) and 44 (restart from
zero); the clock codes are the core's (``core.kit.sla.OSS_CODES``). The status codes below are this
module's reading of that vocabulary (05 submitted, 10 in process, 45 awaiting payment of the
retribution, 50 issued, 57 issued by fiktif positif, 90 refused, 91 revoked, 92 suspended); a
deployment that reports to OSS confirms them against the current OSS integration table before
sending, and changes them here only.
"""
from __future__ import annotations

from core.kit import sla

from .models import APPROVED, AWAITING_PAYMENT, DRAFT, ISSUED, REJECTED, RETURNED, SUBMITTED

OSS_STATUS = {
    DRAFT: "",
    SUBMITTED: "10",
    RETURNED: "41",
    AWAITING_PAYMENT: "45",
    APPROVED: "45",
    ISSUED: "50",
    REJECTED: "90",
}
SUBMITTED_CODE, FIKTIF_POSITIF, REVOKED_CODE, SUSPENDED_CODE = "05", "57", "91", "92"
CLOCK = {name: str(code) for name, code in sla.OSS_CODES.items()}  # pause 41, resume 42, reset 43, restart 44


def code_of(application) -> str:
    """The OSS code of the application's state now (the permit's revocation/suspension first)."""
    if application.permit_status == "revoked":
        return REVOKED_CODE
    if application.permit_status == "suspended":
        return SUSPENDED_CODE
    if application.status == ISSUED and application.fiktif_positif:
        return FIKTIF_POSITIF
    return OSS_STATUS.get(application.status, "")
