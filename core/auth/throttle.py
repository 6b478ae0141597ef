"""Password guessing limited per account, not only per client address (issue 10.10).

After ``PAMONG_LOGIN_ACCOUNT_FAILURES`` wrong passwords for one account (failures count until
``PAMONG_LOGIN_ACCOUNT_WINDOW`` seconds pass without one), every further wrong password makes the
account wait ``PAMONG_LOGIN_ACCOUNT_DELAY`` seconds, doubled per failure up to
``PAMONG_LOGIN_ACCOUNT_MAX_DELAY`` (defaults 5, 900 s, 2 s, 900 s). An attempt during the wait is
answered exactly like a wrong password, its password is not checked and it does not count; after
the wait the right password signs in as usual, so a guesser can slow the owner down but never lock
them out for good (OWASP Authentication Cheat Sheet, "Account lockout"; NIST SP 800-63B §5.2.2,
rate limiting). When the threshold is reached the person is told by e-mail through the outbox, at
most once per window.

The state is a row per account in ``login_throttle`` (the database every process shares), changed
by single UPDATE statements so that concurrent attempts from many processes add up.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone

from flask import current_app
from flask_babel import force_locale, gettext as _
from sqlalchemy import DateTime, ForeignKey, Integer, case, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

log = logging.getLogger(__name__)


class LoginThrottle(db.Model):
    """Wrong passwords of one account (users are deployment-wide, so this row is too)."""

    __tablename__ = "login_throttle"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_failure_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    blocked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    notified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


def now() -> datetime:
    """The clock (UTC, ``core/clock.py``); tests move it forward."""
    from ..clock import now as clock_now

    return clock_now()


def _aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)  # SQLite: naive


def _settings() -> tuple[int, timedelta, int, int]:
    c = current_app.config
    return (c["PAMONG_LOGIN_ACCOUNT_FAILURES"], timedelta(seconds=c["PAMONG_LOGIN_ACCOUNT_WINDOW"]),
            c["PAMONG_LOGIN_ACCOUNT_DELAY"], c["PAMONG_LOGIN_ACCOUNT_MAX_DELAY"])


def delay_for(failures: int) -> int:
    """Seconds the account waits after its ``failures``-th wrong password in a row (0: none)."""
    threshold, _window, base, cap = _settings()
    if failures < threshold:
        return 0
    return min(base * 2 ** min(failures - threshold, 30), cap)


def waiting(user) -> bool:
    """True while ``user``'s account is in its wait after wrong passwords."""
    row = db.session.get(LoginThrottle, user.id, populate_existing=True)
    until = _aware(row.blocked_until) if row is not None else None
    return until is not None and until > now()


def record_failure(user, tenant) -> LoginThrottle:
    """Count a wrong password for ``user``, set the wait, and warn the person once per window.

    Commits the caller's transaction first and its own work after: the count must outlive the
    failed sign-in, and on SQLite the UPDATE then opens a write transaction at once.
    """
    threshold, window, _base, _cap = _settings()
    db.session.commit()
    at = now()
    quiet = LoginThrottle.last_failure_at.is_(None) | (LoginThrottle.last_failure_at < at - window)
    bump = (update(LoginThrottle).where(LoginThrottle.user_id == user.id)
            .values(failures=case((quiet, 1), else_=LoginThrottle.failures + 1), last_failure_at=at)
            .execution_options(synchronize_session=False))
    if db.session.execute(bump).rowcount == 0:
        try:
            with db.session.begin_nested():
                db.session.add(LoginThrottle(user_id=user.id, failures=1, last_failure_at=at))
        except IntegrityError:  # another process made the row meanwhile
            db.session.execute(bump)
    row = db.session.get(LoginThrottle, user.id, populate_existing=True)
    wait = delay_for(row.failures)
    row.blocked_until = at + timedelta(seconds=wait) if wait else None
    notified = _aware(row.notified_at)
    if row.failures >= threshold and (notified is None or notified < at - window):
        row.notified_at = at
        _warn(user, tenant, row.failures)
    db.session.commit()
    return row


def clear(user) -> None:
    """A right password: forget the account's wrong ones (in the caller's transaction)."""
    db.session.execute(update(LoginThrottle).where(LoginThrottle.user_id == user.id)
                       .values(failures=0, last_failure_at=None, blocked_until=None)
                       .execution_options(synchronize_session=False))


def _warn(user, tenant, failures: int) -> None:
    from ..notify import notify
    from .service import tenants_of

    tenant = tenant or next(iter(tenants_of(user)), None)
    if tenant is None:  # an operator without a role anywhere: no tenant's outbox to write to
        log.warning("repeated wrong passwords for user %s; no tenant to notify through", user.id)
        return
    with force_locale(user.locale or tenant.default_locale):
        subject = _("Repeated failed sign-ins to your account")
        body = _(
            "Someone tried to sign in to your account at %(tenant)s with a wrong password %(count)s times "
            "in a row. If this was you, wait a few minutes and try again. If it was not, your password "
            "kept your account safe; choose a long password you use nowhere else.",
            tenant=tenant.name, count=failures,
        )
    from .service import contact_of

    channel, to = contact_of(user)  # a phone-only account: by SMS
    notify(tenant, channel, to, body, subject=subject if channel == "email" else "", ref=f"auth:throttle:{user.id}")
