"""The applicant withdraws their application (pencabutan permohonan) before it is decided: a draft,
one in the office's stages, one waiting on them, or one invoiced and not yet paid. The SLA clock
finishes (the office's time is not counted as a decision: ``office_days`` stays empty), the unpaid
payment code stops being payable (a late payment is refused as ``not_invoiced``), the stage waiting
on an officer is no longer in the queue (the queue lists open applications only), and the change is
audited (``permits.withdraw``) and on the timeline with the applicant's reason. OSS-RBA's licence
status table has no code for a withdrawal (``oss.py``): none is reported. Once paid, approved or
issued the application is the office's to close (a refund is outside this module)."""
from __future__ import annotations

from core.kit import NotFound, sla, tenant_scope, utcnow

from .models import AWAITING_PAYMENT, DRAFT, RETURNED, SUBMITTED, WITHDRAWN
from .services import CLOCK, N_, _user, clock_changed, get, log, ref, refusal, scoped

WITHDRAWABLE = (DRAFT, SUBMITTED, RETURNED, AWAITING_PAYMENT)


def may_withdraw(application, user) -> bool:
    return application.applicant_id == getattr(user, "id", None) and application.status in WITHDRAWABLE


@scoped
def withdraw(tenant, actor, application_id: int, reason: str = ""):
    """``actor`` (the applicant) withdraws the application with an optional ``reason`` (at most 1,000
    characters). Errors: ``NotFound`` (not theirs), ``ValidationError`` ``not_withdrawable`` (already
    paid, decided or withdrawn)."""
    application = get(tenant, application_id, lock=True)
    if application.applicant_id != getattr(_user(actor), "id", None):
        raise NotFound("no such application")
    if application.status not in WITHDRAWABLE:
        raise refusal(N_("This application can no longer be withdrawn: ask the office."), code="not_withdrawable")
    before = {"status": application.status}
    with tenant_scope(tenant):
        if sla.clock_of(tenant, ref(application), CLOCK) is not None:
            sla.finish(tenant, ref(application), CLOCK, on_change=clock_changed(actor))
        application.status, application.due_at, application.updated_at = WITHDRAWN, None, utcnow()
        log(tenant, actor, application, "withdraw", note=" ".join((reason or "").split())[:1000], before=before)
    return application
