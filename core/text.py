"""Text made safe where it enters (DESIGN §5): one normalisation for every channel.

``clean(text)`` is what every intake applies once (the request class in ``core.web_request``,
JSON bodies through ``load_json``, signed webhooks, SMS, tenant TOML, CLI arguments):

1. lone (unpaired) surrogates, U+D800..U+DFFF, become U+FFFD REPLACEMENT CHARACTER: they are
   what an SMS gateway leaves of half an emoji (``"\\ud83d"`` in JSON) or what Python makes of
   undecodable bytes (``surrogateescape``); they cannot be encoded as UTF-8, so stored or sent
   they would fail later;
2. characters XML 1.0 forbids are removed (XML 1.0 §2.2 ``Char``): the C0 controls except tab,
   line feed and carriage return (NUL included: PostgreSQL's ``text`` cannot hold it), and the
   66 Unicode non-characters (U+FDD0..U+FDEF and U+xxFFFE/U+xxFFFF of every plane, Unicode
   §23.7; U+FFFE and U+FFFF are the two XML forbids outright);
3. invisible characters that can disguise text are removed (a trial found a name typed with U+202E
   RIGHT-TO-LEFT OVERRIDE showed reversed, "Trojan Source", CVE-2021-42574): every bidirectional
   control of Unicode Standard Annex #9 §2 (the marks LRM U+200E, RLM U+200F, ALM U+061C; the
   embeddings and overrides U+202A..U+202E; the isolates U+2066..U+2069) and the invisible format
   characters UTS #39 §3.1 restricts as Default_Ignorable (soft hyphen U+00AD, ZERO WIDTH SPACE
   U+200B, WORD JOINER and the invisible operators U+2060..U+2064, the deprecated U+206A..U+206F,
   ZERO WIDTH NO-BREAK SPACE U+FEFF, the interlinear annotation controls U+FFF9..U+FFFB). The
   kit's pages are left-to-right (id, en) and an Arabic or Hebrew name still shows in its own
   order by the Annex's implicit rules, without marks. ZERO WIDTH NON-JOINER U+200C and ZERO WIDTH
   JOINER U+200D are what some scripts need (UAX #31 §2.3: after a virama in the Indic scripts,
   Javanese and Balinese among them; between Arabic-script letters; UTS #51 §2.3: emoji ZWJ
   sequences), so one is kept right after a letter, mark or symbol outside ASCII and the Latin
   script, and removed anywhere else (a run of them is kept as its first), where it would only
   hide inside a Latin name ("Bu\u200bdi" looking like "Budi");
4. the result is normalised to NFC (Unicode Standard Annex #15), so that the same words typed on
   two keyboards are the same text (search, duplicates, unique keys).

Where removing would change what a value *identifies* (a gateway's message id), use
``require_clean(value, where)``: it refuses with a ``ValidationError`` naming the field instead.

``load_json(raw)`` reads a JSON body: UTF-8 only (an optional BOM is ignored), RFC 8259 only
(``NaN``/``Infinity`` refused), at most ``MAX_DEPTH`` levels of arrays/objects, every string and
key cleaned. Failures raise ``BadJson`` (a ``ValidationError`` and a ``ValueError``) with a stable
``code``: ``invalid_encoding``, ``invalid_json`` or ``json_too_deep``.
"""
from __future__ import annotations

import json
import re
import unicodedata

from flask_babel import gettext as _

from .errors import ValidationError

REPLACEMENT = "\ufffd"
MAX_DEPTH = 32  # levels of nested arrays/objects a JSON body may have

_SURROGATES = re.compile("[\ud800-\udfff]")
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
# bidirectional controls (UAX #9 §2) and invisible format characters (UTS #39 §3.1): see 3. above
_INVISIBLE = "\u00ad\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb"
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f" + _NONCHARACTERS + _INVISIBLE + "]")
_JOINERS = re.compile("[\u200c\u200d]+")  # ZWNJ, ZWJ


class BadJson(ValidationError, ValueError):
    """A body that is not UTF-8, not JSON, or nested too deeply; ``code`` says which."""

    code = "invalid_json"


