"""Password hashing with argon2 (argon2-cffi), with rehash when parameters change."""
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
MIN_LENGTH = 10


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(user, password: str) -> bool:
    """Check ``password``; upgrade the stored hash in place if its parameters are outdated."""
    if not user.password_hash:
        _hasher.hash(password)  # same cost whether or not the account has a password
        return False
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return True
