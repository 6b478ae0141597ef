"""The messages this module sends, through the core's outbox (``notify``), in the tenant's language.

Each is added to the caller's transaction: it is delivered only if the change commits. Every
message carries the tracking number. None carries the filer's identity: the filer is told on the
contact they gave; followers (``follow.py``) by e-mail, and only of a public (not *rahasia*)
complaint; officers learn that "the filer" added something, never who they are.

No message names a complaint its reader may not see (issue 10.3): a tracking number of a *rahasia*
complaint is taken out of what goes to a filer (unless it is theirs) or to followers
(``disclosure.hide_references``), and a duplicate of a *rahasia* original is "merged with a
confidential report".
"""
from __future__ import annotations

from flask_babel import force_locale

import logging

from core.kit import ValidationError, notify

from .disclosure import filer_may_see, hide_references, is_public
from .labels import gettext, outcome_label, status_label

log = logging.getLogger("pamong.complaints")


def tracking_path(tenant, number: str) -> str:
    return f"/complaints/track/{number}"


def tracking_url(tenant, number: str) -> str:
    """A link the citizen can open: the tenant's own domain, else the path-prefixed address under
    ``PAMONG_PUBLIC_URL`` (README "Behind a proxy"; a bare path only while that is not set)."""
    from flask import current_app, has_app_context

    domains = sorted(d.host for d in (tenant.domains or []))
    if domains:
        return f"https://{domains[0]}{tracking_path(tenant, number)}"
    base = (current_app.config.get("PAMONG_PUBLIC_URL") or "").rstrip("/") if has_app_context() else ""
    return f"{base}/t/{tenant.slug}{tracking_path(tenant, number)}"


def _ref(complaint) -> str:
    return f"complaints:{complaint.number}"


def _to_filer(tenant, complaint, subject: str, body: str) -> None:
    shown = filer_may_see(complaint)
    subject, body = hide_references(tenant, subject, shown), hide_references(tenant, body, shown)
    if complaint.notify_by == "sms" and complaint.filer_phone:
        notify(tenant, "sms", complaint.filer_phone, body, ref=_ref(complaint))
    elif complaint.notify_by == "email" and complaint.filer_email:
        notify(tenant, "email", complaint.filer_email, body, subject=subject, ref=_ref(complaint))


def filed(tenant, complaint, access_key: str) -> None:
    with force_locale(tenant.default_locale):
        subject = gettext("Complaint %(number)s received", number=complaint.number)
        body = gettext(
            "Your complaint has been received with number %(number)s. Access code (keep it to reopen "
            "the complaint): %(key)s. Follow it at %(url)s",
            number=complaint.number, key=access_key, url=tracking_url(tenant, complaint.number),
        )
        _to_filer(tenant, complaint, subject, body)


def _status_text(complaint) -> str:
    status = status_label(complaint.status)
    if complaint.status == "closed" and complaint.outcome:
        status += " (" + outcome_label(complaint.outcome) + ")"
    return status


def status_changed(tenant, complaint, note: str = "", actor=None, tell_filer: bool = True) -> None:
    with force_locale(tenant.default_locale):
        status = _status_text(complaint)
        subject = gettext("Complaint %(number)s: %(status)s", number=complaint.number, status=status)
        body = gettext("Complaint %(number)s is now: %(status)s.", number=complaint.number, status=status)
        if note:
            body += " " + note
        if complaint.status == "resolved":
            from .settings import settings_of

            body += " " + gettext(
                "Is it fixed? Confirm it, or reopen the complaint within %(days)s days:",
                days=settings_of(tenant)["reopen_days"],
            )
        body += " " + tracking_url(tenant, complaint.number)
        if tell_filer:
            _to_filer(tenant, complaint, subject, body)
        _to_followers(tenant, complaint, actor, subject, gettext(
            "Complaint %(number)s that you follow is now: %(status)s. %(url)s",
            number=complaint.number, status=status, url=tracking_url(tenant, complaint.number),
        ))


def rerouted(tenant, complaint, agency_name: str, actor=None) -> None:
    with force_locale(tenant.default_locale):
        subject = gettext("Complaint %(number)s forwarded", number=complaint.number)
        body = gettext(
            "Complaint %(number)s has been forwarded to %(agency)s. %(url)s",
            number=complaint.number, agency=agency_name, url=tracking_url(tenant, complaint.number),
        )
        _to_filer(tenant, complaint, subject, body)
        _to_followers(tenant, complaint, actor, subject, body)


