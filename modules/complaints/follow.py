"""Following a complaint: anyone signed in may follow a public complaint and is e-mailed when it
changes (``notifications.py``). A *rahasia* complaint cannot be followed; when the coordinator
makes one *rahasia*, its followers are dropped (``privacy.py``). A finished complaint (closed or
rejected: ``ENDED``) is not offered for following and a request to follow it is refused (issue 20
trial); its followers keep following it (they hear of a reopening) and may stop.

Without an account (issue 20.3): a visitor gives a phone number or e-mail address, is sent a
single-use code of ``CODE_DIGITS`` digits through the outbox, valid ``CODE_MINUTES`` minutes and
for ``MAX_TRIES`` wrong tries, bound to that complaint and that contact (its keyed hash includes
both); typing it back confirms the contact (``ComplaintContactFollower``). A new request for the
same complaint and contact replaces its code; a used code is gone; a request for another complaint
or contact is another row with its own code, each valid until used or expired. Every message such a follower receives carries a signed, one-click
link to stop (``unfollow_url``), which works without signing in. The pages' rate limit is the
module's intake limiter (``limits.py``) plus a tighter one on sending codes (``views.follow``).
"""
from __future__ import annotations

import hmac
import secrets
from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from core.kit import (
    NotFound, User, ValidationError, audit, db, keyed_hash, normalise_email, normalise_phone, notify, tenant_scope,
    tenant_url, utcnow,
)

from .labels import gettext
from .models import Complaint, ComplaintContactFollower, ComplaintFollower, aware

CODE_DIGITS = 6
CODE_MINUTES = 30
MAX_TRIES = 5
_SALT = "pamong.complaints.unfollow"
ENDED = ("closed", "rejected")  # nothing more to hear of, short of a reopening: not offered for following


def followable(complaint: Complaint) -> bool:
    """May a new follower start following ``complaint``: public and not finished."""
    return not complaint.confidential and complaint.status not in ENDED


def _refuse_ended(complaint: Complaint, where: str) -> None:
    if complaint.status in ENDED:
        raise ValidationError("a finished complaint cannot be followed", where=where, code="complaint_ended")


def is_following(tenant, user, complaint: Complaint) -> bool:
    if not isinstance(user, User):
        return False
    with tenant_scope(tenant):
        return db.session.execute(
            db.select(ComplaintFollower.id).where(ComplaintFollower.complaint_id == complaint.id,
                                                  ComplaintFollower.user_id == user.id)
        ).first() is not None


def follow(tenant, user, complaint: Complaint, now: datetime | None = None) -> bool:
    """Start following; False if ``user`` already follows it. A *rahasia* complaint is not found; a
    finished one (``ENDED``) is a ValidationError "complaint_ended"."""
    if not isinstance(user, User):
        raise ValidationError("sign in to follow a complaint", where="user", code="sign_in")
    if complaint.confidential:
        raise NotFound("no such complaint", where="number")
    if is_following(tenant, user, complaint):
        return False
    _refuse_ended(complaint, "number")
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
    """Remove every follower, with or without an account, confirmed or pending (the complaint
    became *rahasia*); returns how many."""
    with tenant_scope(tenant):
        users = db.session.execute(
            db.delete(ComplaintFollower).where(ComplaintFollower.complaint_id == complaint.id)
        ).rowcount or 0
        contacts = db.session.execute(
            db.delete(ComplaintContactFollower).where(ComplaintContactFollower.complaint_id == complaint.id)
        ).rowcount or 0
        return users + contacts


# -- following without an account -------------------------------------------------------------------

def parse_contact(contact: str) -> tuple[str, str]:
    """("sms", "+62...") or ("email", "a@b.c") from what someone typed; ValidationError
    (code "invalid_follow_contact", where "contact") otherwise."""
    text = (contact or "").strip()
    try:
        if "@" in text:
            return "email", normalise_email(text, where="contact")
        return "sms", normalise_phone(text, where="contact")
    except ValidationError:
        raise ValidationError("give a mobile phone number or an e-mail address", where="contact",
                              code="invalid_follow_contact") from None


def _code_hash(complaint: Complaint, contact_hash: str, code: str) -> str:
    return keyed_hash(f"complaints.follow:{complaint.number}:{contact_hash}:{code}")


