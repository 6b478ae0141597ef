"""Indonesian identity numbers: validators and normalisers with one clear error per rule.

Every ``normalise_*`` takes what a person typed (spaces, dots and hyphens allowed), returns the
digits, and raises ``IdentityError`` (a ``ValidationError``; ``code`` names the rule broken,
``where`` the kind of number) otherwise:

- NIK, Nomor Induk Kependudukan (UU 24/2013 on population administration; Permendagri 72/2019 for
  the region codes): 16 digits ``PPRRSSDDMMYYNNNN``; ``PP`` a province code that exists
  (``PROVINCES``), ``RR`` and ``SS`` not ``00``, ``DDMMYY`` a date of birth that exists and is not in
  the future, with 40 added to the day for women; ``NNNN`` not ``0000``. ``parse_nik`` also returns
  the sex and the birth date.
- NIP, Nomor Induk Pegawai of a civil servant (PP 11/2017, BKN): 18 digits ``YYYYMMDD`` birth date,
  ``YYYYMM`` appointment (TMT CPNS) after birth, sex ``1`` (man) or ``2`` (woman), serial ``001``..``999``.
- NIB, Nomor Induk Berusaha (PP 5/2021, OSS RBA): 13 digits.
- BPJS Kesehatan card number (JKN-KIS): 13 digits.
- NPWP (PMK 112/2022): 15 digits (old form) or 16 digits (a NIK, or ``0`` + the old 15); the old
  form's check digit as ``python-stdnum`` checks it (Luhn). Normalised to 16 digits.

Codes: ``not_digits``, ``length``, ``province``, ``region``, ``birth_date``, ``serial``,
``appointment``, ``sex``, ``check_digit``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from .errors import ValidationError

# Province codes (Kemendagri; Permendagri 72/2019, and the Papua provinces made in 2022:
# UU 14/2022 Papua Selatan 93, UU 15/2022 Papua Tengah 94, UU 16/2022 Papua Pegunungan 95,
# UU 29/2022 Papua Barat Daya 96). No province has code 97.
PROVINCES = {
    "11": "Aceh", "12": "Sumatera Utara", "13": "Sumatera Barat", "14": "Riau", "15": "Jambi",
    "16": "Sumatera Selatan", "17": "Bengkulu", "18": "Lampung", "19": "Kepulauan Bangka Belitung",
    "21": "Kepulauan Riau", "31": "DKI Jakarta", "32": "Jawa Barat", "33": "Jawa Tengah",
    "34": "DI Yogyakarta", "35": "Jawa Timur", "36": "Banten", "51": "Bali", "52": "Nusa Tenggara Barat",
    "53": "Nusa Tenggara Timur", "61": "Kalimantan Barat", "62": "Kalimantan Tengah",
    "63": "Kalimantan Selatan", "64": "Kalimantan Timur", "65": "Kalimantan Utara", "71": "Sulawesi Utara",
    "72": "Sulawesi Tengah", "73": "Sulawesi Selatan", "74": "Sulawesi Tenggara", "75": "Gorontalo",
    "76": "Sulawesi Barat", "81": "Maluku", "82": "Maluku Utara", "91": "Papua", "92": "Papua Barat",
    "93": "Papua Selatan", "94": "Papua Tengah", "95": "Papua Pegunungan", "96": "Papua Barat Daya",
}
KINDS = ("nik", "nip", "nib", "bpjs", "npwp")
_PUNCTUATION = re.compile(r"[\s.\-/]")


class IdentityError(ValidationError):
    """An identity number breaks a rule; ``code`` names the rule, ``where`` the kind of number."""


@dataclass(frozen=True)
class Nik:
    number: str
    province: str  # "73"
    regency: str  # "7371"
    district: str  # "737101"
    sex: str  # "M" or "F"
    birth_date: date
    serial: str


@dataclass(frozen=True)
class Nip:
    number: str
    birth_date: date
    appointed: tuple[int, int]  # (year, month) of appointment as a candidate civil servant
    sex: str  # "M" or "F"
    serial: str


def _digits(value, kind: str, lengths: tuple[int, ...]) -> str:
    text = _PUNCTUATION.sub("", str(value if value is not None else ""))
    label = kind.upper()
    if text and (not text.isascii() or not text.isdigit()):
        raise IdentityError(_l("%(kind)s may contain only digits (spaces, dots and hyphens are ignored)", kind=label),
                            where=kind, code="not_digits")
    if len(text) not in lengths:
        if len(lengths) == 1:
            message = _l("%(kind)s must have %(want)d digits, not %(n)d", kind=label, want=lengths[0], n=len(text))
        else:
            message = _l("%(kind)s must have %(a)d or %(b)d digits, not %(n)d", kind=label, a=lengths[0], b=lengths[1],
                         n=len(text))
        raise IdentityError(message, where=kind, code="length")
    return text


def _date(year: int, month: int, day: int, kind: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise IdentityError(_l("%(kind)s holds a date of birth that does not exist (%(d)02d-%(m)02d-%(y)04d)",
                               kind=kind.upper(), d=day, m=month, y=year), where=kind, code="birth_date") from None


def parse_nik(value, today: date | None = None) -> Nik:
    """The NIK in ``value`` with what it says (see the module's docstring); ``today`` decides the
    century of the two-digit birth year (the latest year not after it)."""
    nik = _digits(value, "nik", (16,))
    today = today or date.today()
    if nik[:2] not in PROVINCES:
        raise IdentityError(_l("NIK starts with province code %(code)s, which does not exist", code=nik[:2]),
                            where="nik", code="province")
    if nik[2:4] == "00" or nik[4:6] == "00":
        raise IdentityError(_l("NIK has regency or district code 00, which does not exist"), where="nik", code="region")
    day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = "F" if day > 40 else "M"
    if day > 40:
        day -= 40
    year = 2000 + yy if 2000 + yy <= today.year else 1900 + yy
    born = _date(year, month, day, "nik")
    if born > today:
        raise IdentityError(_l("NIK holds a date of birth in the future"), where="nik", code="birth_date")
    if nik[12:] == "0000":
        raise IdentityError(_l("NIK has serial number 0000, which is never issued"), where="nik", code="serial")
    return Nik(nik, nik[:2], nik[:4], nik[:6], sex, born, nik[12:])


def normalise_nik(value) -> str:
    return parse_nik(value).number


def parse_nip(value) -> Nip:
    """The NIP (civil servant's number) in ``value`` with what it says."""
    nip = _digits(value, "nip", (18,))
    born = _date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]), "nip")
    year, month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= month <= 12 or (year, month) <= (born.year, born.month):
        raise IdentityError(_l("NIP holds an appointment month that does not exist or is not after the birth date"),
                            where="nip", code="appointment")
    if nip[14] not in "12":
        raise IdentityError(_l("NIP has sex digit %(d)s; it must be 1 (man) or 2 (woman)", d=nip[14]),
                            where="nip", code="sex")
    if nip[15:] == "000":
        raise IdentityError(_l("NIP has serial number 000, which is never issued"), where="nip", code="serial")
    return Nip(nip, born, (year, month), "M" if nip[14] == "1" else "F", nip[15:])


