"""SATUSEHAT's OAuth2 client-credentials token, as the outbox's ``http`` sink needs it.

SATUSEHAT (Kemenkes) issues an access token for a facility's client ID and secret:
``POST <satusehat_auth_url>/accesstoken?grant_type=client_credentials`` with the form body
``client_id=…&client_secret=…``; it answers JSON with ``access_token`` and ``expires_in`` (seconds,
sent as a string, e.g. ``"14399"``). The token is then sent as ``Authorization: Bearer`` to the FHIR
base URL (``satusehat_url``).

Settings (``settings.py``): ``satusehat_auth_url`` (the sandbox's by default), and the client ID and
secret only as ``env:NAME`` references (core ``tenant_secret``: ``PAMONG_SECRET_<SLUG>__<NAME>``),
never written in the tenant file. ``satusehat_token`` (also ``env:NAME``) is a fixed token used
only when no client ID is set (a trial).

The token is cached per process, tenant, auth URL and client ID until ``EXPIRY_MARGIN`` seconds
before it expires; ``forget`` drops it (the FHIR server answered 401). Errors are
``SatusehatAuthError`` (an ``OSError``: the sender counts a failed attempt and retries later); their
messages never contain the secret or the token.
"""
from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from core.kit import tenant_secret

EXPIRY_MARGIN = 60  # seconds before expiry when a new token is asked for
TIMEOUT = 20  # seconds for every request to SATUSEHAT (token, searches, bundles)
_cache: dict[tuple, "_Token"] = {}
_lock = threading.Lock()


class SatusehatAuthError(OSError):
    """The token could not be had: no credentials, the server refused, or its answer is not a token."""


@dataclass(frozen=True)
class _Token:
    value: str
    expires_at: float  # time.time() seconds


def _credentials(tenant, settings: dict) -> tuple[str, str]:
    return (tenant_secret(tenant, settings.get("satusehat_client_id", "")),
            tenant_secret(tenant, settings.get("satusehat_client_secret", "")))


def _key(tenant, settings: dict, client_id: str) -> tuple:
    return (tenant.id, settings["satusehat_auth_url"].rstrip("/"), client_id)


def _request_token(auth_url: str, client_id: str, client_secret: str) -> tuple[str, int]:
    url = f"{auth_url.rstrip('/')}/accesstoken?grant_type=client_credentials"
    body = urllib.parse.urlencode({"client_id": client_id, "client_secret": client_secret}).encode()
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:  # noqa: S310 - the configured URL
            raw = answer.read(65536)
    except urllib.error.HTTPError as exc:
        raise SatusehatAuthError(f"SATUSEHAT refused the client credentials (HTTP {exc.code})") from None
    except (urllib.error.URLError, TimeoutError) as exc:
        raise SatusehatAuthError(f"SATUSEHAT's token endpoint could not be reached ({type(exc).__name__})") from None
    try:
        data = json.loads(raw)
        token = data["access_token"]
        lifetime = int(str(data.get("expires_in", "0")).strip())
    except (ValueError, KeyError, TypeError):
        raise SatusehatAuthError("SATUSEHAT's token answer is not JSON with access_token and expires_in") from None
    if not isinstance(token, str) or not token.strip() or lifetime <= 0:
        raise SatusehatAuthError("SATUSEHAT's token answer has an empty access_token or expires_in")
    return token.strip(), lifetime


def access_token(tenant, settings: dict, now=None) -> str:
    """The bearer token for SATUSEHAT: the cached one while it has more than ``EXPIRY_MARGIN``
    seconds left, else a new one from the token endpoint. ``SatusehatAuthError`` without credentials
    (and no fixed ``satusehat_token``) or when the endpoint fails."""
    now = now or time.time  # read at the call: a test may move the clock
    client_id, client_secret = _credentials(tenant, settings)
    if not client_id:
        fixed = tenant_secret(tenant, settings.get("satusehat_token", ""))
        if fixed:
            return fixed
        raise SatusehatAuthError("no SATUSEHAT client ID set (satusehat_client_id)")
    if not client_secret:
        raise SatusehatAuthError("no SATUSEHAT client secret set (satusehat_client_secret)")
    key = _key(tenant, settings, client_id)
    with _lock:
        cached = _cache.get(key)
        if cached is not None and cached.expires_at - EXPIRY_MARGIN > now():
            return cached.value
    token, lifetime = _request_token(settings["satusehat_auth_url"], client_id, client_secret)
    with _lock:
        _cache[key] = _Token(token, now() + lifetime)
    return token


def forget(tenant, settings: dict) -> None:
    """Drop the tenant's cached token (SATUSEHAT answered 401: it was revoked or has expired)."""
    client_id, _secret = _credentials(tenant, settings)
    with _lock:
        _cache.pop(_key(tenant, settings, client_id), None)