def clean(text: str) -> str:
    """``text`` with lone surrogates replaced by U+FFFD, XML-forbidden characters, non-characters
    and disguising invisible characters removed (ZWJ/ZWNJ kept where a script needs one), and NFC
    applied. Idempotent; ``clean(clean(s)) == clean(s)``."""
    if text.isascii():
        return _FORBIDDEN.sub("", text) if _FORBIDDEN.search(text) else text
    text = _SURROGATES.sub(REPLACEMENT, text)
    text = _FORBIDDEN.sub("", text)
    while True:  # NFC can change what precedes a joiner (and removing one what NFC joins): to a fixed point
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
        if "\u200c" not in text and "\u200d" not in text:
            return text
        joined = _JOINERS.sub(lambda m: m.group()[0] if _joins(text, m.start()) else "", text)
        if joined == text:
            return text
        text = joined


def _joins(text: str, at: int) -> bool:
    """Whether a ZWJ/ZWNJ at ``at`` follows what may need one: a letter, mark or symbol outside
    ASCII and the Latin script (a virama, an Arabic letter, an emoji or its modifier)."""
    if at == 0:
        return False
    before = text[at - 1]
    return (not before.isascii() and unicodedata.category(before)[0] in "LMS"
            and "LATIN" not in unicodedata.name(before, ""))


def is_clean(text: str) -> bool:
    """True when ``clean(text) == text`` (nothing to replace, remove or normalise)."""
    return clean(text) == text


def require_clean(value: str, where: str) -> str:
    """``value`` (NFC applied) if it holds no control, non-character, lone surrogate or disguising
    invisible character (``clean`` would only normalise it); else a ``ValidationError`` naming
    ``where`` (code ``invalid_characters``)."""
    cleaned = clean(value)
    if cleaned != unicodedata.normalize("NFC", value):
        raise ValidationError("contains characters that are not allowed (control characters, non-characters, "
                              "half of a surrogate pair or invisible formatting characters)",
                              where=where, code="invalid_characters")
    return cleaned


def clean_data(value, max_depth: int = MAX_DEPTH, where: str = "body", strings=clean):
    """A copy of decoded JSON (or TOML) data with every string and key passed through ``strings``
    (``clean`` by default).

    Raises ``BadJson`` (code ``json_too_deep``) when arrays/objects nest deeper than ``max_depth``.
    """
    return _walk(value, max_depth, where, strings)


def _same(text: str) -> str:
    return text


def _walk(value, depth: int, where: str, strings):
    if isinstance(value, str):
        return strings(value)
    if isinstance(value, (dict, list, tuple)):
        if depth <= 0:
            raise BadJson(_("is nested too deeply"), where=where, code="json_too_deep")
        if isinstance(value, dict):
            return {(strings(k) if isinstance(k, str) else k): _walk(v, depth - 1, where, strings)
                    for k, v in value.items()}
        return [_walk(v, depth - 1, where, strings) for v in value]
    return value


def _no_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def load_json(raw: bytes | bytearray | str, max_depth: int = MAX_DEPTH, where: str = "body", cleaned: bool = True):
    """Decode a JSON document (RFC 8259) from UTF-8 ``raw`` and ``clean_data`` it (with
    ``cleaned=False`` the strings are left as sent, for a caller that refuses some with
    ``require_clean`` and then cleans the rest; the nesting is bounded either way).

    Raises ``BadJson``: ``invalid_encoding`` (not UTF-8), ``invalid_json`` (not JSON, or NaN /
    Infinity), ``json_too_deep`` (more than ``max_depth`` nested arrays/objects).
    """
    if isinstance(raw, (bytes, bytearray)):
        try:
            raw = bytes(raw).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise BadJson(_("is not UTF-8"), where=where, code="invalid_encoding") from None
    try:
        data = json.loads(raw, parse_constant=_no_constant)
    except RecursionError:
        raise BadJson(_("is nested too deeply"), where=where, code="json_too_deep") from None
    except ValueError:  # JSONDecodeError, and ints longer than sys.get_int_max_str_digits()
        raise BadJson(_("is not valid JSON"), where=where, code="invalid_json") from None
    return clean_data(data, max_depth, where, strings=clean if cleaned else _same)
