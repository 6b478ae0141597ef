"""Indonesian phone numbers, normalised to E.164 with Google's ``phonenumbers``."""
from __future__ import annotations

import phonenumbers

from ..errors import ValidationError


def normalise_phone(raw: str, region: str = "ID", where: str = "phone") -> str:
    """``0812-3456-7890``, ``62812...``, ``+62 812 ...`` -> ``+6281234567890``; else ValidationError."""
    text = (raw or "").strip()
    if not text or len(text) > 32:
        raise ValidationError("is not a phone number", where=where, code="invalid_phone")
    if text.startswith("62") and text.isdigit():
        text = "+" + text  # gateways often drop the plus
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise ValidationError("is not a phone number", where=where, code="invalid_phone") from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError("is not a valid phone number", where=where, code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
