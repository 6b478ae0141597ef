"""Moving a complaint through its life: submitted → verified → assigned → in progress → resolved →
closed, or rejected with a reason; re-routing to another agency; the filer's confirming, reopening
and withdrawing.

Honest outcomes: only "resolved" is a fix (outcome "fixed"). An open complaint can also be closed
without a fix, with an outcome from ``UNFIXED_OUTCOMES`` and a reason (not the agency's
responsibility, a duplicate, could not be fixed, withdrawn); "rejected" is its own outcome.

Every step is checked (who may, from which status), audited, put on the timeline and told to
the filer and the complaint's followers, all in the caller's transaction.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from core.kit import OrgUnit, User, ValidationError, audit, db, has_permission, tenant_scope, utcnow

from . import deadlines, notifications
from .models import OPEN_STATUSES, UNFIXED_OUTCOMES, aware
from .services import (
    Forbidden, add_event, agencies_of, announce_event, clean_text, require_filer, require_handler,
)
from .settings import settings_of

TRANSITIONS = {
    "submitted": ("verified", "rejected", "closed"),
    "verified": ("assigned", "rejected", "closed"),
    "assigned": ("in_progress", "rejected", "closed"),
    "in_progress": ("resolved", "closed"),  # closed from an open status: without a fix, with an outcome
    "resolved": ("closed",),
    "closed": (),
    "rejected": (),
}
NOTE_REQUIRED = {"rejected", "resolved"}


def allowed_next(complaint) -> tuple[str, ...]:
    return TRANSITIONS.get(complaint.status, ())


def actions(complaint) -> tuple[str, ...]:
    """The officer's choices: statuses, with ``closed:<outcome>`` for each way to close without a fix."""
    out = []
    for status in allowed_next(complaint):
        if status == "closed" and complaint.status in OPEN_STATUSES:
            out += [f"closed:{o}" for o in UNFIXED_OUTCOMES]
        else:
            out.append(status)
    return tuple(out)


def _outcome(complaint, to_status: str, outcome: str) -> str:
    """The outcome the move records ("" when it records none); checks the one given."""
    outcome = (outcome or "").strip()
    unfixed = to_status == "closed" and complaint.status in OPEN_STATUSES
    if unfixed and outcome not in UNFIXED_OUTCOMES:
        raise ValidationError(
            "to close an open complaint without a fix, say why: " + ", ".join(UNFIXED_OUTCOMES),
            where="outcome", code="invalid_transition",
        )
    if outcome and not unfixed:
        raise ValidationError("an outcome is given only to close an open complaint without a fix",
                              where="outcome", code="invalid_outcome")
    return {"resolved": "fixed", "rejected": "rejected"}.get(to_status, outcome)


def _for_filer(actor) -> bool:
    """An Open311 client (API token) acts for its citizen: FixMyStreet's REOPEN update."""
    return isinstance(actor, str) and actor.startswith("token:")


def _filer_label(actor, complaint):
    """The audit trail's actor for the filer: the account or token, else the proof they gave."""
    own = isinstance(actor, User) and complaint.filer_user_id == actor.id
    return actor if own or _for_filer(actor) else "citizen:filer"


def transition(tenant, actor, complaint, to_status: str, note: str = "", assignee: User | None = None,
               now: datetime | None = None, outcome: str = ""):
    """Move ``complaint`` to ``to_status``; a reason is required to reject, resolve or close without
    a fix (``outcome``: one of ``UNFIXED_OUTCOMES``)."""
    now = now or utcnow()
    with tenant_scope(tenant):
        require_handler(tenant, actor, complaint)
        if to_status not in allowed_next(complaint):
            raise ValidationError(
                f"a complaint that is '{complaint.status}' cannot become '{to_status}'",
                where="status", code="invalid_transition",
            )
        outcome = _outcome(complaint, to_status, outcome)
        unfixed = outcome in UNFIXED_OUTCOMES
        note = clean_text(note, "note", 1000, required=to_status in NOTE_REQUIRED or unfixed)
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
        deadlines.on_status(tenant, complaint, now)  # verified: the follow-up plan is owed
        if to_status == "resolved":
            complaint.resolved_at = now
            complaint.resolved_within_target = now <= aware(complaint.resolution_due_at)
        if to_status in ("closed", "rejected"):
            complaint.closed_at = now
        if outcome:
            complaint.outcome = outcome
        add_event(complaint, "status", actor, "system" if actor == "system" else "officer", now, note=note,
                  from_status=before, to_status=to_status, outcome=outcome)
        audit(tenant, actor, f"complaints.{to_status}", "complaint", complaint.number,
              before={"status": before}, after={"status": to_status, "note": note, "outcome": complaint.outcome})
        db.session.flush()
        notifications.status_changed(tenant, complaint, note, actor=actor)
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
        deadlines.on_status(tenant, complaint, now)  # the new agency owes its own follow-up plan
        add_event(complaint, "rerouted", actor, "officer", now, note=reason, from_status=before_status,
                  to_status=complaint.status)
        audit(tenant, actor, "complaints.reroute", "complaint", complaint.number,
              before={"agency": old.code, "status": before_status},
              after={"agency": target.code, "status": complaint.status, "reason": reason})
        db.session.flush()
        notifications.rerouted(tenant, complaint, target.name, actor=actor)
        announce_event(tenant, actor, "rerouted", complaint, previous_agency_id=old.id)
        return complaint


