"""Requirement files checked by their CONTENT (magic bytes, ``filetype``) and size, never by the
name or the Content-Type the browser sent; a PDF must also open as a PDF (``pypdf``-free check of
its header and trailer) and an image must decode (Pillow), so a renamed or truncated file is refused."""
from __future__ import annotations

import io

import filetype
from PIL import Image, UnidentifiedImageError

from core.kit import ValidationError, gettext as _

from .settings import FILE_TYPES

IMAGE_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}
# the file-name endings each type is known by (a phone's WhatsApp image is often ``.jfif``)
EXTENSIONS = {"application/pdf": ("pdf",), "image/jpeg": ("jpg", "jpeg", "jpe", "jfif"), "image/png": ("png",)}
KIND_NAMES = {"application/pdf": "PDF", "image/jpeg": "JPG", "image/png": "PNG"}


def check(data: bytes, accepted: list[str], max_kb: int, where: str, filename: str = "") -> str:
    """The MIME type of ``data`` when it is one of the ``accepted`` kinds (``pdf``, ``jpg``, ``png``)
    and at most ``max_kb`` KiB, and ``filename``'s ending, when it names one of these types, names
    the type of the content (a JPEG named ``foto.pdf`` is refused: the office would open it as what
    its name says); otherwise
    ``ValidationError(where=where)`` with code ``file_empty``, ``file_too_large``, ``file_type``,
    ``file_damaged`` or ``file_name_mismatch``."""
    if not data:
        raise ValidationError(_("The file is empty."), where=where, code="file_empty")
    if len(data) > max_kb * 1024:
        raise ValidationError(_("The file is larger than %(kb)s KB.", kb=max_kb), where=where, code="file_too_large")
    kind = filetype.guess(data)
    mime = kind.mime if kind else ""
    allowed = {FILE_TYPES[a] for a in accepted}
    if mime not in allowed:
        names = ", ".join(a.upper() for a in accepted)
        raise ValidationError(_("The file's content is not of a type accepted here (%(types)s).", types=names),
                              where=where, code="file_type")
    if mime == "application/pdf":
        if b"%%EOF" not in data[-2048:]:
            raise ValidationError(_("The PDF is damaged or incomplete."), where=where, code="file_damaged")
    else:
        try:
            with Image.open(io.BytesIO(data)) as image:
                if image.format != IMAGE_FORMATS[mime]:
                    raise ValidationError(_("The image is damaged."), where=where, code="file_damaged")
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError):
            raise ValidationError(_("The image is damaged."), where=where, code="file_damaged") from None
    name = str(filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    ending = name.rsplit(".", 1)[1].strip().lower() if "." in name.strip(".") else ""
    named = next((type_ for type_, endings in EXTENSIONS.items() if ending in endings), None)
    if named is not None and named != mime:   # an ending of no type here (``.bin``) claims nothing
        raise ValidationError(_("The file is named “%(name)s” but its content is %(kind)s: rename it to end in "
                                ".%(ending)s, or choose the right file.", name=name[:80], kind=KIND_NAMES[mime],
                                ending=EXTENSIONS[mime][0]), where=where, code="file_name_mismatch")
    return mime
