"""FixMyStreet's ``servicerequestupdates``, both ways: the timeline as updates, and updates received.

Out (GET): each public step of a complaint's timeline is an update: ``update_id`` (our event id),
``service_request_id``, ``status`` (an extended status code), ``updated_datetime``, ``description``,
``media_url``, ``external_status_code`` (our own status). In (POST): a client's update, sent with its
own unique ``update_id``, is put on the timeline; its ``status`` moves the complaint when that is a
step the workflow allows (FIXED or CLOSED on a complaint in progress resolves it; OPEN or REOPEN on
a resolved one reopens it; NOT_COUNCILS_RESPONSIBILITY, DUPLICATE, NO_FURTHER_ACTION, CANCELLED close
an open one without a fix), is a plain note when the complaint is already there, and is refused
otherwise.
Everything is in the caller's transaction; the caller commits or rolls back.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.kit import TenantOwned, ValidationError, audit, db, tenant_ref, tenant_scope, utcnow

from .. import deadlines, services, workflow
from ..disclosure import public_only
from ..models import FINISHED_STATUSES, Complaint, ComplaintEvent

# our status, and how a finished complaint ended -> FixMyStreet's extended status code
STATUS_CODES = {
    "submitted": "OPEN", "verified": "INVESTIGATING", "assigned": "ACTION_SCHEDULED", "in_progress": "IN_PROGRESS",
    "resolved": "FIXED", "closed": "CLOSED", "rejected": "NO_FURTHER_ACTION",
}
OUTCOME_CODES = {
    "fixed": "FIXED", "not_responsible": "NOT_COUNCILS_RESPONSIBILITY", "duplicate": "DUPLICATE",
    "unable": "NO_FURTHER_ACTION", "withdrawn": "CANCELLED", "rejected": "NO_FURTHER_ACTION",
}
# timeline steps shown as updates (not the filer's own additions, whose text is not published)
EVENT_CODES = {"rerouted": "INTERNAL_REFERRAL", "reopened": "REOPEN"}
PUBLIC_KINDS = ("status", "rerouted", "reopened", "duplicate", "update", "confirmed", "withdrawn", "asked")
# a received status -> (what it asks of the complaint, the outcome of closing it without a fix);
# "open"/"closed" ask for the next step of that kind
RECEIVED = {
    "OPEN": ("open", ""), "REOPEN": ("open", ""), "FOR_TRIAGE": ("open", ""),
    "INVESTIGATING": ("verified", ""), "ACTION_SCHEDULED": ("assigned", ""), "IN_PROGRESS": ("in_progress", ""),
    "FIXED": ("resolved", ""), "CLOSED": ("closed", ""),
    "NOT_COUNCILS_RESPONSIBILITY": ("closed", "not_responsible"), "DUPLICATE": ("closed", "duplicate"),
    "NO_FURTHER_ACTION": ("closed", "unable"), "CANCELLED": ("closed", "withdrawn"),
    "INTERNAL_REFERRAL": (None, ""),  # noted: the officers decide where it goes
}
MAX_UPDATE_ID = 100


class UpdateReceipt(TenantOwned, db.Model):
    """An update received from an Open311 client: its ``update_id`` is taken once per tenant."""

    __tablename__ = "complaint_update_receipts"
    __table_args__ = (UniqueConstraint("tenant_id", "update_id", name="uq_complaint_update_receipts_tenant_update"),)

    update_id: Mapped[str] = mapped_column(String(MAX_UPDATE_ID))
    complaint_id: Mapped[int] = tenant_ref("complaints", ondelete="CASCADE")
    event_id: Mapped[int] = tenant_ref("complaint_events", ondelete="CASCADE")
    client: Mapped[str] = mapped_column(String(120))  # the actor, e.g. "token:fixmystreet"
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


def event_code(event: ComplaintEvent) -> str:
    return EVENT_CODES.get(event.kind) or OUTCOME_CODES.get(event.outcome) or STATUS_CODES.get(event.to_status, "OPEN")


def updates_between(tenant, start: datetime, end: datetime, offset: int, limit: int,
                    visible=lambda complaint: True) -> list[ComplaintEvent]:
    """Public timeline steps of the tenant's complaints in ``[start, end]``, oldest first; only
    those of complaints ``visible`` says Open311 may show."""
    with tenant_scope(tenant):
        rows = db.session.execute(
            public_only(db.select(ComplaintEvent).join(Complaint, Complaint.id == ComplaintEvent.complaint_id))
            .where(ComplaintEvent.at >= start, ComplaintEvent.at <= end, ComplaintEvent.kind.in_(PUBLIC_KINDS))
            .order_by(ComplaintEvent.at, ComplaintEvent.id).offset(offset).limit(limit)
        ).scalars().all()
    return [e for e in rows if visible(e.complaint)]


def _plan(complaint: Complaint, asked: str | None, outcome: str) -> str:
    """"note", "reopen" or the status to move to; a ValidationError when the step is not allowed."""
    status = complaint.status
    if asked is None or (asked == status and not outcome):
        return "note"
    if asked == "open":
        if status == "resolved":
            return "reopen"
        if complaint.is_open:
            return "note"
        raise ValidationError(f"a complaint that is '{status}' cannot be reopened", where="status",
                              code="invalid_transition")
    if asked == "closed":
        if status in FINISHED_STATUSES and status != "resolved":
            return "note"  # closed already
        if not outcome and status != "resolved":
            asked = "resolved"  # a plain CLOSED on an open complaint: it was fixed
    if asked not in workflow.allowed_next(complaint):
        raise ValidationError(f"a complaint that is '{status}' cannot become '{asked}'", where="status",
                              code="invalid_transition")
    return asked


def receive(tenant, actor: str, request_id: str, update_id: str, status: str, description: str,
            updated_at: datetime, media_url: str = "", now: datetime | None = None) -> ComplaintEvent:
    """Take one update from an Open311 client (``actor``, e.g. ``token:NAME``); returns its event."""
    now = now or utcnow()
    with tenant_scope(tenant):
        update_id = services.clean_text(update_id, "update_id", MAX_UPDATE_ID, required=True)
        code = (status or "").strip().upper()
        if code not in RECEIVED:
            raise ValidationError(f"status must be one of {', '.join(RECEIVED)}", where="status", code="invalid_status")
        note = services.clean_text(description, "description", 1000, required=True)
        if services.TAG.search(note):
            raise ValidationError("may not contain HTML", where="description", code="html_not_allowed")
        if not (request_id or "").strip():
            raise ValidationError("is required", where="service_request_id", code="required")
        complaint = services.get_by_number(tenant, request_id)  # NotFound: not this tenant's
        if db.session.execute(db.select(UpdateReceipt.id).where(UpdateReceipt.update_id == update_id)).first():
            raise ValidationError(f"update_id '{update_id}' was already received", where="update_id",
                                  code="duplicate_update_id")
        media_url = services.clean_text(media_url, "media_url", 500)
        asked, outcome = RECEIVED[code]
        step = _plan(complaint, asked, outcome)
        if step == "reopen":
            workflow.reopen(tenant, actor, complaint, note, now=now)
        elif step != "note":
            workflow.transition(tenant, actor, complaint, step, note=note, now=now,
                                outcome=outcome if step == "closed" and complaint.is_open else "")
        else:
            services.add_event(complaint, "update", actor, "citizen", now, note=note,
                               from_status=complaint.status, to_status=complaint.status)
            complaint.updated_at = now
        if complaint.paused_at is not None:  # the citizen answered through the client: the clock runs
            deadlines.resume(tenant, actor, complaint, now)
        db.session.flush()
        event = complaint.events[-1]
        db.session.add(UpdateReceipt(update_id=update_id, complaint_id=complaint.id, event_id=event.id,
                                     client=str(actor)[:120], received_at=now))
        audit(tenant, actor, "complaints.open311_update", "complaint", complaint.number, after={
            "update_id": update_id, "status": code, "step": step, "updated_datetime": updated_at.isoformat(),
            "media_url": bool(media_url),
        })
        db.session.flush()
        return event


__all__ = ["EVENT_CODES", "OUTCOME_CODES", "STATUS_CODES", "UpdateReceipt", "event_code", "receive", "updates_between"]