def may_reopen(tenant, complaint, now: datetime, settings: dict | None = None) -> bool:
    settings = settings or settings_of(tenant)
    return (
        complaint.status == "resolved" and complaint.resolved_at is not None
        and now <= aware(complaint.resolved_at) + timedelta(days=settings["reopen_days"])
    )


def reopen(tenant, actor, complaint, reason: str, access_key: str = "", now: datetime | None = None,
           proven: bool = False):
    """The filer (signed in, with the access code they were given, or ``proven`` otherwise; or an
    Open311 client for its citizen) reopens a resolved complaint within the tenant's ``reopen_days``."""
    now = now or utcnow()
    with tenant_scope(tenant):
        require_filer(actor, complaint, access_key, proven or _for_filer(actor))
        settings = settings_of(tenant)
        if not may_reopen(tenant, complaint, now, settings):
            raise ValidationError(
                f"only a complaint resolved in the last {settings['reopen_days']} days can be reopened",
                where="status", code="cannot_reopen",
            )
        reason = clean_text(reason, "reason", 1000, required=True)
        complaint.status = "in_progress"
        complaint.status_note = reason
        complaint.resolved_at = None
        complaint.resolved_within_target = None
        complaint.outcome = ""
        complaint.reopen_count += 1
        complaint.updated_at = now
        deadlines.restart_resolution(tenant, complaint, now)
        complaint.escalation_level = 0
        complaint.escalated_at = None
        add_event(complaint, "reopened", actor, "citizen", now, note=reason, from_status="resolved",
                  to_status="in_progress")
        audit(tenant, _filer_label(actor, complaint), "complaints.reopen", "complaint", complaint.number,
              before={"status": "resolved"}, after={"status": "in_progress", "reason": reason})
        db.session.flush()
        notifications.status_changed(tenant, complaint, reason, actor=actor)
        announce_event(tenant, actor, "reopened", complaint)
        return complaint


def confirm(tenant, actor, complaint, access_key: str = "", now: datetime | None = None, proven: bool = False):
    """The filer confirms that a resolved complaint is fixed: it closes now."""
    now = now or utcnow()
    with tenant_scope(tenant):
        require_filer(actor, complaint, access_key, proven or _for_filer(actor))
        if complaint.status != "resolved":
            raise ValidationError("only a resolved complaint can be confirmed", where="status", code="cannot_confirm")
        complaint.status = "closed"
        complaint.confirmed_at = complaint.closed_at = complaint.updated_at = now
        deadlines.on_status(tenant, complaint, now)
        add_event(complaint, "confirmed", actor, "citizen", now, from_status="resolved", to_status="closed",
                  outcome=complaint.outcome)
        audit(tenant, _filer_label(actor, complaint), "complaints.confirm", "complaint", complaint.number,
              before={"status": "resolved"}, after={"status": "closed", "outcome": complaint.outcome})
        db.session.flush()
        notifications.status_changed(tenant, complaint, "", actor=actor, tell_filer=False)
        announce_event(tenant, actor, "confirmed", complaint)
        return complaint


def withdraw(tenant, actor, complaint, reason: str = "", access_key: str = "", now: datetime | None = None,
             proven: bool = False):
    """The filer withdraws an open complaint: it closes without a fix (outcome "withdrawn")."""
    now = now or utcnow()
    with tenant_scope(tenant):
        require_filer(actor, complaint, access_key, proven or _for_filer(actor))
        if not complaint.is_open:
            raise ValidationError("only an open complaint can be withdrawn", where="status", code="not_open")
        reason = clean_text(reason, "reason", 1000)
        before = complaint.status
        complaint.status, complaint.outcome, complaint.status_note = "closed", "withdrawn", reason
        complaint.closed_at = complaint.updated_at = now
        deadlines.on_status(tenant, complaint, now)  # every clock finishes
        add_event(complaint, "withdrawn", actor, "citizen", now, note=reason, from_status=before,
                  to_status="closed", outcome="withdrawn")
        audit(tenant, _filer_label(actor, complaint), "complaints.withdraw", "complaint", complaint.number,
              before={"status": before}, after={"status": "closed", "outcome": "withdrawn", "reason": reason})
        db.session.flush()
        notifications.status_changed(tenant, complaint, reason, actor=actor)
        announce_event(tenant, actor, "withdrawn", complaint, previous=before)
        return complaint


def may_see_queue(tenant, user) -> bool:
    return isinstance(user, User) and (
        has_permission(user, tenant, "complaints.handle") or has_permission(user, tenant, "complaints.coordinate")
        or has_permission(user, tenant, "complaints.read_all")
    )


__all__ = ["Forbidden", "TRANSITIONS", "actions", "allowed_next", "confirm", "may_reopen", "may_see_queue", "reopen",
           "reroute", "transition", "withdraw"]
