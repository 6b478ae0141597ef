"""Single-use, expiring links for accounts: invitation, password reset, address verification.

A token is an ``itsdangerous.URLSafeTimedSerializer`` signature (HMAC with the app's
``SECRET_KEY``) of ``{"t": tenant id, "u": user id, "n": the user's token nonce}``, with one salt
per purpose, so a reset link is no invitation link and no link works in another tenant. It is
single-use because the nonce it carries must equal ``User.token_nonce`` at use: using a link (and
any password change) gives the user a new nonce, so that link and every other outstanding one die
(OWASP Forgot Password Cheat Sheet, "single use and expire after an appropriate period").

The timestamp is read from the core's clock (``core/clock.py``), so tests can let a link expire.
Lifetimes in seconds: ``PAMONG_INVITE_MAX_AGE`` (7 days), ``PAMONG_RESET_MAX_AGE`` (1 hour),
``PAMONG_VERIFY_MAX_AGE`` (2 days), ``PAMONG_SMS_CODE_MAX_AGE`` (30 minutes: the page where a
registration's SMS code is typed; the code itself is ``sms_code``).
"""
from __future__ import annotations

import hmac
import secrets

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from ..extensions import db
from .models import User

INVITE, RESET, VERIFY = "invite", "reset", "verify"
SMS_CODE = "sms-code"  # names the account on the page where the SMS code is typed; no proof alone
PURPOSES = (INVITE, RESET, VERIFY, SMS_CODE)
_MAX_AGE = {INVITE: ("PAMONG_INVITE_MAX_AGE", 7 * 86400), RESET: ("PAMONG_RESET_MAX_AGE", 3600),
            VERIFY: ("PAMONG_VERIFY_MAX_AGE", 2 * 86400), SMS_CODE: ("PAMONG_SMS_CODE_MAX_AGE", 1800)}


class TokenProblem(Exception):
    """A link that cannot be used. ``kind``: "invalid" (not ours, altered, wrong purpose),
    "expired", "used" (used already, or superseded by a password change) or "tenant" (made for
    another tenant)."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


class _ClockSigner(TimestampSigner):
    def get_timestamp(self) -> int:
        from ..clock import now

        return int(now().timestamp())


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    if purpose not in PURPOSES:
        raise ValueError(f"unknown token purpose '{purpose}'")
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"pamong.auth.{purpose}",
                                  signer=_ClockSigner)


def max_age(purpose: str) -> int:
    """The lifetime of a ``purpose`` link, in seconds."""
    key, default = _MAX_AGE[purpose]
    return int(current_app.config.get(key, default))


def new_nonce() -> str:
    return secrets.token_urlsafe(12)


def make(purpose: str, tenant, user: User) -> str:
    """A link token for ``user`` in ``tenant``; gives the user a nonce first if they have none."""
    if not user.token_nonce:
        user.token_nonce = new_nonce()
        db.session.flush()
    return _serializer(purpose).dumps({"t": tenant.id, "u": user.id, "n": user.token_nonce})


def peek(purpose: str, token: str, tenant) -> User:
    """The user a valid, unused ``purpose`` token of ``tenant`` names. Raises TokenProblem."""
    try:
        data = _serializer(purpose).loads(token or "", max_age=max_age(purpose))
    except SignatureExpired:
        raise TokenProblem("expired") from None
    except BadSignature:
        raise TokenProblem("invalid") from None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("n"), str):
        raise TokenProblem("invalid")
    if data.get("t") != tenant.id:
        raise TokenProblem("tenant")
    user = db.session.get(User, data["u"])
    if user is None or not user.active:
        raise TokenProblem("invalid")
    if not user.token_nonce or not hmac.compare_digest(user.token_nonce, data["n"]):
        raise TokenProblem("used")
    return user


def sms_code(tenant, user: User) -> str:
    """The 6-digit code that goes with ``user``'s current nonce in ``tenant`` (HMAC-SHA256 with the
    app's key, as HOTP truncates it to digits, RFC 4226 §5.3): nothing is stored, and it dies with
    the nonce like the links do."""
    import hashlib

    if not user.token_nonce:
        user.token_nonce = new_nonce()
        db.session.flush()
    key = current_app.config["SECRET_KEY"]
    digest = hmac.new(key if isinstance(key, bytes) else key.encode(), f"pamong.auth.sms-code:{tenant.id}:{user.id}:"
                      f"{user.token_nonce}".encode(), hashlib.sha256).digest()
    return f"{int.from_bytes(digest[:8], 'big') % 1_000_000:06d}"


def spend(user: User) -> None:
    """The link was used: a new nonce, so it (and every other outstanding link) stops working."""
    user.token_nonce = new_nonce()
