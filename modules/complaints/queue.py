"""Listing complaints: an agency's work queue, the coordinator's and auditor's views, the API list."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.kit import ValidationError, db, tenant_scope

from .disclosure import PUBLIC
from .lookup import search_condition
from .models import OPEN_STATUSES, STATUSES, Complaint

MAX_PER_PAGE = 200


@dataclass
class Page:
    items: list
    page: int
    per_page: int
    has_next: bool


def search(tenant, *, agency_ids: set[int] | None = None, status: str = "open", category: str = "",
           overdue_at: datetime | None = None, page: int = 1, per_page: int = 50, q: str = "",
           coordinator: bool = False, unread_only: bool = False, public_only: bool = False) -> Page:
    """Complaints of ``tenant`` (of some agencies, if given), oldest due first.

    ``status`` is one status, "open" (every open status) or "all"; ``overdue_at`` keeps only
    what is past a target at that time; ``q`` is a tracking number (or part) or the filer's phone
    or e-mail (``lookup.search_condition``; *anonim* filers only for a ``coordinator``);
    ``unread_only`` keeps what the filer added to since an officer last read it; ``public_only``
    leaves out *rahasia* complaints (for the JSON API).
    """
    if status not in STATUSES + ("open", "all"):
        raise ValidationError(f"unknown status '{status}'", where="status", code="invalid_status")
    if page < 1:
        raise ValidationError("must be 1 or more", where="page", code="invalid_page")
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise ValidationError(f"must be between 1 and {MAX_PER_PAGE}", where="per_page", code="invalid_page_size")
    query = db.select(Complaint)
    if agency_ids is not None:
        query = query.where(Complaint.agency_id.in_(sorted(agency_ids)))
    if status == "open":
        query = query.where(Complaint.status.in_(OPEN_STATUSES))
    elif status != "all":
        query = query.where(Complaint.status == status)
    if category:
        query = query.where(Complaint.category_code == category)
    found = search_condition(q, coordinator)
    if found is not None:
        query = query.where(found)
    if unread_only:
        query = query.where(Complaint.unread_updates > 0)
    if public_only:
        query = query.where(PUBLIC)
    if overdue_at is not None:
        query = query.where(
            Complaint.status.in_(OPEN_STATUSES),
            db.or_(
                db.and_(Complaint.status == "submitted", Complaint.response_due_at < overdue_at),
                Complaint.resolution_due_at < overdue_at,
            ),
        )
    order = (Complaint.resolution_due_at, Complaint.id) if status == "open" else (Complaint.id.desc(),)
    with tenant_scope(tenant):
        rows = list(db.session.execute(
            query.order_by(*order).offset((page - 1) * per_page).limit(per_page + 1)
        ).scalars())
    return Page(rows[:per_page], page, per_page, len(rows) > per_page)
