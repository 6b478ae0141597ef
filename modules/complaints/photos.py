"""Complaint photos: checked by content (not by name), re-encoded without metadata, kept in storage.

A phone's photo carries EXIF (GPS position, device make and serial, time), XMP, comments and text
chunks that could identify the filer. Only the pixels are kept: the image is rebuilt from them,
turned upright as its EXIF said, scaled down to ``MAX_SIDE`` and encoded afresh, with a
``THUMB_SIDE`` thumbnail for lists. Anything Pillow cannot decode completely, or fails on while
turning or encoding it, is refused (``invalid_photo``); EXIF it cannot read is dropped like any other.
"""
from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps

from sqlalchemy import event
from sqlalchemy.orm import Session

from core.kit import ValidationError, db, storage

FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
MAX_PIXELS = 40_000_000  # beyond this a "photo" is a decompression bomb
MAX_SIDE = 1920  # larger photos are scaled down: a phone on a weak connection opens them
THUMB_SIDE = 320
KEEP_INFO = ("transparency",)  # the only metadata kept: what the pixels need


@dataclass(frozen=True)
class CleanPhoto:
    data: bytes
    content_type: str
    width: int
    height: int
    thumb: bytes = b""
    thumb_width: int = 0
    thumb_height: int = 0


def check_photo(data: bytes, max_bytes: int, where: str = "photos") -> CleanPhoto:
    """Return the photo re-encoded (EXIF and other metadata dropped); ValidationError otherwise.

    Whatever goes wrong while reading, decoding or re-encoding the file (Pillow raises many kinds:
    ``OSError``, ``SyntaxError``, ``struct.error``, ``TypeError``, ``IndexError``, decompression-bomb
    errors, ...) is the sender's bad file: ``ValidationError(code="invalid_photo")``, never a crash.
    EXIF that cannot be read is only metadata: the photo is kept without it (``_upright``).
    """
    if not data:
        raise ValidationError("the photo is empty", where=where, code="invalid_photo")
    if len(data) > max_bytes:
        raise ValidationError(
            f"a photo may be at most {max_bytes // 1024} KB", where=where, code="photo_too_large"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                fmt = probe.format
                if fmt not in FORMATS:
                    raise ValidationError("only JPEG, PNG and WebP photos are accepted", where=where,
                                          code="invalid_photo")
                if probe.width * probe.height > MAX_PIXELS:
                    raise ValidationError("the photo has too many pixels", where=where, code="invalid_photo")
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                return _reencode(_upright(image), fmt)
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001 - any failure of the image library on this file: a bad file
        raise ValidationError("the file is not a JPEG, PNG or WebP image", where=where, code="invalid_photo") from None


# EXIF Orientation (tag 274, TIFF 6.0 / Exif 2.3 section 4.6.4) -> the transpose that makes it upright
_ORIENTATION = {
    2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _upright(image: Image.Image) -> Image.Image:
    """``image`` turned upright as its EXIF Orientation says. ``ImageOps.exif_transpose`` also
    rewrites the EXIF it reads, and fails on EXIF with a wrongly typed tag (e.g. a textual
    ResolutionUnit); the orientation is then read alone, and when even that cannot be read the
    photo is kept as stored. The metadata itself is dropped afterwards (``_bare``) in every case."""
    try:
        return ImageOps.exif_transpose(image)
    except Exception:  # noqa: BLE001 - unreadable EXIF is metadata we drop anyway
        pass
    try:
        orientation = int(image.getexif().get(0x0112) or 1)
    except Exception:  # noqa: BLE001
        return image
    method = _ORIENTATION.get(orientation)
    return image.transpose(method) if method is not None else image


def _bare(image: Image.Image) -> Image.Image:
    """A copy with the pixels and no metadata (EXIF, XMP, ICC, comments, text chunks)."""
    clean = image.copy()
    clean.info = {k: v for k, v in image.info.items() if k in KEEP_INFO}
    return clean


def _reencode(image: Image.Image, fmt: str) -> CleanPhoto:
    image = _bare(image)
    if max(image.size) > MAX_SIDE:
        image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    thumb = image.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
    return CleanPhoto(_encode(image, fmt), FORMATS[fmt], image.width, image.height,
                      _encode(thumb, fmt), thumb.width, thumb.height)


def _encode(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
    elif fmt == "PNG":
        keep = image if image.mode in ("RGB", "RGBA", "L", "LA", "P") else image.convert("RGBA")
        keep.save(out, "PNG", optimize=True)
    else:
        image.convert("RGBA" if "A" in image.getbands() else "RGB").save(out, "WEBP", quality=85)
    return out.getvalue()


def check_photos(uploads: list[bytes], max_count: int, max_bytes: int) -> list[CleanPhoto]:
    if len(uploads) > max_count:
        raise ValidationError(f"at most {max_count} photos", where="photos", code="too_many_photos")
    return [check_photo(data, max_bytes) for data in uploads]


def store(tenant, photo: CleanPhoto, name: str) -> tuple[str, str]:
    """Put a checked photo and its thumbnail in the core's storage; returns their keys."""
    ext = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}[photo.content_type]
    key = storage().put(tenant, photo.data, photo.content_type, filename=f"{name}.{ext}")
    try:
        thumb = storage().put(tenant, photo.thumb or photo.data, photo.content_type, filename=f"{name}-thumb.{ext}")
    except Exception:
        discard([key])
        raise
    db.session.info.setdefault(_PENDING_KEY, []).extend([key, thumb])
    return key, thumb


# Files written in a transaction that ends without committing (a later step failed, the commit
# failed, the session was closed at the end of a request that broke) are removed with it, so storage
# holds no photo that no row points to. ``after_commit`` runs before ``after_transaction_end``.
_PENDING_KEY = "complaints_photos_written"


@event.listens_for(Session, "after_commit")
def _keep_written(session):
    session.info.pop(_PENDING_KEY, None)


@event.listens_for(Session, "after_transaction_end")
def _discard_written(session, transaction):
    if transaction.parent is None and not transaction.nested:
        discard(session.info.pop(_PENDING_KEY, None) or [])


def load(key: str) -> bytes:
    return storage().get(key)


def discard(keys: list[str]) -> None:
    for key in keys:
        try:
            storage().delete(key)
        except Exception:  # noqa: BLE001 - best effort: an orphan file is harmless
            pass
