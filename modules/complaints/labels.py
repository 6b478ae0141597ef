"""The words shown for statuses and channels, in the module's own gettext domain ("complaints").

Code that runs outside a request (jobs, SMS replies) translates with ``DOMAIN`` explicitly; pages
get the same domain from the core's guard.
"""
from pathlib import Path

from core.kit import module_domain

DOMAIN = module_domain("complaints", Path(__file__).resolve().parent / "translations")
gettext = DOMAIN.gettext
lazy_gettext = DOMAIN.lazy_gettext


def status_label(status: str) -> str:
    return {
        "submitted": gettext("Submitted"),
        "verified": gettext("Verified"),
        "assigned": gettext("Assigned"),
        "in_progress": gettext("In progress"),
        "resolved": gettext("Resolved"),
        "closed": gettext("Closed"),
        "rejected": gettext("Rejected"),
    }.get(status, status)


def channel_label(channel: str) -> str:
    return {
        "portal": gettext("Web portal"),
        "sms": gettext("SMS"),
        "social": gettext("Social media / chat"),
        "hotline": gettext("Hotline call"),
        "open311": gettext("Open311 client"),
        "api": gettext("API"),
    }.get(channel, channel)


def event_label(kind: str) -> str:
    return {
        "filed": gettext("Complaint received"),
        "status": gettext("Status changed"),
        "rerouted": gettext("Forwarded to another agency"),
        "reopened": gettext("Reopened by the citizen"),
        "escalated": gettext("Escalated: past its target time"),
    }.get(kind, kind)


def action_label(status: str) -> str:
    """The button that moves a complaint to ``status``."""
    return {
        "verified": gettext("Verify"),
        "assigned": gettext("Assign"),
        "in_progress": gettext("Start work"),
        "resolved": gettext("Mark resolved"),
        "closed": gettext("Close"),
        "rejected": gettext("Reject"),
    }.get(status, status)
