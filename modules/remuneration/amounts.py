"""Rupiah as people write it, read one way everywhere in the module (the objection form, the API,
the CLI's ``adjust``): a whole number of rupiah, signed, in plain digits ("2500000") or grouped by
thousands the Indonesian way ("2.500.000") or as the English pages write it ("2,500,000"), one
separator throughout, and with the currency before it or not ("Rp 100.000", "Rp100.000",
"Rp. 1.500.000", "rp 1.500.000"; the sign before or after it: "-Rp 25.000" as the core's
``rupiah()`` writes a recovery, "Rp -25.000"): what ``rupiah()`` writes in either language reads
back as the same amount. Anything else -- decimals ("1.5", "1,5", "2.500,00"), an exponent ("1e5"),
a leading zero ("007"), a malformed or mixed grouping ("25.00", "2.500,000"), a currency twice or
alone -- is refused, never guessed (re-trial of issue 16: "1.5" became Rp 15 and "2.500,00"
Rp 250,000; a second re-trial: "Rp 100.000" was refused). The Indonesian way of writing money ends
a whole amount with ",-" ("Rp 100.000,-", "100000,-"): taken after plain digits or the Indonesian
grouping, never after the English one ("1,250,000,-") nor twice or alone (a third trial: refused)."""
from __future__ import annotations

import re

from core.kit import ValidationError

from . import _l

PLAIN = r"(?:0|[1-9][0-9]*|[1-9][0-9]{0,2}(?:\.[0-9]{3})+)"  # digits, or grouped the Indonesian way
DIGITS = rf"(?:{PLAIN}(?:,-)?|[1-9][0-9]{{0,2}}(?:,[0-9]{{3}})+)"  # ",-": "no sen", Indonesian only
CURRENCY = r"rp\.?\s*"  # "Rp", "Rp.", any case, a space (also a non-breaking one) or none after it
WHOLE = re.compile(rf"(?:[+-]?(?:{CURRENCY})?|(?:{CURRENCY})[+-]?){DIGITS}", re.IGNORECASE)


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
    digits = re.sub(CURRENCY, "", text.removesuffix(",-"), count=1, flags=re.IGNORECASE)
    return int(re.sub(r"[^0-9+-]", "", digits))
