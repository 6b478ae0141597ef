"""The messages this module sends, through the core's outbox (``notify``), in the tenant's language.

Each is added to the caller's transaction: it is delivered only if the change commits.
"""
from __future__ import annotations

from flask_babel import force_locale

import logging

from core.kit import ValidationError, notify

from .labels import gettext, status_label

log = logging.getLogger("pamong.complaints")


def tracking_path(tenant, number: str) -> str:
    return f"/complaints/track/{number}"


def tracking_url(tenant, number: str) -> str:
    """A link the citizen can open: the tenant's own domain, else the path-prefixed address."""
    domains = sorted(d.host for d in (tenant.domains or []))
    if domains:
        return f"https://{domains[0]}{tracking_path(tenant, number)}"
    return f"/t/{tenant.slug}{tracking_path(tenant, number)}"


def _ref(complaint) -> str:
    return f"complaints:{complaint.number}"


def _to_filer(tenant, complaint, subject: str, body: str) -> None:
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


def status_changed(tenant, complaint, note: str = "") -> None:
    with force_locale(tenant.default_locale):
        status = status_label(complaint.status)
        subject = gettext("Complaint %(number)s: %(status)s", number=complaint.number, status=status)
        body = gettext("Complaint %(number)s is now: %(status)s.", number=complaint.number, status=status)
        if note:
            body += " " + note
        body += " " + tracking_url(tenant, complaint.number)
        _to_filer(tenant, complaint, subject, body)


def rerouted(tenant, complaint, agency_name: str) -> None:
    with force_locale(tenant.default_locale):
        subject = gettext("Complaint %(number)s forwarded", number=complaint.number)
        body = gettext(
            "Complaint %(number)s has been forwarded to %(agency)s. %(url)s",
            number=complaint.number, agency=agency_name, url=tracking_url(tenant, complaint.number),
        )
        _to_filer(tenant, complaint, subject, body)


def escalated(tenant, complaint, level: int, contacts: list[tuple[str, str]], agency_name: str, target: str) -> int:
    """Tell the head of the agency (level 1) or the coordinator (level 2); returns messages queued."""
    with force_locale(tenant.default_locale):
        what = gettext("response") if target == "response" else gettext("resolution")
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
