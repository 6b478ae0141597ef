"""Following a complaint: anyone signed in may follow a public complaint and is e-mailed when it
changes (``notifications.py``). A *rahasia* complaint cannot be followed; when the coordinator
makes one *rahasia*, its followers are dropped (``privacy.py``).
"""
from __future__ import annotations

from datetime import datetime

from core.kit import NotFound, User, ValidationError, db, tenant_scope, utcnow

from .models import Complaint, ComplaintFollower


def is_following(tenant, user, complaint: Complaint) -> bool:
    if not isinstance(user, User):
        return False
    with tenant_scope(tenant):
        return db.session.execute(
            db.select(ComplaintFollower.id).where(ComplaintFollower.complaint_id == complaint.id,
                                                  ComplaintFollower.user_id == user.id)
        ).first() is not None


def follow(tenant, user, complaint: Complaint, now: datetime | None = None) -> bool:
    """Start following; False if ``user`` already follows it. A *rahasia* complaint is not found."""
    if not isinstance(user, User):
        raise ValidationError("sign in to follow a complaint", where="user", code="sign_in")
    if complaint.confidential:
        raise NotFound("no such complaint", where="number")
    if is_following(tenant, user, complaint):
        return False
    with tenant_scope(tenant):
        db.session.add(ComplaintFollower(complaint_id=complaint.id, user_id=user.id, created_at=now or utcnow()))
        db.session.flush()
    return True


def unfollow(tenant, user, complaint: Complaint) -> bool:
    if not isinstance(user, User):
        return False
    with tenant_scope(tenant):
        gone = db.session.execute(
            db.delete(ComplaintFollower).where(ComplaintFollower.complaint_id == complaint.id,
                                               ComplaintFollower.user_id == user.id)
        ).rowcount
    return bool(gone)


def followers_of(tenant, complaint: Complaint) -> list[User]:
    with tenant_scope(tenant):
        ids = db.session.execute(
            db.select(ComplaintFollower.user_id).where(ComplaintFollower.complaint_id == complaint.id)
            .order_by(ComplaintFollower.id)
        ).scalars().all()
    if not ids:
        return []
    return list(db.session.execute(db.select(User).where(User.id.in_(ids), User.active.is_(True))).scalars())


def followed_by(tenant, user: User) -> list[Complaint]:
    """The public complaints ``user`` follows, newest first."""
    with tenant_scope(tenant):
        return list(db.session.execute(
            db.select(Complaint).join(ComplaintFollower, ComplaintFollower.complaint_id == Complaint.id)
            .where(ComplaintFollower.user_id == user.id, Complaint.confidential.is_(False))
            .order_by(Complaint.id.desc())
        ).scalars())


def drop_all(tenant, complaint: Complaint) -> int:
    """Remove every follower (the complaint became *rahasia*); returns how many."""
    with tenant_scope(tenant):
        return db.session.execute(
            db.delete(ComplaintFollower).where(ComplaintFollower.complaint_id == complaint.id)
        ).rowcount or 0
