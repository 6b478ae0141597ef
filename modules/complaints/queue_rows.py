"""The officer queue's rows as plain tuples with their text made in Python (issue 11.4, 20.2).

A page of 50 complaints read as ORM objects and written by Jinja with a dozen calls per row (dates,
labels, links, the overdue test) cost about half of the queue's time. The list reads only the
columns it shows (``COLUMNS``: the description cut to a summary and the visible photos counted by
the database, in the page's one statement) and ``build``
turns each row into a ``QueueRow`` whose every field is ready to print: the template only escapes.
"""
from __future__ import annotations

from typing import NamedTuple
from urllib.parse import quote

from core.kit import datetime_formatter, db

from .labels import gettext as _, outcome_label, status_label
from .models import OPEN_STATUSES, Complaint, ComplaintPhoto, overdue_target

NUMBER = "__number__"  # stands for the tracking number in ``build``'s ``track_url``
SUMMARY_LENGTH = 90
# a little more than the summary shows: the cut falls between words, as Jinja's ``truncate`` did
_READ = SUMMARY_LENGTH + 30

# the row's photos an officer sees (not hidden by a redaction), counted beside the row: one statement
# for the page, as ``queue.photo_counts`` counts them for the API
PHOTOS = (
    db.select(db.func.count())
    .where(ComplaintPhoto.tenant_id == Complaint.tenant_id, ComplaintPhoto.complaint_id == Complaint.id,
           ComplaintPhoto.hidden.is_(False))
    .correlate(Complaint)
    .scalar_subquery()
    .label("photos")
)

COLUMNS = (
    Complaint.id, Complaint.number, Complaint.category_code, Complaint.agency_id, Complaint.status,
    Complaint.outcome, Complaint.assignee_id, Complaint.escalation_level, Complaint.unread_updates,
    Complaint.confidential, Complaint.anonymous, Complaint.created_at, Complaint.response_due_at,
    Complaint.followup_due_at, Complaint.resolution_due_at, Complaint.paused_at,
    db.func.substr(Complaint.description, 1, _READ).label("description"), PHOTOS,
)


class QueueRow(NamedTuple):
    """One complaint of the queue, every field text to print (``late``: a target has passed)."""

    number: str
    href: str
    late: bool
    unread: str
    confidential: bool
    anonymous: bool
    photos: int
    summary: str
    category: str
    agency: str
    status: str
    status_text: str
    assignee: str
    outcome: str
    escalation: int
    filed: str
    due: str


def summary(text: str, length: int = SUMMARY_LENGTH) -> str:
    """``text`` cut to about ``length`` characters between words, "..." where cut (Jinja's
    ``truncate``: up to 5 characters over are kept whole)."""
    text = text or ""
    if len(text) <= length + 5:
        return text
    return text[: length - 3].rsplit(" ", 1)[0] + "..."


def build(rows, *, now, track_url: str, cat_names: dict, unit_names: dict, assignees: dict) -> list[QueueRow]:
    """``rows`` (of ``COLUMNS``) as ``QueueRow``; ``track_url`` is a complaint page's URL with
    ``NUMBER`` in place of the number (one ``url_for`` per page, not per row)."""
    when = datetime_formatter("short")
    statuses = {s: status_label(s) for s in {r.status for r in rows}}
    out = []
    for r in rows:
        open_now = r.status in OPEN_STATUSES
        due_at = (r.response_due_at if r.status == "submitted" else r.resolution_due_at) if open_now else None
        out.append(QueueRow(
            number=r.number, href=track_url.replace(NUMBER, quote(r.number, safe="")), late=bool(overdue_target(r, now)),
            unread=_("%(n)s new", n=r.unread_updates) if r.unread_updates else "",
            confidential=bool(r.confidential), anonymous=bool(r.anonymous), photos=r.photos or 0,
            summary=summary(r.description), category=cat_names.get(r.category_code, r.category_code),
            agency=unit_names.get(r.agency_id, ""), status=r.status, status_text=statuses[r.status],
            assignee=assignees.get(r.assignee_id, "") if r.assignee_id and r.status in ("assigned", "in_progress") else "",
            outcome=outcome_label(r.outcome) if r.status == "closed" and r.outcome else "",
            escalation=r.escalation_level or 0, filed=when(r.created_at), due=when(due_at) if due_at else "",
        ))
    return out
