"""Complaint photos: checked by content (not by name), re-encoded without metadata, kept in storage."""
from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from core.kit import ValidationError, storage

FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
MAX_PIXELS = 40_000_000  # beyond this a "photo" is a decompression bomb
MAX_SIDE = 2560  # larger photos are scaled down: a phone on a weak connection opens them


@dataclass(frozen=True)
class CleanPhoto:
    data: bytes
    content_type: str
    width: int
    height: int


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


def _reencode(image: Image.Image, fmt: str) -> CleanPhoto:
    if max(image.size) > MAX_SIDE:
        image.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
    elif fmt == "PNG":
        keep = image if image.mode in ("RGB", "RGBA", "L", "LA", "P") else image.convert("RGBA")
        keep.save(out, "PNG", optimize=True)
    else:
        image.convert("RGBA" if "A" in image.getbands() else "RGB").save(out, "WEBP", quality=85)
    return CleanPhoto(out.getvalue(), FORMATS[fmt], image.width, image.height)


def check_photos(uploads: list[bytes], max_count: int, max_bytes: int) -> list[CleanPhoto]:
    if len(uploads) > max_count:
        raise ValidationError(f"at most {max_count} photos", where="photos", code="too_many_photos")
    return [check_photo(data, max_bytes) for data in uploads]


def store(tenant, photo: CleanPhoto, name: str) -> str:
    """Put a checked photo in the core's storage; returns its key."""
    ext = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}[photo.content_type]
    return storage().put(tenant, photo.data, photo.content_type, filename=f"{name}.{ext}")


def load(key: str) -> bytes:
    return storage().get(key)


def discard(keys: list[str]) -> None:
    for key in keys:
        try:
            storage().delete(key)
        except Exception:  # noqa: BLE001 - best effort: an orphan file is harmless
            pass
