"""Service levels: escalation when a complaint's response, follow-up or resolution target passes
(the deadlines themselves, in working or calendar days, are set by ``deadlines.py``).

An overdue complaint goes first to the head of its agency (level 1), then, if it is still overdue
``coordinator_after_hours`` later, to the tenant's complaint coordinator (level 2). Resolved
complaints close themselves once the reopening window has passed. Everything takes ``now`` so a
test controls the clock; the periodic job (``jobs.py``) passes the real time.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from core.kit import (
    OrgUnit, Tenant, ValidationError, audit, db, enabled_modules, for_change, head_of, members_of, normalise_phone,
    tenant_scope,
)

from . import notifications
from .models import OPEN_STATUSES, Complaint, aware
from .services import add_event
from .settings import settings_of
from .workflow import transition

log = logging.getLogger("pamong.complaints")


def _for_change(query):
    """Rows a sweep will change: locked (``core.kit.for_change``; row locks on PostgreSQL, where a
    row an officer is changing right now is skipped until the next sweep, and the conditions are
    checked again on the row as it is when locked)."""
    return for_change(query, Complaint, skip_locked=True)


def overdue(tenant, now: datetime, agency_ids: set[int] | None = None, lock: bool = False) -> list[Complaint]:
    """Open complaints past their response, follow-up or resolution target (of some agencies, if
    given), leaving out those whose clock is paused while they wait on the citizen. ``lock``: the
    caller will change them (see ``_for_change``)."""
    with tenant_scope(tenant):
        query = db.select(Complaint).where(
            Complaint.status.in_(OPEN_STATUSES),
            Complaint.paused_at.is_(None),
            db.or_(
                db.and_(Complaint.status == "submitted", Complaint.response_due_at < now),
                db.and_(Complaint.status.in_(("verified", "assigned")), Complaint.followup_due_at < now),
                Complaint.resolution_due_at < now,
            ),
        )
        if agency_ids is not None:
            query = query.where(Complaint.agency_id.in_(agency_ids))
        query = query.order_by(Complaint.resolution_due_at)
        return list(db.session.execute(_for_change(query) if lock else query).scalars())


def _contact(channel: str, value: str) -> tuple[str, str] | None:
    value = (value or "").strip()
    if not value:
        return None
    if channel == "sms":
        try:
            return ("sms", normalise_phone(value))
        except ValidationError:
            log.warning("complaints: a configured escalation phone number is not valid; skipped")
            return None
    return ("email", value)


def head_contacts(tenant, agency: OrgUnit, settings: dict) -> list[tuple[str, str]]:
    """The head of the agency from the settings; else whoever holds the agency's head position
    today (an acting holder within the period included); else the agency's officers."""
    entry = settings.get("agency_contacts", {}).get(agency.code, {})
    found = [c for c in (_contact("email", entry.get("email", "")), _contact("sms", entry.get("phone", ""))) if c]
    if not found:
        found = [("email", user.email) for user in head_of(tenant, agency.code)]
    if not found:
        found = [("email", user.email) for user in members_of(tenant, "officer", agency.id)]
    return found


def coordinator_contacts(tenant, settings: dict) -> list[tuple[str, str]]:
    found = [c for c in (_contact("email", settings.get("coordinator_email", "")),
                         _contact("sms", settings.get("coordinator_phone", ""))) if c]
    if not found:
        found = [("email", user.email) for user in members_of(tenant, "admin")]
    return found


def escalate_overdue(tenant, now: datetime) -> list[tuple[str, int]]:
    """Escalate what is overdue at ``now``; returns [(number, new level)]. The caller commits."""
    done = []
    with tenant_scope(tenant):
        settings = settings_of(tenant)
        wait = timedelta(hours=settings["coordinator_after_hours"])
        for complaint in overdue(tenant, now, lock=True):
            target = complaint.due(now)
            if complaint.escalation_level == 0:
                level = 1
            elif complaint.escalation_level == 1 and aware(complaint.escalated_at) + wait <= now:
                level = 2
            else:
                continue
            agency = db.session.get(OrgUnit, complaint.agency_id)
            contacts = head_contacts(tenant, agency, settings) if level == 1 else coordinator_contacts(tenant, settings)
            complaint.escalation_level = level
            complaint.escalated_at = now
            add_event(complaint, "escalated", "system", "system", now, note=f"{level}:{target}")
            audit(tenant, "system", "complaints.escalate", "complaint", complaint.number,
                  before={"level": level - 1}, after={"level": level, "target": target, "recipients": len(contacts)})
            notifications.escalated(tenant, complaint, level, contacts, agency.name, target)
            done.append((complaint.number, level))
        db.session.flush()
    return done


def close_resolved(tenant, now: datetime) -> list[str]:
    """Close resolved complaints whose reopening window has passed; returns their numbers."""
    with tenant_scope(tenant):
        settings = settings_of(tenant)
        cutoff = now - timedelta(days=settings["reopen_days"])
        rows = db.session.execute(_for_change(
            db.select(Complaint).where(Complaint.status == "resolved", Complaint.resolved_at < cutoff)
        )).scalars().all()
        for complaint in rows:
            transition(tenant, "system", complaint, "closed", now=now)
        return [c.number for c in rows]


def run_all(now: datetime) -> dict[str, int]:
    """The periodic sweep over every tenant that has the module: one transaction per tenant."""
    counts = {}
    tenants = db.session.execute(db.select(Tenant).order_by(Tenant.id)).scalars().all()
    for tenant in tenants:
        if "complaints" not in enabled_modules(tenant):
            continue
        try:
            escalated = escalate_overdue(tenant, now)
            closed = close_resolved(tenant, now)
            db.session.commit()
            counts[tenant.slug] = len(escalated) + len(closed)
        except Exception:  # noqa: BLE001 - one tenant's trouble must not stop the others
            db.session.rollback()
            log.exception("complaints: SLA sweep failed for tenant %s", tenant.slug)
    return counts
