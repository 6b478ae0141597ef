"""Fees: the invoice with its payment code, and the payment recorded on the core ledger.

The retribution (UU 1/2022, retribusi perizinan tertentu; the tariff is the tenant's Perda, written
as the type's fee formula) is invoiced when the last stage approves; while it is unpaid the SLA clock
waits on the applicant (the core clock paused; OSS 30, Verifikasi Pembayaran) and resumes when it is
paid (OSS 33, Persetujuan Pembayaran). A payment is one ledger transfer
from the office's receiving account (``permits.bank``, the provider's or cashier's settlement) to the
type's revenue account (``permits.fees.<TYPE>``), keyed by the application, so a callback sent twice
records one payment, and the retribution per type and month is the ledger's own sum
(``collected``). Paid by an officer at the counter, or by the provider's signed callback
(``api.py``).
"""
from __future__ import annotations

from collections import defaultdict
from datetime import timezone

from core.kit import (
    NotFound, ValidationError, audit, db, for_change, ledger, local_date, rupiah, tenant_scope, utcnow,
)

from .fees import MAX_FEE
from .models import APPROVED, AWAITING_PAYMENT, Application, Event
from .notices import money, tell
from .services import N_, _l, back_from_applicant, log, not_own, scoped, wait_on_applicant

BANK = "permits.bank"


def revenue_account(type_code: str) -> str:
    return f"permits.fees.{type_code}"


def payment_code(application) -> str:
    """Twelve digits: ``9``, the application's id in ten digits and a Luhn check digit (so a
    mistyped code is refused before it is looked up)."""
    body = f"9{application.id:010d}"
    return body + str(_luhn(body))


def _luhn(digits: str) -> int:
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return (10 - total % 10) % 10


def valid_code(code: str) -> bool:
    return isinstance(code, str) and len(code) == 12 and code.isdigit() and _luhn(code[:-1]) == int(code[-1])


def open_invoice(tenant, actor, application) -> None:
    """Invoice the fee: the payment code, the clock waiting on the applicant (41), the applicant told."""
    application.payment_code = payment_code(application)
    application.status = AWAITING_PAYMENT
    wait_on_applicant(tenant, actor, application)   # no deadline while the fee is unpaid
    # the timeline shows the fee in the reader's language (application.html), the audit keeps the number
    log(tenant, actor, application, "invoice", after={"fee_amount": application.fee_amount})
    tell(tenant, application, N_("Application %(reference)s approved. Pay the fee of %(amount)s with payment "
                                 "code %(code)s."), reference=application.reference, code=application.payment_code,
         amount=money(application.fee_amount))


class AlreadyPaid(ValidationError):
    """A second payment for an invoice already paid (another reference: a new provider transaction,
    or a callback for an invoice paid at the counter). Nothing is recorded on the ledger; the caller
    answers ``already_paid`` (the API 409) and keeps the attempt in the audit trail
    (``audit_second_payment``) so the double payment is seen and refunded."""

    code = "already_paid"

    def __init__(self, application, amount: int, reference: str, paid_reference: str):
        super().__init__(f"the invoice {application.payment_code} is already paid (reference {paid_reference!r}); "
                         f"this payment of Rp {amount} was not recorded", where="payment_code",
                         local=_l("This invoice is already paid: this second payment was not recorded."))
        self.application_id, self.payment_code = application.id, application.payment_code
        self.amount, self.reference, self.paid_reference = amount, reference, paid_reference


def audit_second_payment(tenant, actor, refused: AlreadyPaid) -> None:
    """The audit entry of a refused second payment (``permits.second_payment``): the invoice, the
    reference and the amount offered, and the reference it was paid with. In the caller's
    transaction, after ``record_payment`` raised (it changed nothing)."""
    with tenant_scope(tenant):
        audit(tenant, actor, "permits.second_payment", "permits.application", refused.application_id,
              after={"payment_code": refused.payment_code, "amount": refused.amount, "reference": refused.reference,
                     "paid_reference": refused.paid_reference})


def _paid_reference(application) -> str:
    """The reference the invoice was paid with (the ``paid`` line of the timeline)."""
    return db.session.execute(db.select(Event.note).where(Event.application_id == application.id,
                                                          Event.action == "paid")
                              .order_by(Event.id.desc()).limit(1)).scalar_one_or_none() or ""


