"""The tables of the permits module: applications (drafts included), their requirement uploads and
their timeline. Every table is tenant-owned with the composite keys of DESIGN §4.

The approval stages live in the core's approval chain (``("permits", "application", id)``) and the
service level in the core's SLA clock (``("permit", id)``, clock ``"processing"``); the row keeps a
copy of the clock's deadline (``due_at``) and of the current stage so the queue can filter on them.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.kit import IdentityNumber, TenantOwned, db, identity_hash, tenant_ref, utcnow

# the life of an application (status); oss.py maps each to OSS-RBA's vocabulary
DRAFT, SUBMITTED, RETURNED, AWAITING_PAYMENT, APPROVED, ISSUED, REJECTED, WITHDRAWN = (
    "draft", "submitted", "returned", "awaiting_payment", "approved", "issued", "rejected", "withdrawn")
STATUSES = (DRAFT, SUBMITTED, RETURNED, AWAITING_PAYMENT, APPROVED, ISSUED, REJECTED, WITHDRAWN)
OPEN = (SUBMITTED, RETURNED, AWAITING_PAYMENT, APPROVED)  # in the office's hands or the applicant's
CLOSED = (ISSUED, REJECTED, WITHDRAWN)  # done with: the queue lists them when asked (by status or number)
# the permit itself, once issued
VALID, SUSPENDED, REVOKED = "valid", "suspended", "revoked"


class Application(TenantOwned, db.Model):
    """An application for a permit of type ``type_code``. ``fields``: the applicant's form values
    (``{requirement code: text}``). Money in rupiah; times UTC."""

    __tablename__ = "permits_applications"
    __table_args__ = (
        UniqueConstraint("tenant_id", "reference", name="uq_permits_applications_tenant_reference"),
        UniqueConstraint("tenant_id", "payment_code", name="uq_permits_applications_tenant_payment_code"),
        UniqueConstraint("tenant_id", "permit_number", name="uq_permits_applications_tenant_permit_number"),
        Index("ix_permits_applications_tenant_status_due", "tenant_id", "status", "due_at"),
        Index("ix_permits_applications_tenant_applicant", "tenant_id", "applicant_id"),
        Index("ix_permits_applications_tenant_due", "tenant_id", "due_at", "id"),          # the queue's order
        Index("ix_permits_applications_tenant_register", "tenant_id", "status", "issued_at", "id"),  # the register
    )

    reference: Mapped[str | None] = mapped_column(String(40))  # given on submission (gap-free)
    type_code: Mapped[str] = mapped_column(String(24))
    status: Mapped[str] = mapped_column(String(20), default=DRAFT)
    stage: Mapped[int] = mapped_column(Integer, default=0)  # index of the stage awaiting action
    applicant_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    applicant_name: Mapped[str] = mapped_column(String(200), default="")
    business_name: Mapped[str] = mapped_column(String(200), default="")  # shown on the public register
    nik: Mapped[str | None] = mapped_column(IdentityNumber("nik"))
    nik_hash: Mapped[str] = identity_hash("nik")
    nib: Mapped[str | None] = mapped_column(IdentityNumber("nib"))
    nib_hash: Mapped[str] = identity_hash("nib")
    phone: Mapped[str] = mapped_column(String(20), default="")
    fields: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    fee_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    payment_code: Mapped[str | None] = mapped_column(String(32))
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    permit_number: Mapped[str | None] = mapped_column(String(100))
    issued_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    valid_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    document_code: Mapped[str | None] = mapped_column(String(64))
    permit_status: Mapped[str] = mapped_column(String(16), default="")  # valid, suspended, revoked
    # why and when the permit's status last changed (suspended, lifted, revoked): shown publicly
    permit_status_reason: Mapped[str] = mapped_column(Text, default="")
    permit_status_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    fiktif_positif: Mapped[bool] = mapped_column(default=False)  # approved because the SLA lapsed
    # when decided (issued or refused), for the figures: working days of the office's own time (the
    # clock's running segments) and whether it was decided by its deadline
    office_days: Mapped[int | None] = mapped_column(Integer)
    within_sla: Mapped[bool | None] = mapped_column()


class Upload(TenantOwned, db.Model):
    """The file given for one document requirement (the latest replaces the earlier one)."""

    __tablename__ = "permits_uploads"
    __table_args__ = (
        UniqueConstraint("tenant_id", "application_id", "requirement", name="uq_permits_uploads_tenant_app_req"),
    )

    application_id: Mapped[int] = tenant_ref("permits_applications", ondelete="CASCADE")
    requirement: Mapped[str] = mapped_column(String(32))
    storage_key: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(200), default="")
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Event(TenantOwned, db.Model):
    """One line of an application's timeline: what happened, with the OSS-RBA code of the state it
    led to (``oss.py``) and a note the applicant may read."""

    __tablename__ = "permits_events"
    __table_args__ = (Index("ix_permits_events_tenant_app", "tenant_id", "application_id", "id"),)

    application_id: Mapped[int] = tenant_ref("permits_applications", ondelete="CASCADE")
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    action: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(20))
    oss_code: Mapped[str] = mapped_column(String(4), default="")
    actor: Mapped[str] = mapped_column(String(254), default="")
    note: Mapped[str] = mapped_column(Text, default="")


class ReconciliationAlert(TenantOwned, db.Model):
    """What the reconciliation alert (``reconciliation.alert``) last told the finance officers about
    one permit type and local month (``"YYYY-MM"``): the two sums it saw disagree, when it told them,
    and when they agreed again (``resolved_at``; a later disagreement is told anew). A mismatch is
    told once: the job tells again only when its sums change."""

    __tablename__ = "permits_reconciliation_alerts"
    __table_args__ = (
        UniqueConstraint("tenant_id", "type_code", "month", name="uq_permits_reconciliation_alerts_tenant_key"),
    )

    type_code: Mapped[str] = mapped_column(String(24))
    month: Mapped[str] = mapped_column(String(7))
    collected: Mapped[int] = mapped_column(BigInteger)   # rupiah on the ledger
    billed: Mapped[int] = mapped_column(BigInteger)      # rupiah of the paid applications
    notified_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class NameWord(TenantOwned, db.Model):
    """One word of an application's applicant name (``kind`` ``a``) or business name (``b``),
    case-folded (``names.words``): the name search finds applications whose words start with each
    word asked for, by a range over the index ``(tenant_id, word)``. A range of text comparisons
    is LEAKPROOF in PostgreSQL, so it is an index condition under Row Level Security, which
    ``ILIKE`` is not (migration 6b2d9e4f1c83). On PostgreSQL the column is ``COLLATE "C"``, so the
    range is a prefix by code point, as SQLite's BINARY order is."""

    __tablename__ = "permits_name_words"
    __table_args__ = (Index("ix_permits_name_words_tenant_word", "tenant_id", "word", "kind", "application_id"),
                      Index("ix_permits_name_words_tenant_app", "tenant_id", "application_id"))  # rewriting one's words

    application_id: Mapped[int] = tenant_ref("permits_applications", ondelete="CASCADE")
    kind: Mapped[str] = mapped_column(String(1))
    word: Mapped[str] = mapped_column(String(64).with_variant(String(64, collation="C"), "postgresql"))
