"""The tenant file (``tenants/<slug>.toml``): its schema and its one-line errors."""
from __future__ import annotations

import tomllib
from datetime import date as date_type
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError
from pydantic import ValidationError as PydanticError

from ..errors import ValidationError
from ..text import clean_data

SLUG = r"^[a-z][a-z0-9-]{1,62}$"
CODE = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$"
HOST = r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$"
COLOUR = r"^#[0-9a-fA-F]{6}$"
LOCALES = ("id", "en")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Branding(Strict):
    primary_color: str = Field("#0b5394", pattern=COLOUR)
    accent_color: str = Field("#f1c232", pattern=COLOUR)
    logo: str = ""  # a path under the deployment's static folder, or empty
    tagline: str = ""
    tagline_en: str = ""  # the tagline on English pages (``Tenant.tagline``); empty: ``tagline``


def _a_date(value):
    from ..calendar import parse_date

    return None if value is None else parse_date(value)  # a TOML date or "YYYY-MM-DD"


class Holder(Strict):
    """A person holding a position: ``email`` of a user with a role in the tenant; ``acting`` for
    an acting holder: ``true`` or ``"plt"`` (Plt., pelaksana tugas), ``"plh"`` (Plh., pelaksana
    harian), ``"pj"`` (Pj., penjabat) or ``"pjs"`` (Pjs., penjabat sementara), who needs ``from`` and may have ``until`` (inclusive).
    A definitive holder may have them too; without ``from``, a holder new to the position starts on
    the day the file is applied (``positions._set_holders``: history kept)."""

    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True)

    email: str = Field(min_length=3, max_length=254)
    acting: bool | Literal["plt", "plh", "pj", "pjs"] = False
    start: date_type | None = Field(None, alias="from")
    until: date_type | None = None

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        value = value.strip().lower()
        if "@" not in value:
            raise ValueError(f"'{value}' is not an e-mail address")
        return value

    @field_validator("start", "until", mode="before")
    @classmethod
    def _dates(cls, value):
        return _a_date(value)

    @model_validator(mode="after")
    def _period(self):
        if self.acting and self.start is None:
            raise PydanticCustomError("holder_period", "an acting holder (acting = true) needs 'from'")
        if self.start and self.until and self.until < self.start:
            raise PydanticCustomError("holder_period", "'until' is before 'from'")
        return self

    def export(self) -> dict:
        d: dict = {"email": self.email}
        if self.acting:
            d["acting"] = True if self.acting in (True, "plt") else self.acting
        if self.start:
            d["from"] = self.start
        if self.until:
            d["until"] = self.until
        return d


class PositionEntry(Strict):
    """A position (jabatan) in a unit; ``head = true`` marks the unit's head. Codes are unique in
    the tenant (an approval step names a position by its code)."""

    code: str = Field(pattern=CODE)
    name: str = Field(min_length=1, max_length=200)
    head: bool = False
    # None (no ``holders`` key): the holdings stay as they are; a list (even empty) replaces them
    holders: list[Holder] | None = None


class Unit(Strict):
    code: str = Field(pattern=CODE)
    name: str = Field(min_length=1, max_length=200)
    head: str = ""  # the head of the agency / camat / lurah, as shown to officers
    positions: list[PositionEntry] = []

    @field_validator("positions")
    @classmethod
    def _one_head(cls, value: list[PositionEntry]) -> list[PositionEntry]:
        heads = [p.code for p in value if p.head]
        if value and not heads:
            raise ValueError("no head position: mark the unit's head with head = true")
        if len(heads) > 1:
            raise ValueError(f"two head positions ('{heads[0]}' and '{heads[1]}'): a unit has one head")
        return value


class District(Unit):
    villages: list[Unit] = []


class Agency(Unit):
    sections: list[Unit] = []  # units inside the agency (bidang, sekretariat, UPT)


class Holiday(Strict):
    """One of the tenant's own days off (a local holiday, a cuti bersama): counted as no working day."""

    date: date_type
    name: str = Field("", max_length=200)

    @field_validator("date", mode="before")
    @classmethod
    def _a_date(cls, value) -> date_type:
        from ..calendar import parse_date

        return parse_date(value)  # a TOML date or "YYYY-MM-DD"; a clear message otherwise


