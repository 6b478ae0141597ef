"""Complaints (pengaduan warga), their timeline, photos and the per-tenant yearly number counter.

Every table is tenant-owned; every composite index and unique constraint starts with tenant_id.
The filer's name, phone and e-mail are kept encrypted (the core's ``EncryptedText``); a keyed hash
of the phone and of the e-mail sits beside them so a filer's complaints can be found without
decrypting.
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    JSON, Boolean, CheckConstraint, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, defer, mapped_column, relationship

from core.kit import EncryptedText, TenantOwned, db, tenant_ref, utcnow

STATUSES = ("submitted", "verified", "assigned", "in_progress", "resolved", "closed", "rejected")
OPEN_STATUSES = ("submitted", "verified", "assigned", "in_progress")
OPEN_SQL = "status IN ('submitted', 'verified', 'assigned', 'in_progress')"  # partial indexes
FINISHED_STATUSES = ("resolved", "closed", "rejected")
CHANNELS = ("portal", "sms", "social", "hotline", "open311", "api")
# How a finished complaint ended. Only "fixed" is a resolution; the others closed it without a fix:
# not the agency's responsibility (sent on outside the tenant), a duplicate, could not be fixed,
# withdrawn by the filer, or rejected (not a complaint at all).
UNFIXED_OUTCOMES = ("not_responsible", "duplicate", "unable", "withdrawn")
OUTCOMES = ("fixed",) + UNFIXED_OUTCOMES + ("rejected",)


def aware(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value


class ComplaintCounter(TenantOwned, db.Model):
    """The last tracking number issued for one tenant and (local) year, as it was before the numbers
    moved onto the core's counters (``core.numbering``; copied there by migration c3e8a1f05d27).
    No longer written; kept so that a downgrade past that migration finds its numbers."""

    __tablename__ = "complaint_counters"
    __table_args__ = (UniqueConstraint("tenant_id", "year", name="uq_complaint_counters_tenant_year"),)

    year: Mapped[int] = mapped_column(Integer)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class Complaint(TenantOwned, db.Model):
    __tablename__ = "complaints"
    __table_args__ = (
        UniqueConstraint("tenant_id", "number", name="uq_complaints_tenant_number"),
        UniqueConstraint("tenant_id", "year", "seq", name="uq_complaints_tenant_year_seq"),
        UniqueConstraint("tenant_id", "token", name="uq_complaints_tenant_token"),
        UniqueConstraint("tenant_id", "channel", "source_ref", name="uq_complaints_tenant_source"),
        Index("ix_complaints_tenant_agency_status", "tenant_id", "agency_id", "status"),
        Index("ix_complaints_tenant_agency_id", "tenant_id", "agency_id", "id"),  # officer queue, newest first
        Index("ix_complaints_tenant_status_due", "tenant_id", "status", "resolution_due_at"),
        Index("ix_complaints_tenant_created", "tenant_id", "created_at"),
        Index("ix_complaints_tenant_filer", "tenant_id", "filer_user_id"),
        Index("ix_complaints_tenant_phone", "tenant_id", "filer_phone_hash"),
        # nearby open complaints of a category (duplicates.py): a bounding box on lat/lon first
        Index("ix_complaints_tenant_category_lat_lon", "tenant_id", "category_code", "latitude", "longitude"),
        # the officer's queue (migration b7f3c2a91e64; the keyword search uses the word index
        # complaint_words, words.py: under Row Level Security ILIKE is not LEAKPROOF, so no trigram
        # index could serve it — c4d9e1f27a63 dropped them)
        Index("ix_complaints_tenant_open_agency_due", "tenant_id", "agency_id", "resolution_due_at",
              postgresql_where=text(OPEN_SQL), sqlite_where=text(OPEN_SQL)),
        Index("ix_complaints_tenant_assignee", "tenant_id", "assignee_id"),
        Index("ix_complaints_tenant_agency_created", "tenant_id", "agency_id", "created_at"),
        # the queue's category filter (migration d2a7c5e83f19): an agency's complaints of one
        # category, narrowed by status and assignee in the index itself
        Index("ix_complaints_tenant_agency_category", "tenant_id", "agency_id", "category_code", "status",
              "assignee_id"),
    )

    number: Mapped[str] = mapped_column(String(40))  # e.g. MKS-2026-000123, quoted by citizens
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    token: Mapped[str] = mapped_column(String(40))  # Open311 token (public, unguessable)
    access_key_hash: Mapped[str] = mapped_column(String(64), default="")  # lets an anonymous filer reopen

    category_code: Mapped[str] = mapped_column(String(32))
    agency_id: Mapped[int] = tenant_ref("org_units")
    district_id: Mapped[int | None] = tenant_ref("org_units")
    village_id: Mapped[int | None] = tenant_ref("org_units")
    description: Mapped[str] = mapped_column(Text)
    address: Mapped[str] = mapped_column(String(300), default="")
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    attributes: Mapped[dict] = mapped_column(JSON, default=dict)  # Open311 service attributes
    media_url: Mapped[str] = mapped_column(String(500), default="")  # an Open311 client's own link

    channel: Mapped[str] = mapped_column(String(16))
    source_ref: Mapped[str | None] = mapped_column(String(100))  # chat message id, for replays
    filer_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    filer_name: Mapped[str | None] = mapped_column(EncryptedText)
    filer_phone: Mapped[str | None] = mapped_column(EncryptedText)
    filer_email: Mapped[str | None] = mapped_column(EncryptedText)
    filer_phone_hash: Mapped[str] = mapped_column(String(64), default="")
    filer_email_hash: Mapped[str] = mapped_column(String(64), default="")
    notify_by: Mapped[str] = mapped_column(String(8), default="")  # "sms", "email" or ""

    status: Mapped[str] = mapped_column(String(16), default="submitted")
    status_note: Mapped[str] = mapped_column(String(1000), default="")  # the last public reason
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    responded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    response_due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    resolution_due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    resolved_within_target: Mapped[bool | None] = mapped_column()
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)  # 1 head of agency, 2 coordinator
    escalated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reopen_count: Mapped[int] = mapped_column(Integer, default=0)
    # deadlines.py: the agency's follow-up plan (set on verification); the clock paused while the
    # complaint waits on the citizen; duplicates.py: the complaint this one duplicates
    followup_due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    paused_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    duplicate_of_id: Mapped[int | None] = tenant_ref("complaints", ondelete="SET NULL")
    # outcomes, confidentiality (SP4N-LAPOR!), the filer's word: see workflow.py, privacy.py, filer_info.py
    outcome: Mapped[str] = mapped_column(String(16), default="")  # one of OUTCOMES once finished
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # the filer: fixed
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)  # filer hidden from officers too
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)  # hidden from every public output
    unread_updates: Mapped[int] = mapped_column(Integer, default=0)  # filer's additions the officer has not seen
    filer_locale: Mapped[str] = mapped_column(String(8), default="")  # the filer's language ("": the tenant's)

    # joined on the id alone (ids are unique), so the key's tenant_id is never written through them
    events: Mapped[list["ComplaintEvent"]] = relationship(
        back_populates="complaint", order_by="ComplaintEvent.id", cascade="all, delete-orphan",
        primaryjoin="Complaint.id == foreign(ComplaintEvent.complaint_id)",
    )
    photos: Mapped[list["ComplaintPhoto"]] = relationship(
        back_populates="complaint", order_by="ComplaintPhoto.id", cascade="all, delete-orphan",
        primaryjoin="Complaint.id == foreign(ComplaintPhoto.complaint_id)",
    )

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def due(self, now: datetime) -> str:
        """"response", "followup" or "resolution" when that target has passed, else "" (also while
        the clock is paused)."""
        return overdue_target(self, now)


def without_filer() -> tuple:
    """Query options that leave the filer's encrypted name, phone and e-mail unread: no list shows
    them, and each read decrypts (issue 11.4)."""
    return (defer(Complaint.filer_name), defer(Complaint.filer_phone), defer(Complaint.filer_email))


def overdue_target(c, now: datetime) -> str:
    """``Complaint.due`` for anything with its columns (a complaint, or a row of the queue's plain
    columns): the target that has passed at ``now`` (UTC), else ""."""
    if c.paused_at is not None:
        return ""
    if c.status == "submitted" and aware(c.response_due_at) < now:
        return "response"
    if c.status in ("verified", "assigned") and c.followup_due_at is not None \
            and aware(c.followup_due_at) < now:
        return "followup"
    if c.status in OPEN_STATUSES and aware(c.resolution_due_at) < now:
        return "resolution"
    return ""


class ComplaintEvent(TenantOwned, db.Model):
    """One step on a complaint's timeline; shown to the filer and the public without personal data."""

    __tablename__ = "complaint_events"
    __table_args__ = (
        Index("ix_complaint_events_tenant_complaint", "tenant_id", "complaint_id", "id"),
        Index("ix_complaint_events_tenant_at", "tenant_id", "at"),  # Open311 servicerequestupdates by time
    )

    complaint_id: Mapped[int] = tenant_ref("complaints", ondelete="CASCADE")
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    kind: Mapped[str] = mapped_column(String(24))  # filed, status, rerouted, reopened, escalated, info, ...
    from_status: Mapped[str] = mapped_column(String(16), default="")
    to_status: Mapped[str] = mapped_column(String(16), default="")
    agency_id: Mapped[int | None] = tenant_ref("org_units")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_role: Mapped[str] = mapped_column(String(16), default="")  # citizen, officer, system
    note: Mapped[str] = mapped_column(String(1000), default="")
    outcome: Mapped[str] = mapped_column(String(16), default="")  # how a closing ended (OUTCOMES)

    complaint: Mapped[Complaint] = relationship(
        back_populates="events", primaryjoin="Complaint.id == foreign(ComplaintEvent.complaint_id)"
    )


