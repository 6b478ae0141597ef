"""Rupiah as people write it, read one way everywhere in the module (the objection form, the API,
the CLI's ``adjust``): a whole number of rupiah, signed, in plain digits ("2500000") or grouped by
thousands the Indonesian way ("2.500.000"). Anything else -- decimals ("1.5", "1,5", "2.500,00"),
an exponent ("1e5"), a leading zero ("007"), a malformed grouping ("25.00") -- is refused, never
guessed (re-trial of issue 16: "1.5" became Rp 15 and "2.500,00" Rp 250,000)."""
from __future__ import annotations

import re

from core.kit import ValidationError

from . import _l

WHOLE = re.compile(r"[+-]?(0|[1-9][0-9]*|[1-9][0-9]{0,2}(\.[0-9]{3})+)")


def parse_rupiah(value, where: str = "amount") -> int:
    """``value`` (text, or an int as the API's JSON gives it) as whole rupiah; ``ValidationError``
    (``where``) naming the value otherwise. "-0" reads as 0: whether 0 is allowed is the caller's."""
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, int):
        return value
    text = str(value if value is not None else "").strip()
    if not WHOLE.fullmatch(text):
        shown = text[:40]
        raise ValidationError(f"{shown!r} is not a whole number of rupiah (write 2500000 or 2.500.000)",
                              where=where, code="not_rupiah",
                              local=_l("%(value)s is not a whole number of rupiah (write 2500000 or 2.500.000).",
                                       value=shown))
    return int(text.replace(".", ""))