@scoped
def record_payment(tenant, actor, code: str, amount: int, reference: str = "") -> Application:
    """Record the payment of the invoice ``code`` of ``amount`` rupiah (exactly the fee). The same
    payment told again (an invoice already paid, with the same amount and reference) returns the
    application unchanged (idempotent); another payment of an invoice already paid is ``AlreadyPaid``
    (nothing recorded: the caller audits it, ``audit_second_payment``).
    Errors: ``NotFound`` (no such code in this tenant), ``ValidationError`` (``amount_not_integer``,
    ``amount_not_positive``, ``amount_too_large`` (over ``fees.MAX_FEE``), ``amount_mismatch``,
    ``not_invoiced``, ``already_paid``, ``own_application``: an officer recording the payment of an
    application they applied for themselves), ``ledger.LedgerError``."""
    if not valid_code(code):
        raise NotFound("no invoice with this payment code", where="payment_code", code="unknown_invoice",
                       local=_l("No invoice has this payment code."))
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise ValidationError("must be a whole number of rupiah", where="amount", code="amount_not_integer",
                              local=_l("Must be a whole number of rupiah."))
    if amount <= 0:
        raise ValidationError("must be more than zero", where="amount", code="amount_not_positive",
                              local=_l("Must be more than zero rupiah."))
    if amount > MAX_FEE:   # no invoice is larger; bounded before anything formats it
        raise ValidationError(f"must be at most {MAX_FEE}", where="amount", code="amount_too_large",
                              local=_l("Write a whole number from %(min)s to %(max)s.", min=1, max=MAX_FEE))
    with tenant_scope(tenant):
        application = db.session.execute(for_change(
            db.select(Application).where(Application.payment_code == code), Application)).scalar_one_or_none()
        if application is None:
            raise NotFound("no invoice with this payment code", where="payment_code", code="unknown_invoice",
                       local=_l("No invoice has this payment code."))
        not_own(actor, application)   # a cashier never records the payment of their own application
        if application.paid_at is not None:
            paid_reference = _paid_reference(application)
            if amount == application.fee_amount and reference[:200] == paid_reference:
                return application   # the same payment told twice
            raise AlreadyPaid(application, amount, reference, paid_reference)
        if amount != application.fee_amount:
            raise ValidationError(f"the invoice is Rp {application.fee_amount}, not Rp {amount}", where="amount",
                                  code="amount_mismatch",
                                  local=_l("The invoice is %(fee)s, not %(amount)s.",
                                           fee=rupiah(application.fee_amount), amount=rupiah(amount)))
        if application.status != AWAITING_PAYMENT:
            raise ValidationError("this application is not awaiting payment", where="payment_code", code="not_invoiced",
                                  local=_l("This application is not awaiting payment."))
        ledger.open_account(tenant, actor, BANK, "settlement")
        ledger.open_account(tenant, actor, revenue_account(application.type_code), "revenue")
        ledger.transfer(tenant, actor, f"permits.pay.{application.id}", BANK, revenue_account(application.type_code),
                        amount, memo=f"{application.reference} {reference}".strip()[:200])
        application.paid_at, application.status = utcnow(), APPROVED
        back_from_applicant(tenant, actor, application)   # the working days left, from today
        log(tenant, actor, application, "paid", note=reference[:200])
        tell(tenant, application, N_("Fee payment for %(reference)s received. The permit will be issued shortly."),
             reference=application.reference)
    return application


def collected(tenant) -> dict[tuple[str, str], int]:
    """Retribution collected per ``(type code, "YYYY-MM")`` (the tenant's local month), read from the
    ledger's transfers into each type's revenue account: what the register reconciles against."""
    from core.kit import ledger as led

    Account, Transfer = led.models.Account, led.models.Transfer
    out: dict[tuple[str, str], int] = defaultdict(int)
    with tenant_scope(tenant):
        rows = db.session.execute(
            db.select(Account.code, Transfer.amount, Transfer.created_at)
            .join(Transfer, Transfer.credit_account_id == Account.id)
            .where(Account.code.like("permits.fees.%"))).all()
    for code, amount, at in rows:
        at = at if at.tzinfo else at.replace(tzinfo=timezone.utc)  # SQLite gives naive UTC
        out[(code.removeprefix("permits.fees."), local_date(tenant, at).strftime("%Y-%m"))] += amount
    return dict(out)


def billed(tenant) -> dict[tuple[str, str], int]:
    """The fees of the paid applications per ``(type code, "YYYY-MM")`` (the tenant's local month of
    payment), read from the applications: the other side of ``collected``."""
    out: dict[tuple[str, str], int] = defaultdict(int)
    with tenant_scope(tenant):
        rows = db.session.execute(db.select(Application.type_code, Application.fee_amount, Application.paid_at)
                                  .where(Application.paid_at.is_not(None))).all()
    for code, amount, at in rows:
        at = at if at.tzinfo else at.replace(tzinfo=timezone.utc)
        out[(code, local_date(tenant, at).strftime("%Y-%m"))] += amount
    return dict(out)


def reconcile(tenant) -> dict[tuple[str, str], tuple[int, int]]:
    """Where the retribution collected on the ledger and the paid applications disagree, per
    ``(type, month)``: ``{key: (ledger rupiah, applications rupiah)}``; empty when they reconcile
    (issue 15.4). A payment is one transfer in the application's own transaction, so a difference
    means a row changed outside this module."""
    ledger_side, applications = collected(tenant), billed(tenant)
    keys = set(ledger_side) | set(applications)
    return {k: (ledger_side.get(k, 0), applications.get(k, 0)) for k in sorted(keys)
            if ledger_side.get(k, 0) != applications.get(k, 0)}