def _to_followers(tenant, complaint, actor, subject: str, body: str) -> int:
    """E-mail the complaint's followers (not the one who made the change, nor the filer, who is told
    apart); nothing at all for a *rahasia* complaint."""
    if complaint.confidential:
        return 0
    from .follow import followers_of

    subject, body = hide_references(tenant, subject), hide_references(tenant, body)
    sent = 0
    for user in followers_of(tenant, complaint):
        if user.id == getattr(actor, "id", None) or user.id == complaint.filer_user_id:
            continue
        try:
            notify(tenant, "email", user.email, body, subject=subject, ref=_ref(complaint))
        except ValidationError:  # an account whose address is not deliverable: skip it
            continue
        sent += 1
    return sent


def info_added(tenant, complaint, officer) -> None:
    """Tell the assigned officer that the filer added information (who the filer is: never)."""
    with force_locale(tenant.default_locale):
        subject = gettext("Complaint %(number)s: new information from the filer", number=complaint.number)
        body = gettext(
            "The filer of complaint %(number)s added information. It is marked unread in your queue. %(url)s",
            number=complaint.number, url=tracking_url(tenant, complaint.number),
        )
        try:
            notify(tenant, "email", officer.email, body, subject=subject, ref=_ref(complaint))
        except ValidationError:
            log.warning("complaints: an officer's address is not valid; the filer's addition is only in the queue")


def numbers_for_contact(tenant, channel: str, to: str, numbers: list[str]) -> None:
    """Send a filer who lost them the tracking numbers filed with this phone or e-mail."""
    with force_locale(tenant.default_locale):
        subject = gettext("Your complaint numbers")
        body = gettext("Complaints filed with this contact: %(numbers)s. Follow one at %(url)s",
                       numbers=", ".join(numbers), url=tracking_url(tenant, numbers[0]))
        notify(tenant, channel, to, body, subject=subject if channel == "email" else "", ref="complaints:lookup")


def escalated(tenant, complaint, level: int, contacts: list[tuple[str, str]], agency_name: str, target: str) -> int:
    """Tell the head of the agency (level 1) or the coordinator (level 2); returns messages queued."""
    with force_locale(tenant.default_locale):
        what = {"response": gettext("response"), "followup": gettext("follow-up plan")}.get(target) or gettext("resolution")
        subject = gettext("Overdue complaint %(number)s", number=complaint.number)
        if level == 1:
            body = gettext(
                "Complaint %(number)s for %(agency)s is past its %(what)s target. Please see that it is handled.",
                number=complaint.number, agency=agency_name, what=what,
            )
        else:
            body = gettext(
                "Complaint %(number)s for %(agency)s is still past its %(what)s target after escalation "
                "to the head of the agency.",
                number=complaint.number, agency=agency_name, what=what,
            )
        sent = 0
        for channel, to in contacts:
            try:
                notify(tenant, channel, to, body, subject=subject if channel == "email" else "", ref=_ref(complaint))
            except ValidationError:  # a wrong address in the settings must not stop the escalation
                log.warning("complaints: tenant %s has an escalation %s contact that is not valid; skipped",
                            tenant.slug, channel)
                continue
            sent += 1
        return sent


def duplicate(tenant, complaint, original, follower_emails: list[str]) -> None:
    """Tell the filer of a complaint marked as a duplicate, and its followers (who now follow the
    original), where the problem is being handled. A reader who may not see the original (a
    *rahasia* one) is told it was merged with a confidential report, without its number or link."""
    with force_locale(tenant.default_locale):
        subject = gettext("Complaint %(number)s is a duplicate", number=complaint.number)
        named = gettext(
            "Complaint %(number)s reports the same problem as complaint %(original)s, which is being "
            "handled; complaint %(number)s is closed. Follow %(original)s at %(url)s",
            number=complaint.number, original=original.number, url=tracking_url(tenant, original.number),
        )
        merged = gettext(
            "Complaint %(number)s reports the same problem as a confidential report, which is being "
            "handled; complaint %(number)s is closed (merged with a confidential report). %(url)s",
            number=complaint.number, url=tracking_url(tenant, complaint.number),
        )
        _to_filer(tenant, complaint, subject, named if filer_may_see(complaint)(original) else merged)
        for email in follower_emails:
            notify(tenant, "email", email, named if is_public(original) else merged, subject=subject,
                   ref=_ref(original if is_public(original) else complaint))


def asked(tenant, complaint, question: str) -> None:
    """Ask the filer for more information; the complaint waits on their answer."""
    with force_locale(tenant.default_locale):
        subject = gettext("Complaint %(number)s: the officers need more information", number=complaint.number)
        body = gettext(
            "The officers handling complaint %(number)s ask: %(question)s Answer on the complaint's page; "
            "its deadlines wait until you do. %(url)s",
            number=complaint.number, question=question, url=tracking_url(tenant, complaint.number),
        )
        _to_filer(tenant, complaint, subject, body)
