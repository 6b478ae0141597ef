"""Service-level deadlines of a complaint, counted on the tenant's working calendar.

Three targets per category (``settings.py``), each in working days (the tenant's calendar: national
holidays, cuti bersama and its own days off, see ``core/calendar.py``) or in calendar days:

- ``response``: verified within ``response_days`` of filing (or ``response_hours`` clock hours);
- ``followup``: the agency's follow-up plan within ``followup_days`` of verification (the complaint
  leaves "verified"/"assigned" for "in progress"); restarted when it is forwarded to another agency;
- ``resolution``: finished within ``resolution_days`` of filing; restarted when the citizen reopens.

A working-day deadline is the end (23:59:59, the tenant's zone) of the N-th working day after the
day it starts from; a calendar-day deadline is exactly N days later. While the complaint waits on
the citizen the clock is paused (``pause``), and ``resume`` moves every pending deadline on by the
time waited: the working days the wait touched for working-day targets, the exact time otherwise.
Each target is a clock of the core (``core.kit.sla``, OSS-RBA's 41 stop / 42 restart / 44 restart
from zero), kept with its segments (``clocks.py``); the complaint's ``*_due_at`` columns are a copy
of their deadlines and ``paused_at`` marks the wait. Escalation (``sla.py``) reads these deadlines;
pages show them in the tenant's time zone.
"""
from __future__ import annotations

from datetime import datetime

from core.kit import ValidationError, WorkingCalendar, audit, calendar_of, db, sla, tenant_scope, utcnow

from . import clocks
from .clocks import COLUMNS
from .models import Complaint, aware
from .settings import Category, category


def level(cat: Category, target: str) -> tuple[str, int]:
    """The service level of ``target`` for ``cat``: (``sla`` unit, amount)."""
    if target == "response" and cat.response_hours:
        return sla.HOURS, cat.response_hours
    days = {"response": cat.response_days, "followup": cat.followup_days, "resolution": cat.resolution_days}[target]
    return (sla.WORKING_DAYS if target in cat.in_working_days else sla.DAYS), days


def due(cat: Category, target: str, start: datetime, cal: WorkingCalendar) -> datetime:
    """The deadline of ``target`` for a complaint of ``cat`` whose clock for it starts at ``start``."""
    return sla.deadline(cal, *level(cat, target), start)


def _category(tenant, complaint: Complaint) -> Category:
    try:
        return category(tenant, complaint.category_code)
    except ValidationError:  # the category was removed from the settings since: the defaults
        return Category(code=complaint.category_code, name_id=complaint.category_code,
                        name_en=complaint.category_code, agency="")


def on_filing(tenant, cat: Category, now: datetime) -> dict:
    """The deadline columns of a complaint filed at ``now`` (``started`` starts their clocks once it
    has an id, at the same deadlines)."""
    cal = calendar_of(tenant)
    return {"response_due_at": due(cat, "response", now, cal), "resolution_due_at": due(cat, "resolution", now, cal)}


def _kept(tenant, complaint: Complaint) -> dict:
    cat = _category(tenant, complaint)
    return clocks.kept(tenant, complaint, lambda target: level(cat, target))


def started(tenant, complaint: Complaint, now: datetime) -> None:
    """Start the response and resolution clocks of a complaint just filed (and flushed) at ``now``."""
    cat = _category(tenant, complaint)
    kept: dict = {}
    for target in ("response", "resolution"):
        clocks.run(tenant, complaint, target, *level(cat, target), now, kept)


def on_status(tenant, complaint: Complaint, now: datetime) -> None:
    """After a status change or a forwarding: a complaint now "verified" (by an officer, or again at
    another agency) owes its agency's follow-up plan from ``now``; the clocks of targets met (or of a
    complaint that ended) finish."""
    kept = _kept(tenant, complaint)
    if complaint.status == "verified":
        clocks.run(tenant, complaint, "followup", *level(_category(tenant, complaint), "followup"), now, kept)
    clocks.finish_done(tenant, complaint, now, kept)


def restart_resolution(tenant, complaint: Complaint, now: datetime) -> None:
    """A reopened complaint gets its full resolution time again, from ``now`` (OSS 44)."""
    kept = _kept(tenant, complaint)
    clocks.run(tenant, complaint, "resolution", *level(_category(tenant, complaint), "resolution"), now, kept)


def pending(complaint: Complaint) -> list[str]:
    """The targets not yet met: the ones its deadlines still run for."""
    found = []
    if complaint.status == "submitted":
        found.append("response")
    if complaint.status in ("verified", "assigned") and complaint.followup_due_at is not None:
        found.append("followup")
    if complaint.is_open:
        found.append("resolution")
    return found


def pause(tenant, actor, complaint: Complaint, now: datetime) -> bool:
    """Stop the clock while the complaint waits on the citizen; False if it was already stopped.
    Audited in the caller's transaction."""
    if complaint.paused_at is not None or not complaint.is_open:
        return False
    kept = _kept(tenant, complaint)
    complaint.paused_at = now
    clocks.pause(tenant, complaint, now, kept)
    audit(tenant, actor, "complaints.clock_paused", "complaint", complaint.number, after={"at": now.isoformat()})
    return True


def wait_on_citizen(tenant, actor, complaint: Complaint, question: str, now: datetime | None = None) -> Complaint:
    """A handler asks the filer for what the complaint cannot go on without: the question goes on the
    timeline and to the filer, and the clock stops until they answer (``filer_info.add_info``, or an
    Open311 update, resumes it)."""
    from . import notifications, services  # services imports this module

    now = now or utcnow()
    with tenant_scope(tenant):
        services.require_handler(tenant, actor, complaint)
        if not complaint.is_open:
            raise ValidationError("only an open complaint can wait on the citizen", where="question", code="not_open")
        if complaint.paused_at is not None:
            raise ValidationError("the complaint already waits on the citizen", where="question",
                                  code="already_waiting")
        question = services.clean_text(question, "question", 1000, required=True)
        if services.TAG.search(question):
            raise ValidationError("may not contain HTML", where="question", code="html_not_allowed")
        pause(tenant, actor, complaint, now)
        services.add_event(complaint, "asked", actor, services.actor_role(actor), now, note=question,
                           from_status=complaint.status, to_status=complaint.status)
        complaint.updated_at = now
        db.session.flush()
        notifications.asked(tenant, complaint, question)
        return complaint


def resume(tenant, actor, complaint: Complaint, now: datetime) -> dict[str, str]:
    """Restart the clock: every pending deadline moves on by the time waited. Returns the new
    deadlines (ISO) by target; nothing if the clock was running."""
    if complaint.paused_at is None:
        return {}
    since = aware(complaint.paused_at)
    kept = _kept(tenant, complaint)
    still = pending(complaint)
    moved = {t: d.isoformat() for t, d in clocks.resume(tenant, complaint, now, kept).items() if t in still}
    complaint.paused_at = None
    audit(tenant, actor, "complaints.clock_resumed", "complaint", complaint.number,
          before={"paused_at": since.isoformat()}, after={"due": moved})
    return moved


__all__ = ["due", "level", "on_filing", "on_status", "pause", "pending", "restart_resolution", "resume", "started",
           "wait_on_citizen"]
