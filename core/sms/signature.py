"""Compatibility alias: signed webhook requests moved to ``core/webhooks.py`` (any module's, not SMS only)."""
from ..webhooks import (  # noqa: F401
    MAX_AGE, MAX_UNIX_TIME, SIGNATURE_HEADER, TIMESTAMP_HEADER, SignatureError, sign, verify,
)