def request_follow(tenant, complaint: Complaint, contact: str, locale: str = "",
                   now: datetime | None = None) -> ComplaintContactFollower:
    """Send a single-use code to ``contact`` (a phone or e-mail) to follow ``complaint`` without an
    account; returns the follower row, pending until the code is typed back. A contact that already
    follows gets a code too and stays a follower meanwhile: the answer and the next page are the same
    whether or not it follows, so nobody learns from them what another's phone or e-mail follows
    (trial of issue 20). A *rahasia* complaint is not found; a finished one (``ENDED``) is a
    ValidationError "complaint_ended", as is a contact that is neither phone nor e-mail."""
    now = now or utcnow()
    if complaint.confidential:
        raise NotFound("no such complaint", where="number")
    _refuse_ended(complaint, "contact")
    channel, address = parse_contact(contact)
    contact_hash = keyed_hash(address)
    with tenant_scope(tenant):
        row = db.session.execute(db.select(ComplaintContactFollower).where(
            ComplaintContactFollower.complaint_id == complaint.id,
            ComplaintContactFollower.contact_hash == contact_hash)).scalar_one_or_none()
        if row is None:
            row = ComplaintContactFollower(complaint_id=complaint.id, channel=channel, contact=address,
                                           contact_hash=contact_hash, created_at=now)
            db.session.add(row)
        code = f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
        row.code_hash = _code_hash(complaint, contact_hash, code)
        row.code_expires_at = now + timedelta(minutes=CODE_MINUTES)
        row.tries = 0
        row.locale = (locale or "")[:8]
        db.session.flush()
        from flask_babel import force_locale

        from .notifications import language

        with force_locale(language(tenant, locale)):
            body = gettext("Your code to follow complaint %(number)s: %(code)s. It is valid for %(minutes)s "
                           "minutes. If you did not ask for it, ignore this message.",
                           number=complaint.number, code=code, minutes=CODE_MINUTES)
            subject = gettext("Follow complaint %(number)s", number=complaint.number)
        notify(tenant, channel, address, body, subject=subject if channel == "email" else "", ref="complaints:follow")
        return row


def _live(row: ComplaintContactFollower, now: datetime) -> bool:
    """A pending request whose code may still be typed: in time and not tried too often."""
    return row.code_expires_at is not None and aware(row.code_expires_at) >= now and row.tries < MAX_TRIES


def confirm_follow(tenant, complaint: Complaint, row_ids, code: str,
                   now: datetime | None = None) -> ComplaintContactFollower:
    """Check ``code`` against the pending requests ``row_ids`` of ``complaint`` (one id, or the
    ids of the requests this browser made for it: another contact each); the one it is for is
    confirmed: that row follows from now on, its code spent, the others stay pending. Raises
    ValidationError (where "code"): "invalid_code" (wrong, or no request of this complaint),
    "code_used" (spent or none pending), "code_expired" (past its time, or too many wrong tries:
    ask again). A wrong try is counted in each request still open, so the caller commits after a
    refusal too. A complaint merged into a public one as a duplicate since the code was asked: the
    contact follows the original (the row returned is the original's)."""
    now = now or utcnow()
    code = "".join(ch for ch in (code or "") if not ch.isspace())
    ids = [row_ids] if isinstance(row_ids, int) else [i for i in (row_ids or ()) if isinstance(i, int)]
    with tenant_scope(tenant):
        rows = [r for r in (db.session.get(ComplaintContactFollower, i) for i in dict.fromkeys(ids))
                if r is not None and r.tenant_id == tenant.id and r.complaint_id == complaint.id]
        if not rows:
            raise ValidationError("this code is not for this complaint", where="code", code="invalid_code")
        pending = [r for r in rows if r.code_hash]  # a follower asking again holds a code too
        if not pending:
            raise ValidationError("this code has already been used", where="code", code="code_used")
        typed = len(code) == CODE_DIGITS and code.isdigit()
        row = next((r for r in pending if typed and hmac.compare_digest(
            r.code_hash, _code_hash(complaint, r.contact_hash, code))), None)
        live = [r for r in pending if _live(r, now)]
        if (row is not None and not _live(row, now)) or not live:
            raise ValidationError("this code has expired: ask for a new one", where="code", code="code_expired")
        if row is None:
            for r in live:
                r.tries += 1
            db.session.flush()
            raise ValidationError("this code is not right", where="code", code="invalid_code")
        again = row.confirmed_at is not None  # it followed already: it keeps its first confirmation
        row.code_hash, row.code_expires_at, row.confirmed_at, row.tries = "", None, row.confirmed_at or now, 0
        after = {"channel": row.channel, "follower": row.id}
        if again:
            after["again"] = True
        if complaint.duplicate_of_id is not None:  # merged since the code was asked: follow the original
            from .duplicates import move_contact_followers

            original = db.session.get(Complaint, complaint.duplicate_of_id)
            while original is not None and original.duplicate_of_id is not None:  # merged on since
                original = db.session.get(Complaint, original.duplicate_of_id)
            for moved in move_contact_followers(tenant, complaint, original) if original is not None else ():
                if moved.contact_hash == row.contact_hash:
                    row, after["moved_to"] = moved, original.number
        audit(tenant, "citizen:follower", "complaints.follow_contact", "complaint", complaint.number, after=after)
        db.session.flush()
        return row


