"""An agency's officers share out their queue (issue 20.2): a named assignee per complaint (the
officer themself or a colleague of the same agency), bulk assignment and bulk status changes, and
a photo of the fix when resolving.

Every complaint in a batch is its own audited step (the same entries as one by one), all in the
caller's transaction: the batch is checked whole before anything changes, and a complaint the
officer may not touch, or a step one of them cannot take, refuses the whole batch (the caller rolls
back; nothing is written).
"""
from __future__ import annotations

from datetime import datetime

from core.kit import NotFound, User, ValidationError, audit, db, for_change, has_permission, tenant_scope, utcnow

from . import photos as photo_store
from . import workflow
from .access import Forbidden, agencies_of, may_view, require_handler
from .filer_info import MAX_PHOTOS_IN_ALL
from .models import Complaint
from .services import store_photos
from .settings import settings_of

MAX_BATCH = 100
ASSIGNABLE = ("verified", "assigned", "in_progress")


def colleagues(tenant, agency_id: int) -> list[User]:
    """The active officers of one agency who may handle complaints: whom a complaint can go to."""
    from core.kit import members_of

    return [u for u in members_of(tenant, "officer", agency_id)
            if has_permission(u, tenant, "complaints.handle")]


def check_assignee(tenant, complaint: Complaint, assignee: User | None) -> User:
    """``assignee`` if they are an active officer of the complaint's agency; ValidationError
    (``invalid_assignee``) otherwise: nobody outside the agency is handed its work."""
    if not isinstance(assignee, User) or not assignee.active \
            or complaint.agency_id not in agencies_of(tenant, assignee) \
            or not has_permission(assignee, tenant, "complaints.handle"):
        raise ValidationError("is not an officer of this complaint's agency", where="assignee",
                              code="invalid_assignee")
    return assignee


def assign(tenant, actor, complaint: Complaint, assignee: User, now: datetime | None = None) -> Complaint:
    """Give ``complaint`` to ``assignee`` (an officer of its agency; the actor themself to take it).

    A verified complaint becomes "assigned" (``workflow.transition``: timeline, audit, filer told);
    one already assigned or in progress changes hands (audited ``complaints.assign``). Refused:
    not the actor's agency (Forbidden), not yet verified or finished (``not_assignable``), the same
    person again (``unchanged``), someone outside the agency (``invalid_assignee``).
    """
    now = now or utcnow()
    with tenant_scope(tenant):
        require_handler(tenant, actor, complaint)
        if complaint.status not in ASSIGNABLE:
            raise ValidationError("only a verified, assigned or in-progress complaint can be assigned",
                                  where="assignee", code="not_assignable")
        check_assignee(tenant, complaint, assignee)
        if complaint.status == "verified":
            return workflow.transition(tenant, actor, complaint, "assigned", assignee=assignee, now=now)
        if complaint.assignee_id == assignee.id:
            raise ValidationError("is already the assignee", where="assignee", code="unchanged")
        before = complaint.assignee_id
        complaint.assignee_id = assignee.id
        complaint.updated_at = now
        audit(tenant, actor, "complaints.assign", "complaint", complaint.number,
              before={"assignee_id": before}, after={"assignee_id": assignee.id})
        db.session.flush()
        return complaint


def load_batch(tenant, actor, numbers: list[str]) -> list[Complaint]:
    """The complaints of a batch, locked, in the order given; the whole batch is refused when one
    number is unknown (NotFound) or one complaint is not the actor's to handle (Forbidden). A
    *rahasia* complaint the actor may not see (``access.may_view``) counts as unknown: the refusal
    is the one a number that does not exist gets, so a batch never reveals that it exists."""
    wanted = list(dict.fromkeys((n or "").strip().upper() for n in numbers if (n or "").strip()))
    if not wanted:
        raise ValidationError("choose at least one complaint", where="numbers", code="empty_batch")
    if len(wanted) > MAX_BATCH:
        raise ValidationError(f"at most {MAX_BATCH} complaints at once", where="numbers", code="batch_too_large")
    with tenant_scope(tenant):
        rows = {c.number: c for c in db.session.execute(
            for_change(db.select(Complaint).where(Complaint.number.in_(wanted)), Complaint)
        ).scalars()}
    missing = [n for n in wanted if n not in rows or not may_view(tenant, actor, rows[n])]
    if missing:
        raise NotFound(f"no such complaint: {missing[0]}", where="numbers")
    for number in wanted:
        try:
            require_handler(tenant, actor, rows[number])
        except Forbidden:
            raise Forbidden(f"you do not handle complaint {number}", where="numbers") from None
    return [rows[n] for n in wanted]


def bulk_assign(tenant, actor, numbers: list[str], assignee: User, now: datetime | None = None) -> list[Complaint]:
    """``assign`` each complaint of the batch to ``assignee``; all or nothing (see the module)."""
    now = now or utcnow()
    batch = load_batch(tenant, actor, numbers)
    for complaint in batch:
        try:
            assign(tenant, actor, complaint, assignee, now=now)
        except ValidationError as exc:
            raise ValidationError(f"{complaint.number}: {exc.message}", where=exc.where, code=exc.code) from None
    return batch


def bulk_transition(tenant, actor, numbers: list[str], to_status: str, note: str = "",
                    now: datetime | None = None) -> list[Complaint]:
    """Move each complaint of the batch to ``to_status`` (``closed:<outcome>`` closes without a
    fix) with the same ``note``; all or nothing (see the module)."""
    now = now or utcnow()
    status, _sep, outcome = (to_status or "").partition(":")
    batch = load_batch(tenant, actor, numbers)
    for complaint in batch:
        try:
            workflow.transition(tenant, actor, complaint, status, note=note, now=now, outcome=outcome)
        except ValidationError as exc:
            raise ValidationError(f"{complaint.number}: {exc.message}", where=exc.where, code=exc.code) from None
    return batch


def add_fix_photos(tenant, actor, complaint: Complaint, uploads: list[bytes]) -> int:
    """Photos of the fix, taken by the officer who resolves: checked against the tenant's limits
    (``max_photos``, ``max_photo_kb``) like a filer's, kept through storage; returns how many."""
    uploads = [u for u in uploads if u]
    if not uploads:
        return 0
    settings = settings_of(tenant)
    with tenant_scope(tenant):
        require_handler(tenant, actor, complaint)
        if len(complaint.photos) + len(uploads) > MAX_PHOTOS_IN_ALL:
            raise ValidationError(f"a complaint may have at most {MAX_PHOTOS_IN_ALL} photos", where="photos",
                                  code="too_many_photos")
        clean = photo_store.check_photos(uploads, settings["max_photos"], settings["max_photo_kb"] * 1024)
        store_photos(tenant, complaint, clean)
        audit(tenant, actor, "complaints.fix_photos", "complaint", complaint.number, after={"photos": len(clean)})
    return len(clean)
