"""Personal data at rest (DESIGN §4): Fernet encryption, and a keyed hash where a value is searched.

The key: ``PAMONG_DATA_KEY`` if set, else the app's ``SECRET_KEY``. Each is a passphrase of any
length; the Fernet key and the hashing key are derived from it with HKDF-SHA256 (separate labels),
so the same passphrase never serves two purposes. For key rotation ``PAMONG_DATA_KEY`` may list
several passphrases separated by commas: the first encrypts, every one decrypts
(``cryptography``'s MultiFernet). Changing the key without keeping the old one listed makes the
stored values unreadable, so set ``PAMONG_DATA_KEY`` in production rather than relying on the
session secret.

Models use the column type: ``phone: Mapped[str] = mapped_column(EncryptedText)``. Fernet output
differs on every call, so an encrypted column cannot be compared in SQL: keep ``keyed_hash(value)``
beside it and query that.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import Text
from sqlalchemy.types import TypeDecorator

__all__ = ["EncryptedText", "decrypt", "encrypt", "keyed_hash", "DecryptionError"]


class DecryptionError(RuntimeError):
    """A stored value cannot be decrypted with any configured key (the key changed?)."""


def _derive(passphrase: str, label: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"pamong", info=label).derive(passphrase.encode())


def _passphrases() -> tuple[str, ...]:
    from flask import current_app

    raw = current_app.config.get("PAMONG_DATA_KEY") or current_app.config["SECRET_KEY"]
    keys = tuple(k.strip() for k in str(raw).split(",") if k.strip())
    if not keys:
        raise RuntimeError("PAMONG_DATA_KEY (or SECRET_KEY) is empty")
    return keys


@functools.lru_cache(maxsize=8)
def _fernet_for(passphrases: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(base64.urlsafe_b64encode(_derive(p, b"pamong-fernet-v1"))) for p in passphrases])


@functools.lru_cache(maxsize=8)
def _hash_key_for(passphrase: str) -> bytes:
    return _derive(passphrase, b"pamong-keyed-hash-v1")


def encrypt(value: str) -> str:
    """The Fernet token (ASCII text) of ``value``."""
    return _fernet_for(_passphrases()).encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _fernet_for(_passphrases()).decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise DecryptionError("a stored value cannot be decrypted with the configured PAMONG_DATA_KEY") from None


def keyed_hash(value: str) -> str:
    """HMAC-SHA256 of ``value`` under the current (first) key: equal values, equal hashes."""
    return hmac.new(_hash_key_for(_passphrases()[0]), value.encode("utf-8"), hashlib.sha256).hexdigest()


class EncryptedText(TypeDecorator):
    """A text column stored encrypted; reads give the clear text back. None stays None."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return encrypt(str(value))

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return decrypt(value)
