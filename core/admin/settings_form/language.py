"""The words of the settings form in the reader's language: ``{"id": ..., "en": ...}`` picked for the
page, a setting's label (``x-label``, ``title``, the humanised key) and help (``x-help``, or a
``description`` that is a translation or shown on English pages only)."""
from __future__ import annotations

from flask_babel import get_locale
from flask_babel.speaklater import LazyString


def _english() -> bool:
    return str(get_locale() or "id").startswith("en")


def _pick(texts) -> str:
    if isinstance(texts, dict):
        first, second = ("en", "id") if _english() else ("id", "en")
        return str(texts.get(first) or texts.get(second) or "")
    return str(texts or "")


def words(texts, default: str = "") -> str:
    """``{"id": ..., "en": ...}`` (or a plain / lazy string) in the reader's language."""
    return _pick(texts) or default


def humanise(key: str) -> str:
    """``reopen_days`` → ``Reopen days`` (only when the schema gives no label)."""
    text = str(key).replace("_", " ").replace("-", " ").strip()
    return text[:1].upper() + text[1:]


def label_of(key: str, sub: dict) -> str:
    """The setting's label in the reader's language (``x-label``, ``title``, the humanised key)."""
    if sub.get("x-label"):
        return _pick(sub["x-label"])
    if sub.get("title"):
        return str(sub["title"])
    return humanise(key)


def help_of(sub: dict) -> str:
    """The setting's help in the reader's language; an English-only ``description`` shows on
    English pages only (never English help on an Indonesian page)."""
    if sub.get("x-help"):
        return _pick(sub["x-help"])
    text = sub.get("description")
    if text and (isinstance(text, LazyString) or _english()):
        return str(text)
    return ""