class Person(Strict):
    """``[[accounts.people]]``: a user of the tenant (``email``, who has a role in it) with what a
    signed letter prints under their name (issue 14, Permendagri 1/2023): ``nip``, the 18-digit
    NIP (spaces, dots and hyphens ignored; core/identity.py) and ``rank``, the pangkat/golongan
    (e.g. "Pembina Tk. I (IV/b)", at most 60 characters). Empty or left out: none.
    ``title_front`` / ``title_back``: the gelar before and after the name ("Dr.", "S.T., M.Si.";
    at most 40 / 60 characters, letters, digits, spaces and ``. , ' ( ) - / &`` only, no markup;
    core.auth.official.check_title); left out: kept as they are (the admin's page may have set
    them); empty: none."""

    email: str = Field(min_length=3, max_length=254)
    nip: str = ""
    rank: str = Field("", max_length=60)
    title_front: str | None = None
    title_back: str | None = None

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        return Holder._email(value)

    @field_validator("nip")
    @classmethod
    def _nip(cls, value: str) -> str:
        from ..auth.official import check_official
        from ..errors import ValidationError as Invalid

        try:
            return check_official(value, "", "nip")[0] or ""
        except Invalid as exc:
            raise ValueError(exc.message) from None

    @field_validator("rank")
    @classmethod
    def _rank(cls, value: str) -> str:
        return " ".join(value.split())

    @field_validator("title_front", "title_back")
    @classmethod
    def _title(cls, value: str | None, info) -> str:
        from ..auth.official import check_title
        from ..errors import ValidationError as Invalid

        try:
            return check_title(value, info.field_name, "") or ""  # "": none (None: not in the file)
        except Invalid as exc:
            raise ValueError(exc.message) from None

    def titles(self, stored: tuple[str | None, str | None]) -> tuple[str | None, str | None]:
        """The gelar to store, ``(front, back)``, None for none: a side the file leaves out stays
        as ``stored``, an empty one is none."""
        return tuple(old if new is None else (new or None) for new, old in zip((self.title_front, self.title_back), stored))


class Accounts(Strict):
    """``[accounts]``: how people get accounts in this tenant (issue 19.1). ``self_registration``:
    citizens may create their own account (verified by e-mail before it can sign in); off by
    default, accounts then come only from invitations (a role granted by an admin or the CLI).
    ``people``: officials' NIP and rank (``Person``); each e-mail and each NIP at most once."""

    self_registration: bool = False
    people: list[Person] = []

    @field_validator("people")
    @classmethod
    def _once(cls, value: list[Person]) -> list[Person]:
        for label, seen in (("e-mail", [p.email for p in value]), ("NIP", [p.nip for p in value if p.nip])):
            dup = sorted({x for x in seen if seen.count(x) > 1})
            if dup:
                raise ValueError(f"{label} '{dup[0]}' is listed twice")
        return value


class ModuleEntry(Strict):
    enabled: bool = True
    settings: dict = {}


