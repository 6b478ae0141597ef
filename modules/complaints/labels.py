"""The words shown for statuses and channels, in the module's own gettext domain ("complaints").

Code that runs outside a request (jobs, SMS replies) translates with ``DOMAIN`` explicitly; pages
get the same domain from the core's guard.
"""
from pathlib import Path

from core.kit import module_domain

DOMAIN = module_domain("complaints", Path(__file__).resolve().parent / "translations")
gettext = DOMAIN.gettext
lazy_gettext = DOMAIN.lazy_gettext


# lazy: one translation per call, not seven (Open311 lists call this for every row)
_STATUS = {
    "submitted": lazy_gettext("Submitted"),
    "verified": lazy_gettext("Verified"),
    "assigned": lazy_gettext("Assigned"),
    "in_progress": lazy_gettext("In progress"),
    "resolved": lazy_gettext("Resolved"),
    "closed": lazy_gettext("Closed"),
    "rejected": lazy_gettext("Rejected"),
}


def status_label(status: str) -> str:
    label = _STATUS.get(status)
    return str(label) if label is not None else status


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
        "info": gettext("The filer added information"),
        "confirmed": gettext("The filer confirmed it is fixed"),
        "withdrawn": gettext("Withdrawn by the filer"),
        "duplicate": gettext("Marked as a duplicate of another complaint"),
        "update": gettext("Update received through an Open311 client"),
        "asked": gettext("The officers asked the filer for more information"),
    }.get(kind, kind)


def outcome_label(outcome: str) -> str:
    """How a finished complaint ended: fixed, or closed without a fix and why."""
    return {
        "fixed": gettext("Fixed"),
        "not_responsible": gettext("Not the agency's responsibility (sent on)"),
        "duplicate": gettext("Duplicate of another complaint"),
        "unable": gettext("Could not be fixed"),
        "withdrawn": gettext("Withdrawn by the filer"),
        "rejected": gettext("Rejected"),
    }.get(outcome, outcome)


def action_label(status: str) -> str:
    """The button that moves a complaint to ``status`` (``closed:<outcome>``: closes it without a fix)."""
    if status.startswith("closed:"):
        return gettext("Close without a fix: %(outcome)s", outcome=outcome_label(status[7:]))
    return {
        "verified": gettext("Verify"),
        "assigned": gettext("Assign"),
        "in_progress": gettext("Start work"),
        "resolved": gettext("Mark resolved"),
        "closed": gettext("Close"),
        "rejected": gettext("Reject"),
    }.get(status, status)
