"""Moving a complaint through its life: submitted → verified → assigned → in progress → resolved →
closed, or rejected with a reason; re-routing to another agency; the citizen's reopening.

Every step is checked (who may, from which status), audited, put on the timeline and told to
the filer, all in the caller's transaction.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from core.kit import OrgUnit, User, ValidationError, audit, db, has_permission, tenant_scope, utcnow

from . import notifications
from .models import aware
from .services import (
    Forbidden, access_key_matches, add_event, agencies_of, announce_event, clean_text, require_handler,
)
from .settings import category, settings_of

TRANSITIONS = {
    "submitted": ("verified", "rejected"),
    "verified": ("assigned", "rejected"),
    "assigned": ("in_progress", "rejected"),
    "in_progress": ("resolved",),
    "resolved": ("closed",),
    "closed": (),
    "rejected": (),
}
NOTE_REQUIRED = {"rejected", "resolved"}


def allowed_next(complaint) -> tuple[str, ...]:
    return TRANSITIONS.get(complaint.status, ())


def transition(tenant, actor, complaint, to_status: str, note: str = "", assignee: User | None = None,
               now: datetime | None = None):
    """Move ``complaint`` to ``to_status``; a reason is required to reject or resolve."""
    now = now or utcnow()
    with tenant_scope(tenant):
        require_handler(tenant, actor, complaint)
        if to_status not in allowed_next(complaint):
            raise ValidationError(
                f"a complaint that is '{complaint.status}' cannot become '{to_status}'",
                where="status", code="invalid_transition",
            )
        note = clean_text(note, "note", 1000, required=to_status in NOTE_REQUIRED)
        if to_status == "assigned":
            if assignee is not None and complaint.agency_id not in agencies_of(tenant, assignee):
                raise ValidationError("is not an officer of this complaint's agency", where="assignee",
                                      code="invalid_assignee")
            if assignee is None and complaint.agency_id in agencies_of(tenant, actor):
                assignee = actor  # an officer who takes it on
            complaint.assignee_id = assignee.id if assignee is not None else None
        before = complaint.status
        complaint.status = to_status
        complaint.status_note = note
        complaint.updated_at = now
        if before == "submitted":
            complaint.responded_at = now
        if to_status == "resolved":
            complaint.resolved_at = now
            complaint.resolved_within_target = now <= aware(complaint.resolution_due_at)
        if to_status in ("closed", "rejected"):
            complaint.closed_at = now
        add_event(complaint, "status", actor, "system" if actor == "system" else "officer", now, note=note,
                  from_status=before, to_status=to_status)
        audit(tenant, actor, f"complaints.{to_status}", "complaint", complaint.number,
              before={"status": before}, after={"status": to_status, "note": note})
        db.session.flush()
        notifications.status_changed(tenant, complaint, note)
        announce_event(tenant, actor, to_status, complaint, previous=before)
        return complaint


def reroute(tenant, actor, complaint, agency_code: str, reason: str, now: datetime | None = None):
    """Send the complaint to another agency of the tenant, with a reason; it waits there for
    verification again."""
    now = now or utcnow()
    with tenant_scope(tenant):
        require_handler(tenant, actor, complaint)
        if complaint.status not in ("submitted", "verified", "assigned", "in_progress"):
            raise ValidationError("only an open complaint can be forwarded", where="agency", code="invalid_transition")
        reason = clean_text(reason, "reason", 1000, required=True)
        target = db.session.execute(
            db.select(OrgUnit).where(OrgUnit.kind == "agency", OrgUnit.code == (agency_code or "").strip(),
                                     OrgUnit.active.is_(True))
        ).scalar_one_or_none()
        if target is None:
            raise ValidationError("unknown agency", where="agency", code="unknown_agency")
        if target.id == complaint.agency_id:
            raise ValidationError("the complaint is already with this agency", where="agency", code="same_agency")
        old = db.session.get(OrgUnit, complaint.agency_id)
        before_status = complaint.status
        complaint.agency_id = target.id
        complaint.assignee_id = None
        if complaint.status in ("assigned", "in_progress"):
            complaint.status = "verified"
        complaint.updated_at = now
        complaint.escalation_level = 0
        complaint.escalated_at = None
        add_event(complaint, "rerouted", actor, "officer", now, note=reason, from_status=before_status,
                  to_status=complaint.status)
        audit(tenant, actor, "complaints.reroute", "complaint", complaint.number,
              before={"agency": old.code, "status": before_status},
              after={"agency": target.code, "status": complaint.status, "reason": reason})
        db.session.flush()
        notifications.rerouted(tenant, complaint, target.name)
        announce_event(tenant, actor, "rerouted", complaint, previous_agency_id=old.id)
        return complaint


def may_reopen(tenant, complaint, now: datetime, settings: dict | None = None) -> bool:
    settings = settings or settings_of(tenant)
    return (
        complaint.status == "resolved" and complaint.resolved_at is not None
        and now <= aware(complaint.resolved_at) + timedelta(days=settings["reopen_days"])
    )


def reopen(tenant, actor, complaint, reason: str, access_key: str = "", now: datetime | None = None):
    """The filer (signed in, or with the access code they were given) reopens a resolved complaint
    within the tenant's ``reopen_days``."""
    now = now or utcnow()
    with tenant_scope(tenant):
        own = isinstance(actor, User) and complaint.filer_user_id == actor.id
        if not own and not access_key_matches(complaint, access_key):
            raise Forbidden("only the person who filed the complaint may reopen it", where="access_key")
        settings = settings_of(tenant)
        if not may_reopen(tenant, complaint, now, settings):
            raise ValidationError(
                f"only a complaint resolved in the last {settings['reopen_days']} days can be reopened",
                where="status", code="cannot_reopen",
            )
        reason = clean_text(reason, "reason", 1000, required=True)
        try:
            days = category(tenant, complaint.category_code, settings).resolution_days
        except ValidationError:
            days = 7  # the category was removed from the settings since
        complaint.status = "in_progress"
        complaint.status_note = reason
        complaint.resolved_at = None
        complaint.resolved_within_target = None
        complaint.reopen_count += 1
        complaint.updated_at = now
        complaint.resolution_due_at = now + timedelta(days=days)
        complaint.escalation_level = 0
        complaint.escalated_at = None
        add_event(complaint, "reopened", actor, "citizen", now, note=reason, from_status="resolved",
                  to_status="in_progress")
        audit(tenant, actor if own else "citizen:access-code", "complaints.reopen", "complaint", complaint.number,
              before={"status": "resolved"}, after={"status": "in_progress", "reason": reason})
        db.session.flush()
        notifications.status_changed(tenant, complaint, reason)
        announce_event(tenant, actor, "reopened", complaint)
        return complaint


def may_see_queue(tenant, user) -> bool:
    return isinstance(user, User) and (
        has_permission(user, tenant, "complaints.handle") or has_permission(user, tenant, "complaints.coordinate")
        or has_permission(user, tenant, "complaints.read_all")
    )


__all__ = ["Forbidden", "TRANSITIONS", "allowed_next", "may_reopen", "may_see_queue", "reopen", "reroute", "transition"]