class TenantFile(Strict):
    slug: str = Field(pattern=SLUG)
    name: str = Field(min_length=1, max_length=200)
    kind: Literal["province", "regency", "city"]
    timezone: str
    parent: str = ""
    domains: list[str] = []
    public_url: str = ""  # where citizens reach it, for links in messages (core/links.py)
    locales: list[Literal["id", "en"]] = ["id", "en"]
    branding: Branding = Branding()
    accounts: Accounts = Accounts()
    agencies: list[Agency] = []
    districts: list[District] = []
    modules: dict[str, ModuleEntry] = {}
    holidays: list[Holiday] = []
    extra: dict = {}

    @field_validator("timezone")
    @classmethod
    def _allowed_zone(cls, value: str) -> str:
        from .zones import check_zone

        return check_zone(value)  # WIB, WITA, WIT or one the deployment allows (zones.py)

    @field_validator("domains")
    @classmethod
    def _hosts(cls, value: list[str]) -> list[str]:
        import re

        for host in value:
            if not re.match(HOST, host):
                raise ValueError(f"'{host}' is not a host name (lower case, e.g. layanan.makassarkota.go.id)")
        if len(set(value)) != len(value):
            raise ValueError("a domain is listed twice")
        return value

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str) -> str:
        from urllib.parse import urlsplit

        if not value:
            return value
        try:
            parts = urlsplit(value)
            parts.port  # noqa: B018 - raises on a port that is not a number
        except ValueError:
            parts = None
        if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
            raise ValueError(f"'{value}' is not an http(s) address (e.g. https://layanan.makassarkota.go.id)")
        return value.rstrip("/")

    @field_validator("locales")
    @classmethod
    def _locales(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("name at least one locale")
        return value

    @field_validator("holidays")
    @classmethod
    def _unique_dates(cls, value: list[Holiday]) -> list[Holiday]:
        dates = [h.date for h in value]
        dup = sorted({d for d in dates if dates.count(d) > 1})
        if dup:
            raise ValueError(f"date {dup[0].isoformat()} is listed twice")
        return value

    @field_validator("agencies", "districts")
    @classmethod
    def _unique_codes(cls, value: list[Unit]) -> list[Unit]:
        codes = [u.code for u in value]
        dup = {c for c in codes if codes.count(c) > 1}
        if dup:
            raise ValueError(f"code '{sorted(dup)[0]}' is used twice")
        return value


def _loc(loc: tuple) -> str:
    return ".".join(str(p) if not isinstance(p, int) else f"[{p}]" for p in loc).replace(".[", "[")


def parse_tenant(data: dict, where: str) -> TenantFile:
    """Validate a tenant document; raise one ValidationError naming ``where`` and the key."""
    try:
        data = clean_data(data, where=where)  # text made safe where it enters (core.text)
        doc = TenantFile.model_validate(data)
    except PydanticError as exc:
        err = exc.errors()[0]
        key = _loc(err["loc"])
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = "unknown key"
        elif err["type"] == "missing":
            msg = "is required"
        raise ValidationError(msg, where=f"{where}: {key}" if key else where) from None
    _check_org(doc, where)
    return doc


def org_units(doc: TenantFile):
    """Every unit of the document with its key path: ``(key, kind, unit)``, agencies first."""
    for i, agency in enumerate(doc.agencies):
        yield f"agencies[{i}]", "agency", agency
        for j, section in enumerate(agency.sections):
            yield f"agencies[{i}].sections[{j}]", "section", section
    for i, district in enumerate(doc.districts):
        yield f"districts[{i}]", "district", district
        for j, village in enumerate(district.villages):
            yield f"districts[{i}].villages[{j}]", "village", village


def _check_org(doc: TenantFile, where: str) -> None:
    """What one unit cannot check alone: codes unique across the tenant (sections, positions)."""
    codes: dict[tuple[str, str], str] = {}
    positions: dict[str, str] = {}
    for key, kind, unit in org_units(doc):
        if kind in ("section", "village"):  # agencies and districts: checked per list above
            if (kind, unit.code) in codes:
                raise ValidationError(f"code '{unit.code}' is also used at {codes[(kind, unit.code)]}",
                                      where=f"{where}: {key}.code")
            codes[(kind, unit.code)] = key
        for n, position in enumerate(unit.positions):
            if position.code in positions:
                raise ValidationError(f"position code '{position.code}' is also used at {positions[position.code]}",
                                      where=f"{where}: {key}.positions[{n}].code", code="duplicate_position")
            positions[position.code] = f"{key}.positions[{n}]"


def load_tenant_file(path: str | Path) -> TenantFile:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ValidationError(f"cannot read file ({exc.strerror})", where=str(path)) from None
    except UnicodeDecodeError as exc:
        raise ValidationError(f"is not UTF-8 (byte {exc.start})", where=str(path)) from None
    return parse_tenant_text(text, str(path))


def parse_tenant_bytes(raw: bytes, where: str) -> TenantFile:
    """A tenant file's bytes (an upload, e.g. the operator console's) checked as ``load_tenant_file``
    checks a file: UTF-8, TOML, then the schema; errors name ``where`` (the file's name)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValidationError(f"is not UTF-8 (byte {exc.start})", where=where) from None
    return parse_tenant_text(text, where)


def parse_tenant_text(text: str, where: str) -> TenantFile:
    """A tenant file's text: TOML, then the schema (``parse_tenant``); one ValidationError naming ``where``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError(f"malformed TOML: {exc}", where=where) from None
    except RecursionError:
        raise ValidationError("malformed TOML: nested too deeply", where=where) from None
    return parse_tenant(data, where)


KINDS_HELP = "province, regency or city"
