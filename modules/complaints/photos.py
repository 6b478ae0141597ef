"""Complaint photos: checked by content (not by name), re-encoded without metadata, kept in storage.

A phone's photo carries EXIF (GPS position, device make and serial, time), XMP, comments and text
chunks that could identify the filer. Only the pixels are kept: the image is rebuilt from them,
turned upright as its EXIF said, scaled down to ``MAX_SIDE`` and encoded afresh, with a
``THUMB_SIDE`` thumbnail for lists. Anything Pillow cannot decode completely is refused.
"""
from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from core.kit import ValidationError, storage

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
    """Return the photo re-encoded (EXIF and other metadata dropped); ValidationError otherwise."""
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
                image = ImageOps.exif_transpose(image)  # keep the orientation the EXIF gave
                return _reencode(image, fmt)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning):
        raise ValidationError("the file is not a JPEG, PNG or WebP image", where=where, code="invalid_photo") from None


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
    return key, thumb


def load(key: str) -> bytes:
    return storage().get(key)


def discard(keys: list[str]) -> None:
    for key in keys:
        try:
            storage().delete(key)
        except Exception:  # noqa: BLE001 - best effort: an orphan file is harmless
            pass
