"""CSV cells the module's exports write (the reconciliation, the OSS-RBA report)."""
from __future__ import annotations

from core.kit import clean_text


def safe_cell(value) -> str:
    """A text cell a spreadsheet will not run as a formula (OWASP CSV injection): a leading ``=``,
    ``+``, ``-``, ``@``, tab or carriage return is quoted with ``'``; ``None`` is empty."""
    text = "" if value is None else clean_text(str(value))
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
