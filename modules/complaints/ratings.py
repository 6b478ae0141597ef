"""The filer's rating of how their complaint was handled (issue 20.3).

SP4N-LAPOR! asks the reporter, once the follow-up is finished, to rate it; here: a score from 1
(very poor) to 5 (very good) with an optional comment, given once, by the filer only (signed in
as the filer, or the session that filed it or proved it with the access code, phone or e-mail),
and only after the complaint closed (status "closed" or "rejected"). It is audited, and counted on
the transparency page (``summary``).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from core.kit import ValidationError, audit, db, tenant_scope, utcnow

from . import summary as summary_counters
from .models import Complaint, ComplaintRating
from .services import clean_text, require_filer

SCORES = (1, 2, 3, 4, 5)
RATEABLE = ("closed", "rejected")
MAX_COMMENT = 1000


def rating_of(tenant, complaint: Complaint) -> ComplaintRating | None:
    with tenant_scope(tenant):
        return db.session.execute(
            db.select(ComplaintRating).where(ComplaintRating.complaint_id == complaint.id)
        ).scalar_one_or_none()


def may_rate(tenant, complaint: Complaint) -> bool:
    """Closed and not yet rated (who: see ``rate``)."""
    return complaint.status in RATEABLE and rating_of(tenant, complaint) is None


def rate(tenant, actor, complaint: Complaint, score, comment: str = "", access_key: str = "",
         proven: bool = False, now: datetime | None = None) -> ComplaintRating:
    """The filer rates the handling of ``complaint``: ``score`` an integer 1..5, ``comment`` plain
    text up to 1,000 characters. Raises ``services.Forbidden`` for anyone but the filer, and
    ValidationError: "invalid_score" (where "score"), "not_closed" (where "status"), "already_rated"
    (where "score"). Written (rating and audit entry) in the caller's transaction."""
    now = now or utcnow()
    with tenant_scope(tenant):
        require_filer(actor, complaint, access_key, proven)
        try:
            value = int(score) if not isinstance(score, bool) else None
        except (TypeError, ValueError):
            value = None
        if value not in SCORES or (isinstance(score, float) and score != value):
            raise ValidationError("give a score from 1 to 5", where="score", code="invalid_score")
        if complaint.status not in RATEABLE:
            raise ValidationError("a complaint is rated only once it is closed", where="status", code="not_closed")
        if rating_of(tenant, complaint) is not None:
            raise ValidationError("this complaint has already been rated", where="score", code="already_rated")
        comment = clean_text(comment, "comment", MAX_COMMENT)
        row = ComplaintRating(complaint_id=complaint.id, score=value, comment=comment, created_at=now)
        db.session.add(row)
        db.session.flush()  # the unique key refuses a second rating that raced this one
        summary_counters.apply(db.session.connection(), Counter({(tenant.id, "rating", str(value)): 1}))
        own = getattr(actor, "id", None) is not None and complaint.filer_user_id == actor.id
        audit(tenant, actor if own else "citizen:filer", "complaints.rate", "complaint", complaint.number,
              after={"score": value, "comment": bool(comment)})
        return row


@dataclass(frozen=True)
class Summary:
    """How filers rated the handling: how many ratings, their average (None without any; one
    decimal), and how many gave each score (1..5)."""

    count: int
    average: float | None
    by_score: dict


def summary(tenant) -> Summary:
    """The tenant's ratings, for the transparency page and report. Ratings of *rahasia*
    complaints are counted too: a count and an average disclose no complaint. Read from the
    public figures' counters (``summary.py``, dimension ``rating``, moved by ``rate``): one
    statement of at most five rows however many complaints were rated (issue 11.1)."""
    by_score = {s: 0 for s in SCORES}
    for (_dimension, key), n in summary_counters.counters(tenant, ("rating",)).items():
        if key.isdigit() and int(key) in by_score:
            by_score[int(key)] = int(n)
    count = sum(by_score.values())
    average = round(sum(s * n for s, n in by_score.items()) / count, 1) if count else None
    return Summary(count=count, average=average, by_score=by_score)
