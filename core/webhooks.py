"""Signed webhook requests: HMAC-SHA256 over ``"<timestamp>." + body`` with a shared secret.

The sender puts the Unix time in ``X-Pamong-Timestamp`` and ``sha256=<hex digest>`` in
``X-Pamong-Signature``. A request whose timestamp is more than five minutes away from now is
refused, so a captured request cannot be replayed later; within the window the receiver refuses a
signature it has already seen (``seen`` of ``signed_webhook``, or a unique column holding the digest).

Any module's route (a gateway's callback, a chat channel) takes it with ``@signed_webhook``::

    @bp.route("/webhook/chat", methods=["POST"])
    @signed_webhook(lambda tenant: tenant_secret(tenant, module_settings(tenant, "chat")["secret"]))
    def chat():
        body = g.webhook.body          # the bytes that were signed; g.webhook.digest for replays
"""
from __future__ import annotations

import hashlib
import hmac

import functools
from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _, lazy_gettext as _l

from .errors import PamongError
from .params import parse_int

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
                             code="missing_signature", local=_l("%(timestamp)s and %(signature)s are required",
                                                                timestamp=TIMESTAMP_HEADER, signature=SIGNATURE_HEADER))
    timestamp = timestamp.strip()
    try:
        sent = parse_int(timestamp, 0, MAX_UNIX_TIME)  # 400 digits would overflow the float below
    except ValueError:
        raise SignatureError("is not a Unix time", where=TIMESTAMP_HEADER, code="bad_timestamp",
                             local=_l("is not a Unix time")) from None
    if now is None:
        from .clock import now as clock_now

        now = clock_now().timestamp()
    if abs(now - sent) > MAX_AGE:
        raise SignatureError("is more than five minutes from now", where=TIMESTAMP_HEADER, code="stale_timestamp",
                             local=_l("is more than five minutes from now"))
    expected = sign(secret, timestamp, body)
    given = signature.strip()
    if not given.startswith("sha256="):
        given = "sha256=" + given
    if not hmac.compare_digest(expected.encode(), given.encode()):
        raise SignatureError("does not match the body", where=SIGNATURE_HEADER, local=_l("does not match the body"))
    return expected[len("sha256="):]


MAX_BODY = 64 * 1024  # bytes a signed webhook accepts unless told otherwise


@dataclass(frozen=True)
class SignedRequest:
    """``g.webhook`` inside a ``@signed_webhook`` view: the body as signed, its digest (hex, unique
    per request: keep it to refuse a replay) and the sender's Unix time."""

    body: bytes
    digest: str
    timestamp: int


def signed_webhook(secret: Callable, *, max_body: int = MAX_BODY, seen: Callable | None = None,
                   missing_secret: tuple[str, str] = ("webhook_disabled", _l("This tenant takes no such webhook."))):
    """The view answers only a request signed with the tenant's secret (see the module docstring).

    ``secret(tenant) -> str | None``: None (the tenant takes no such webhook) answers 404 with
    ``missing_secret`` (code, message). A body over ``max_body`` bytes is 413 (``too_large``); a
    missing, stale or wrong signature 401 (``missing_signature``, ``bad_timestamp``,
    ``stale_timestamp``, ``bad_signature``); ``seen(tenant, digest) -> bool`` true is 409
    (``replayed``). Errors are HTTPExceptions with ``pamong_code``/``pamong_message``, answered in
    the route's format (``error_formats``). The view finds the request in ``g.webhook``
    (``SignedRequest``). Marks the route as protected by a signature (no ``@public`` needed).
    """

    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            from flask import g, request

            tenant = getattr(g, "tenant", None)
            if tenant is None:
                raise _fail(404, "unknown_tenant", _("No tenant at this address."))
            key = secret(tenant)
            if not key:
                raise _fail(404, missing_secret[0], str(missing_secret[1]))
            if (request.content_length or 0) > max_body:
                raise _fail(413, "too_large", _("The request body is too large."))
            raw = request.get_data(cache=True)
            if len(raw) > max_body:
                raise _fail(413, "too_large", _("The request body is too large."))
            timestamp = request.headers.get(TIMESTAMP_HEADER)
            try:
                digest = verify(key, timestamp, request.headers.get(SIGNATURE_HEADER), raw)
            except SignatureError as exc:
                said = exc.local if exc.local is not None else exc.message
                raise _fail(401, exc.code, f"{exc.where}: {said}" if exc.where else str(said))
            if seen is not None and seen(tenant, digest):
                raise _fail(409, "replayed", _("This request was already received."))
            g.webhook = SignedRequest(raw, digest, parse_int(timestamp.strip(), 0, MAX_UNIX_TIME))
            return view(*args, **kwargs)

        wrapper._pamong_permission = "signed"
        from .auth.permissions import csrf_exempt

        return csrf_exempt(wrapper)  # a gateway, not a browser: its signature is the proof

    return decorate


def _fail(status: int, code: str, message: str):
    from .api.auth import refusal

    return refusal(status, code, message)