def normalise_nip(value) -> str:
    return parse_nip(value).number


def normalise_nib(value) -> str:
    """NIB, the business identity number of OSS RBA: 13 digits."""
    return _digits(value, "nib", (13,))


def normalise_bpjs(value) -> str:
    """The number on a BPJS Kesehatan (JKN-KIS) card: 13 digits."""
    return _digits(value, "bpjs", (13,))


def normalise_npwp(value) -> str:
    """NPWP as 16 digits: an old 15-digit number gets its leading 0 (PMK 112/2022); a 16-digit one
    not starting with 0 is a NIK and is checked as one. Punctuation (``01.312.166.0-091.000``) allowed."""
    from stdnum import luhn
    from stdnum.exceptions import ValidationError as StdnumError

    npwp = _digits(value, "npwp", (15, 16))
    if len(npwp) == 16 and not npwp.startswith("0"):
        try:
            return parse_nik(npwp).number
        except IdentityError as exc:
            raise IdentityError(_l("NPWP of 16 digits not starting with 0 is a NIK: %(why)s", why=exc.message),
                                where="npwp", code=exc.code) from None
    if len(npwp) == 15:
        npwp = "0" + npwp
    try:
        luhn.validate(npwp[:10])
    except StdnumError:
        raise IdentityError(_l("NPWP check digit does not match"), where="npwp", code="check_digit") from None
    return npwp


NORMALISERS = {"nik": normalise_nik, "nip": normalise_nip, "nib": normalise_nib, "bpjs": normalise_bpjs,
               "npwp": normalise_npwp}


def normalise(kind: str, value) -> str:
    """``normalise("nik", " 7371 0101 ... ")``: the normaliser of ``kind`` (one of ``KINDS``)."""
    try:
        return NORMALISERS[kind](value)
    except KeyError:
        raise ValueError(f"unknown kind of identity number '{kind}' (one of: {', '.join(KINDS)})") from None


def mask_identity(value: str | None, reveal: bool = False, keep_start: int = 4, keep_end: int = 2) -> str:
    """``7371014101900001`` -> ``7371**********01``; the value itself when ``reveal`` (the viewer
    may see it, e.g. ``has_permission(user, tenant, "clinic.patients.read")``). None -> ``""``."""
    if not value:
        return ""
    if reveal:
        return value
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[len(value) - keep_end:]
