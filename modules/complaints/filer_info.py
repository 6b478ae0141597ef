"""The filer talks back: while a complaint is open they may add information or photos. It goes on
the timeline (its text for the filer and the handlers only; the public sees that something was
added), is marked unread in the officer's queue, and the assigned officer is e-mailed. If the clock
was paused waiting on the citizen, it runs again.
"""
from __future__ import annotations

from datetime import datetime

from core.kit import User, ValidationError, audit, db, tenant_scope, utcnow

from . import deadlines, notifications
from . import photos as photo_store
from .access import agencies_of, require_filer
from .models import Complaint
from .services import TAG, add_event, clean_text, store_photos
from .settings import settings_of

MAX_TEXT = 1000
MAX_PHOTOS_IN_ALL = 20


def add_info(tenant, actor, complaint: Complaint, text: str = "", photos: list | None = None,
             access_key: str = "", proven: bool = False, now: datetime | None = None) -> Complaint:
    """Add the filer's ``text`` and/or ``photos`` (raw bytes) to an open complaint. Everything is
    checked before anything is written; a bad photo refuses the whole addition."""
    now = now or utcnow()
    with tenant_scope(tenant):
        require_filer(actor, complaint, access_key, proven)
        if not complaint.is_open:
            raise ValidationError("information can be added only while the complaint is open", where="status",
                                  code="not_open")
        text = clean_text(text, "text", MAX_TEXT)
        if TAG.search(text):
            raise ValidationError("may not contain HTML", where="text", code="html_not_allowed")
        uploads = list(photos or [])
        if not text and not uploads:
            raise ValidationError("write something or add a photo", where="text", code="required")
        settings = settings_of(tenant)
        if len(complaint.photos) + len(uploads) > MAX_PHOTOS_IN_ALL:
            raise ValidationError(f"a complaint may have at most {MAX_PHOTOS_IN_ALL} photos", where="photos",
                                  code="too_many_photos")
        clean = photo_store.check_photos(uploads, settings["max_photos"], settings["max_photo_kb"] * 1024)
        complaint.unread_updates = (complaint.unread_updates or 0) + 1
        complaint.updated_at = now
        add_event(complaint, "info", actor, "citizen", now, note=text)
        store_photos(tenant, complaint, clean, by_filer=True)
        resumed = deadlines.resume(tenant, actor, complaint, now) if complaint.paused_at is not None else {}
        audit(tenant, actor if isinstance(actor, User) else "citizen:filer", "complaints.info", "complaint",
              complaint.number, after={"chars": len(text), "photos": len(clean), "clock_resumed": bool(resumed)})
        db.session.flush()
        if complaint.assignee_id is not None:
            officer = db.session.get(User, complaint.assignee_id)
            if officer is not None and officer.active:
                notifications.info_added(tenant, complaint, officer)
        return complaint


def mark_read(tenant, actor, complaint: Complaint) -> bool:
    """The officer who works it has seen the filer's additions: the assignee, or while nobody is
    assigned any officer of the agency (not a coordinator or an auditor who only looks)."""
    if not complaint.unread_updates or not isinstance(actor, User):
        return False
    if complaint.assignee_id is not None:
        reader = actor.id == complaint.assignee_id
    else:
        reader = complaint.agency_id in agencies_of(tenant, actor)
    if not reader:
        return False
    with tenant_scope(tenant):
        complaint.unread_updates = 0
        db.session.flush()
    return True
