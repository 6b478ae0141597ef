"""Password hashing with argon2 (argon2-cffi), with rehash when parameters change.

A sign-in costs one argon2 verification whether or not the e-mail has an account, the account is
active or waiting after wrong passwords, so its timing does not tell which addresses have accounts
(issue 10.9; OWASP Authentication Cheat Sheet, "Authentication and error messages").
"""
import secrets

from argon2 import PasswordHasher, Parameters
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()  # argon2-cffi's defaults: RFC 9106's second recommended option (64 MiB)
MIN_LENGTH = 10
_dummy: list[str] = []  # a hash of a random password with the current parameters, made once


def use_parameters(parameters: Parameters | None) -> None:
    """Hash and verify with ``parameters`` from now on (None: the production defaults again).

    Only for test runs (``core.testing`` uses ``argon2.profiles.CHEAPEST``): thousands of test
    accounts would otherwise cost ~0.1 s of CPU each. Hashes made with other parameters still
    verify, and a sign-in rehashes them with the parameters in use (``verify_password``)."""
    global _hasher
    _hasher = PasswordHasher() if parameters is None else PasswordHasher.from_parameters(parameters)
    _dummy.clear()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _dummy_hash() -> str:
    if not _dummy:
        _dummy.append(_hasher.hash(secrets.token_urlsafe(16)))
    return _dummy[0]


def burn(password: str) -> None:
    """Spend what a real check costs, for a sign-in that fails anyway (no such user, ...)."""
    try:
        _hasher.verify(_dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        pass


def verify_password(user, password: str) -> bool:
    """Check ``password``; upgrade the stored hash in place if its parameters are outdated.
    ``user`` None or without a password: the same work against a dummy hash, then False."""
    if user is None or not user.password_hash:
        burn(password)  # same cost whether or not there is an account with a password
        return False
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return True