def still_pending(tenant, row_ids, now: datetime | None = None) -> set[int]:
    """Which of ``row_ids`` are requests of ``tenant`` whose code may still be typed (not used,
    not expired, not tried too often): what a browser keeps of its pending requests."""
    ids = [i for i in row_ids if isinstance(i, int)]
    if not ids:
        return set()
    now = now or utcnow()
    with tenant_scope(tenant):
        rows = db.session.execute(db.select(ComplaintContactFollower).where(
            ComplaintContactFollower.id.in_(ids), ComplaintContactFollower.code_hash != "")).scalars()
        return {r.id for r in rows if r.tenant_id == tenant.id and _live(r, now)}


def contact_followers_of(tenant, complaint: Complaint) -> list[ComplaintContactFollower]:
    """The confirmed followers without an account, in the order they confirmed."""
    with tenant_scope(tenant):
        return list(db.session.execute(
            db.select(ComplaintContactFollower).where(ComplaintContactFollower.complaint_id == complaint.id,
                                                      ComplaintContactFollower.confirmed_at.is_not(None))
            .order_by(ComplaintContactFollower.id)
        ).scalars())


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt=_SALT)


def unfollow_token(tenant, row: ComplaintContactFollower) -> str:
    """A signed token naming the tenant, the follower row and its contact (hash prefix)."""
    return _signer().dumps([tenant.id, row.id, row.contact_hash[:12]])


def unfollow_url(tenant, row: ComplaintContactFollower) -> str:
    return tenant_url(tenant, f"/complaints/unfollow/{unfollow_token(tenant, row)}")


def check_unfollow_token(tenant, token: str) -> tuple[int, str]:
    """(row id, contact hash prefix) of a token signed for ``tenant``; ValidationError
    (code "invalid_link") for anything else."""
    try:
        tenant_id, row_id, prefix = _signer().loads(token or "")
    except (BadSignature, ValueError, TypeError):
        raise ValidationError("this link is not valid", where="token", code="invalid_link") from None
    if tenant_id != tenant.id or not isinstance(row_id, int) or not isinstance(prefix, str):
        raise ValidationError("this link is not valid", where="token", code="invalid_link")
    return row_id, prefix


def unfollow_by_token(tenant, token: str) -> str | None:
    """Stop the follower the token names; returns the complaint's number, None when it no longer
    follows (the link used before: nothing to do). ValidationError for a link not signed for us."""
    row_id, prefix = check_unfollow_token(tenant, token)
    with tenant_scope(tenant):
        row = db.session.get(ComplaintContactFollower, row_id)
        if row is None or row.tenant_id != tenant.id or row.contact_hash[:12] != prefix:
            return None
        number = db.session.execute(db.select(Complaint.number).where(Complaint.id == row.complaint_id)).scalar()
        db.session.delete(row)
        audit(tenant, "citizen:follower", "complaints.unfollow_contact", "complaint", number,
              before={"channel": row.channel, "follower": row.id})
        db.session.flush()
        return number