class ComplaintPhoto(TenantOwned, db.Model):
    """A photo, re-encoded without its metadata and kept through the core's storage."""

    __tablename__ = "complaint_photos"
    __table_args__ = (Index("ix_complaint_photos_tenant_complaint", "tenant_id", "complaint_id"),)

    complaint_id: Mapped[int] = tenant_ref("complaints", ondelete="CASCADE")
    storage_key: Mapped[str] = mapped_column(String(300))
    content_type: Mapped[str] = mapped_column(String(32))
    size: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    thumb_key: Mapped[str] = mapped_column(String(300), default="")  # a small copy for lists
    thumb_width: Mapped[int] = mapped_column(Integer, default=0)
    thumb_height: Mapped[int] = mapped_column(Integer, default=0)
    added_by_filer: Mapped[bool] = mapped_column(Boolean, default=False)  # after filing (filer_info.py)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)  # hidden by an officer (redaction.py)

    complaint: Mapped[Complaint] = relationship(
        back_populates="photos", primaryjoin="Complaint.id == foreign(ComplaintPhoto.complaint_id)"
    )


class ComplaintFollower(TenantOwned, db.Model):
    """A signed-in person who follows a public complaint and is told of its changes (follow.py)."""

    __tablename__ = "complaint_followers"
    __table_args__ = (
        UniqueConstraint("tenant_id", "complaint_id", "user_id", name="uq_complaint_followers_tenant_complaint_user"),
        Index("ix_complaint_followers_tenant_user", "tenant_id", "user_id"),
    )

    complaint_id: Mapped[int] = tenant_ref("complaints", ondelete="CASCADE")
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ComplaintRedaction(TenantOwned, db.Model):
    """What an officer redacted or hid, kept for auditors only (``complaints.read_redacted``).

    The core audit trail (readable by admins too) records only this row's id and a keyed digest of
    the original; the original text itself is encrypted here, a hidden photo stays in storage.
    """

    __tablename__ = "complaint_redactions"
    __table_args__ = (Index("ix_complaint_redactions_tenant_complaint", "tenant_id", "complaint_id", "id"),)

    complaint_id: Mapped[int] = tenant_ref("complaints", ondelete="CASCADE")
    target: Mapped[str] = mapped_column(String(24))  # description, address, event, photo
    event_id: Mapped[int | None] = tenant_ref("complaint_events", ondelete="SET NULL")
    photo_id: Mapped[int | None] = tenant_ref("complaint_photos", ondelete="SET NULL")
    original_text: Mapped[str | None] = mapped_column(EncryptedText)
    original_key: Mapped[str] = mapped_column(String(300), default="")  # the hidden photo in storage
    digest: Mapped[str] = mapped_column(String(64))  # keyed hash of the original, also in the audit entry
    reason: Mapped[str] = mapped_column(String(500))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ComplaintContactFollower(TenantOwned, db.Model):
    """Someone without an account who follows a public complaint on a phone or e-mail they
    confirmed with a single-use code (``follow.py``). Until ``confirmed_at`` it is a pending
    request: only the code's keyed hash is kept, with its expiry and the wrong tries counted.
    The contact is encrypted; its keyed hash finds a repeat request."""

    __tablename__ = "complaint_contact_followers"
    __table_args__ = (
        UniqueConstraint("tenant_id", "complaint_id", "contact_hash", name="uq_complaint_contact_followers_contact"),
        Index("ix_complaint_contact_followers_tenant_complaint", "tenant_id", "complaint_id"),
    )

    complaint_id: Mapped[int] = tenant_ref("complaints", ondelete="CASCADE")
    channel: Mapped[str] = mapped_column(String(8))  # "sms" or "email"
    contact: Mapped[str] = mapped_column(EncryptedText)
    contact_hash: Mapped[str] = mapped_column(String(64))
    locale: Mapped[str] = mapped_column(String(8), default="")
    code_hash: Mapped[str] = mapped_column(String(64), default="")  # "" once used
    code_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    tries: Mapped[int] = mapped_column(Integer, default=0)  # wrong codes typed for the current code
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ComplaintRating(TenantOwned, db.Model):
    """The filer's rating of how their complaint was handled, once, after it closed (SP4N-LAPOR!
    asks the reporter to rate the follow-up: 1 to 5, with a comment); ``ratings.py``."""

    __tablename__ = "complaint_ratings"
    __table_args__ = (
        UniqueConstraint("tenant_id", "complaint_id", name="uq_complaint_ratings_tenant_complaint"),
        CheckConstraint("score BETWEEN 1 AND 5", name="ck_complaint_ratings_score"),
    )

    complaint_id: Mapped[int] = tenant_ref("complaints", ondelete="CASCADE")
    score: Mapped[int] = mapped_column(Integer)  # 1 (very poor) .. 5 (very good)
    comment: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ComplaintFigure(TenantOwned, db.Model):
    """One counter of the tenant's public figures (``summary.py``), kept up to date in the same
    transaction as every change of a complaint, so that no public page aggregates over complaints
    (issue 11.1). ``dimension`` names what is counted, ``key`` which value of it: ("status",
    "resolved"), ("category", "SAMPAH"), ("agency", "<org unit id>"), ("outcome", "fixed"),
    ("confirmed", ""), ("filed", "2026-07") and ("fixed", "2026-07") (local months of filing and of
    the fix), ("within_target", "1"/"0") and ("fix_minutes", "<bucket>") (filing to fix, a histogram),
    ("rating", "1".."5") (the filers' ratings, moved by ``ratings.rate``).
    ``n`` is the number of complaints counted there. Rebuilt from the complaints by
    ``pamong complaints rebuild-summary``."""

    __tablename__ = "complaint_figures"
    __table_args__ = (
        UniqueConstraint("tenant_id", "dimension", "key", name="uq_complaint_figures_tenant_dimension_key"),
    )

    dimension: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(40))
    n: Mapped[int] = mapped_column(Integer, default=0)
