"""Signed webhook requests: HMAC-SHA256 over ``"<timestamp>." + body`` with a shared secret.

The sender puts the Unix time in ``X-Pamong-Timestamp`` and ``sha256=<hex digest>`` in
``X-Pamong-Signature``. A request whose timestamp is more than five minutes away from now is
refused, so a captured request cannot be replayed later; within the window the receiver refuses a
signature it has already seen.
"""
from __future__ import annotations

import hashlib
import hmac
import time

from ..errors import PamongError
from ..params import parse_int

TIMESTAMP_HEADER = "X-Pamong-Timestamp"
SIGNATURE_HEADER = "X-Pamong-Signature"
MAX_AGE = 300  # seconds
MAX_UNIX_TIME = 10**11  # about the year 5138: anything later is not a clock's reading


class SignatureError(PamongError):
    code = "bad_signature"


def sign(secret: str, timestamp: int | str, body: bytes) -> str:
    """The header value a sender puts in ``X-Pamong-Signature``."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(secret: str, timestamp: str | None, signature: str | None, body: bytes, now: float | None = None) -> str:
    """Check a request; returns the hex digest (to detect replays) or raises SignatureError."""
    if not timestamp or not signature:
        raise SignatureError(f"{TIMESTAMP_HEADER} and {SIGNATURE_HEADER} are required", where="signature",
                             code="missing_signature")
    timestamp = timestamp.strip()
    try:
        sent = parse_int(timestamp, 0, MAX_UNIX_TIME)  # 400 digits would overflow the float below
    except ValueError:
        raise SignatureError("is not a Unix time", where=TIMESTAMP_HEADER, code="bad_timestamp") from None
    if abs((now if now is not None else time.time()) - sent) > MAX_AGE:
        raise SignatureError("is more than five minutes from now", where=TIMESTAMP_HEADER, code="stale_timestamp")
    expected = sign(secret, timestamp, body)
    given = signature.strip()
    if not given.startswith("sha256="):
        given = "sha256=" + given
    if not hmac.compare_digest(expected.encode(), given.encode()):
        raise SignatureError("does not match the body", where=SIGNATURE_HEADER)
    return expected[len("sha256="):]
