"""The tables of the e-office module (naskah dinas). Every one is tenant-owned (``TenantOwned``:
primary key ``(tenant_id, id)``; references within the tenant are composite, DESIGN §4).

A letter's review chain (paraf, then the signer) is the core's approval chain
``("eoffice", "letter", "<id>.<revision>")``: a letter returned to its drafter starts a new
revision, and so a new chain, when it is submitted again. Its number is taken at signing only.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.kit import TenantOwned, db, tenant_ref, utcnow

DRAFT, REVIEW, NUMBERED, SIGNED, SENT = "draft", "review", "numbered", "signed", "sent"
WITHDRAWN = "withdrawn"  # a draft its drafter gave up (never numbered): kept, with its reason, for the record
STATUSES = (DRAFT, REVIEW, NUMBERED, SIGNED, SENT, WITHDRAWN)  # numbered: the number taken, the signature not finished
TO, CC = "to", "cc"
OPEN, DONE = "open", "done"


class Letter(TenantOwned, db.Model):
    """One official letter (naskah dinas), from draft to sent.

    ``steps``: the review chain as drafted, position codes in order, the signer last.
    ``number`` (with ``serial`` and ``year``, the tenant's local year of signing) is None until
    signed: gap-free per tenant, issuing unit, classification and year (core numbering).
    ``unit_*``: the issuing unit, decided at signing (the signing position's agency: the Wali
    Kota's letters are the Setda's); ``drafting_unit_*``: where it was drafted.
    ``signature``: the lines of the signature block as signed (``a.n.``, ``u.b.``, ``Plt.``)."""

    __tablename__ = "eoffice_letters"
    __table_args__ = (
        UniqueConstraint("tenant_id", "year", "number", name="uq_eoffice_letters_tenant_year_number"),
        UniqueConstraint("tenant_id", "origin_ref", name="uq_eoffice_letters_tenant_origin_ref"),
        Index("ix_eoffice_letters_tenant_status", "tenant_id", "status", "updated_at"),
        Index("ix_eoffice_letters_tenant_unit", "tenant_id", "unit_id", "created_at"),
    )

    letter_type: Mapped[str] = mapped_column(String(10))
    classification: Mapped[str] = mapped_column(String(24))
    security: Mapped[str] = mapped_column(String(10), default="biasa")
    subject: Mapped[str] = mapped_column(String(300))
    body_html: Mapped[str] = mapped_column(Text, default="")
    # the issuing unit: the drafter's agency while a draft, the signing position's agency from signing on
    unit_id: Mapped[int] = tenant_ref("org_units")
    unit_code: Mapped[str] = mapped_column(String(32))
    unit_name: Mapped[str] = mapped_column(String(200))
    # the agency the drafter drafted in (its officers keep seeing the letter wherever it is issued)
    drafting_unit_code: Mapped[str | None] = mapped_column(String(32))
    drafting_unit_name: Mapped[str | None] = mapped_column(String(200))
    drafter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    drafter: Mapped[str] = mapped_column(String(254), default="")
    status: Mapped[str] = mapped_column(String(10), default=DRAFT)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    steps: Mapped[list] = mapped_column(JSON, default=list)
    on_behalf: Mapped[str] = mapped_column(String(200), default="")  # a.n. (atas nama)
    via: Mapped[str] = mapped_column(String(200), default="")  # the position signing u.b. (untuk beliau) under
    number: Mapped[str | None] = mapped_column(String(100))
    serial: Mapped[int | None] = mapped_column(Integer)
    year: Mapped[int | None] = mapped_column(Integer)
    signer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    signer_name: Mapped[str] = mapped_column(String(200), default="")
    signature: Mapped[list] = mapped_column(JSON, default=list)
    document_code: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    signed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # an incoming letter from another tenant (crossing.py): its sender, number and signed PDF as received
    origin_tenant: Mapped[str | None] = mapped_column(String(64))
    origin_name: Mapped[str] = mapped_column(String(200), default="")
    origin_number: Mapped[str | None] = mapped_column(String(100))
    origin_ref: Mapped[str | None] = mapped_column(String(40))  # "<sender tenant id>:<outbox id>"
    origin_pdf_key: Mapped[str | None] = mapped_column(String(120))
    origin_verify_url: Mapped[str | None] = mapped_column(String(300))
    # the attachments the sender listed: [{"n", "filename", "size", "sha256"}] (each arrives as a post of its own)
    origin_attachments: Mapped[list | None] = mapped_column(JSON)
    # the letter type's name as the sender sent it: {"id": ..., "en": ...} (None: received before names were sent)
    origin_type_name: Mapped[dict | None] = mapped_column(JSON)
    # the date written on an incoming letter registered by hand (register.py; the tenant's calendar)
    origin_date: Mapped[date | None] = mapped_column(Date)
    # the sender revoked the incoming letter's signed PDF (revocation.py): when it was told, and why
    origin_revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    origin_revoked_reason: Mapped[str] = mapped_column(Text, default="")

    @property
    def incoming(self) -> bool:
        """A letter that came in (from another tenant, or registered by hand), not one of this tenant's."""
        return bool(self.origin_name)

    @property
    def shown_number(self) -> str | None:
        """The number as people quote it: this tenant's, or the sender's for an incoming letter."""
        return self.number or self.origin_number

    @property
    def chain_id(self) -> str:
        """The object id of the current revision's approval chain."""
        return f"{self.id}.{self.revision}"


class Recipient(TenantOwned, db.Model):
    """An addressee (``kind`` ``to``) or a copy (``cc``, tembusan) of a letter: a unit of the tenant
    (``unit_code``), a position (``position_code``) or someone outside (``name`` only, printed).
    ``read_at``/``read_by``: when someone of the addressee first opened it (the inbox's unread)."""

    __tablename__ = "eoffice_recipients"
    __table_args__ = (
        Index("ix_eoffice_recipients_tenant_letter", "tenant_id", "letter_id"),
        Index("ix_eoffice_recipients_tenant_unit", "tenant_id", "unit_code", "read_at"),
    )

    letter_id: Mapped[int] = tenant_ref("eoffice_letters", ondelete="CASCADE")
    kind: Mapped[str] = mapped_column(String(2), default=TO)
    unit_code: Mapped[str | None] = mapped_column(String(32))
    position_code: Mapped[str | None] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    read_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    tenant_slug: Mapped[str | None] = mapped_column(String(64))  # another tenant of the deployment
    post_id: Mapped[int | None] = mapped_column(Integer)  # the outbox post that carries it there
    attachment_posts: Mapped[list | None] = mapped_column(JSON)  # the posts carrying its attachments there


class Disposition(TenantOwned, db.Model):
    """A disposition (disposisi): ``from_id`` hands the letter down to ``to_id`` with an
    ``instruction`` and a ``due_on`` date (the tenant's local date); ``to_id`` reports the follow-up
    (tindak lanjut, ``follow_up``) which closes it (``status`` ``done``). ``parent_id``: the
    disposition this one passes further down."""

    __tablename__ = "eoffice_dispositions"
    __table_args__ = (
        Index("ix_eoffice_dispositions_tenant_to", "tenant_id", "to_id", "status", "due_on"),
        Index("ix_eoffice_dispositions_tenant_letter", "tenant_id", "letter_id"),
    )

    letter_id: Mapped[int] = tenant_ref("eoffice_letters", ondelete="CASCADE")
    parent_id: Mapped[int | None] = tenant_ref("eoffice_dispositions", ondelete="SET NULL")
    from_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    from_name: Mapped[str] = mapped_column(String(254))
    to_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    to_name: Mapped[str] = mapped_column(String(254))
    instruction: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(8), default=OPEN)
    follow_up: Mapped[str] = mapped_column(Text, default="")
    followed_up_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # the report that came with the follow-up (a PDF, optional): its storage key and file name
    report_key: Mapped[str | None] = mapped_column(String(120))
    report_name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Event(TenantOwned, db.Model):
    """The letter's own timeline (created, submitted, returned to the drafter, signed, sent, read,
    disposed, followed up); the review chain's steps come from the core's approvals history.
    ``note`` is text as written; ``data`` facts the page formats for its reader (``queries.timeline``)."""

    __tablename__ = "eoffice_events"
    __table_args__ = (Index("ix_eoffice_events_tenant_letter", "tenant_id", "letter_id", "id"),)

    letter_id: Mapped[int] = tenant_ref("eoffice_letters", ondelete="CASCADE")
    action: Mapped[str] = mapped_column(String(24))
    actor: Mapped[str] = mapped_column(String(254))
    note: Mapped[str] = mapped_column(Text, default="")
    # the entry's facts where the page formats them for its reader (a disposition's
    # {"to", "instruction", "due_on": ISO date}); None for entries with a plain note, and before 0008
    data: Mapped[dict | None] = mapped_column(JSON)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Dossier(TenantOwned, db.Model):
    """A file (berkas) of the records: letters of one classification code and issuing unit, filed
    together (pemberkasan). Once ``closed_on`` (the tenant's local date), the classification's
    retention (JRA, Permendagri 83/2022) gives ``inactive_on`` (active years later: it moves to the
    records centre) and ``review_on`` (inactive years after that: kept for good (``permanen``) or
    proposed for destruction (``musnah``), after review)."""

    __tablename__ = "eoffice_dossiers"
    __table_args__ = (
        UniqueConstraint("tenant_id", "code", name="uq_eoffice_dossiers_tenant_code"),
        Index("ix_eoffice_dossiers_tenant_review", "tenant_id", "review_on"),
    )

    code: Mapped[str] = mapped_column(String(60))
    classification: Mapped[str] = mapped_column(String(24))
    unit_code: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(300))
    opened_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    inactive_on: Mapped[date | None] = mapped_column(Date)
    review_on: Mapped[date | None] = mapped_column(Date)
    final: Mapped[str] = mapped_column(String(10), default="musnah")
    # the review's outcome (appraisal.py): "transferred" (to the regional archive) or "destroyed",
    # on ``outcome_on`` (the tenant's date), by the record ``outcome_ref`` (the berita acara's number)
    outcome: Mapped[str | None] = mapped_column(String(12))
    outcome_on: Mapped[date | None] = mapped_column(Date)
    outcome_ref: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Filing(TenantOwned, db.Model):
    """A letter filed in a dossier (one dossier per letter)."""

    __tablename__ = "eoffice_filings"
    __table_args__ = (UniqueConstraint("tenant_id", "letter_id", name="uq_eoffice_filings_tenant_letter"),
                      Index("ix_eoffice_filings_tenant_dossier", "tenant_id", "dossier_id"))

    dossier_id: Mapped[int] = tenant_ref("eoffice_dossiers", ondelete="CASCADE")
    letter_id: Mapped[int] = tenant_ref("eoffice_letters", ondelete="CASCADE")
    filed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    filed_by: Mapped[str] = mapped_column(String(254), default="")


class Attachment(TenantOwned, db.Model):
    """A PDF attached to a letter (lampiran), kept by the core's storage under ``storage_key``, with
    its SHA-256 (``sha256``; None for a file attached before it was kept). ``origin_ref``: the post
    (``"<sender tenant id>:<outbox id>"``) an attachment of a letter from another tenant came in."""

    __tablename__ = "eoffice_attachments"
    __table_args__ = (Index("ix_eoffice_attachments_tenant_letter", "tenant_id", "letter_id"),
                      UniqueConstraint("tenant_id", "origin_ref", name="uq_eoffice_attachments_tenant_origin_ref"))

    letter_id: Mapped[int] = tenant_ref("eoffice_letters", ondelete="CASCADE")
    filename: Mapped[str] = mapped_column(String(200))
    storage_key: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str | None] = mapped_column(String(64))
    origin_ref: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
