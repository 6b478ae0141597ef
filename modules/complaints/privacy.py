"""Confidential and anonymous complaints, as SP4N-LAPOR! defines them.

The filer chooses when filing (``Filing.anonymous`` / ``Filing.confidential``); the coordinator
(``complaints.coordinate``) may set either at verification, for instance when the text shows the
filer would be at risk. The coordinator only ever raises protection: a choice the filer made (or a
protection once given) is never taken back, because what was promised confidential may already
have been told to someone on that promise.

- *anonim*: public, but the filer's identity is hidden from the agency's officers too; only the
  coordinator (and the filer) see it (``access.may_see_identity``).
- *rahasia*: hidden from every public output (``disclosure.py``); its followers are dropped.
"""
from __future__ import annotations

from datetime import datetime

from core.kit import audit, db, tenant_scope, utcnow

from . import follow
from .access import Forbidden, may_coordinate
from .models import Complaint


def set_privacy(tenant, actor, complaint: Complaint, anonymous: bool = False, confidential: bool = False,
                now: datetime | None = None) -> bool:
    """Raise the complaint's protection (a False leaves a flag as it is); returns True if anything
    changed. Coordinators only, at verification or at any time after."""
    now = now or utcnow()
    if not may_coordinate(tenant, actor):
        raise Forbidden("only the complaint coordinator may change confidentiality", where="privacy")
    new_anonymous = bool(complaint.anonymous or anonymous)
    new_confidential = bool(complaint.confidential or confidential)
    if (new_anonymous, new_confidential) == (bool(complaint.anonymous), bool(complaint.confidential)):
        return False
    with tenant_scope(tenant):
        before = {"anonymous": bool(complaint.anonymous), "confidential": bool(complaint.confidential)}
        complaint.anonymous, complaint.confidential = new_anonymous, new_confidential
        complaint.updated_at = now
        dropped = follow.drop_all(tenant, complaint) if new_confidential else 0
        audit(tenant, actor, "complaints.privacy", "complaint", complaint.number, before=before,
              after={"anonymous": new_anonymous, "confidential": new_confidential, "followers_dropped": dropped})
        db.session.flush()
    return True
