"""A tenant's time zone is one of Indonesia's three, unless the deployment allows others.

Indonesia keeps three zones (Peraturan Presiden No. 41/1987 on the division of time zones):
WIB ``Asia/Jakarta`` (UTC+7), WITA ``Asia/Makassar`` (UTC+8) and WIT ``Asia/Jayapura`` (UTC+9).
A deployment that serves somewhere else lists more IANA zones, comma-separated, in
``PAMONG_EXTRA_TIMEZONES`` (e.g. ``Asia/Dili``); each must be a real zone, or start-up stops.
"""
from __future__ import annotations

import os
import zoneinfo

from ..errors import ValidationError

INDONESIA = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}
SETTING = "PAMONG_EXTRA_TIMEZONES"


def parse_extra(raw: str) -> tuple[str, ...]:
    """The zones a ``PAMONG_EXTRA_TIMEZONES`` value names; ValidationError naming the setting for
    one that is not an IANA zone."""
    zones = tuple(z.strip() for z in (raw or "").split(",") if z.strip())
    for zone in zones:
        if zone not in zoneinfo.available_timezones():
            raise ValidationError(f"'{zone}' is not an IANA time zone (e.g. Asia/Dili)", where=SETTING)
    return zones


def extra_zones() -> tuple[str, ...]:
    """The deployment's extra zones: the app's config in an app context, else the environment."""
    from flask import current_app, has_app_context

    if has_app_context():
        return parse_extra(current_app.config.get(SETTING, ""))
    return parse_extra(os.environ.get(SETTING, ""))


def allowed_zones() -> tuple[str, ...]:
    return tuple(INDONESIA) + tuple(z for z in extra_zones() if z not in INDONESIA)


def check_zone(value: str) -> str:
    """Return ``value`` if a tenant may use it; ValueError with the allowed zones otherwise."""
    allowed = allowed_zones()
    if value not in allowed:
        names = ", ".join(f"{z} ({INDONESIA[z]})" if z in INDONESIA else z for z in allowed)
        hint = "" if value in zoneinfo.available_timezones() else "unknown "
        raise ValueError(f"{hint}time zone '{value}' is not allowed here (one of: {names}; "
                         f"more with {SETTING})")
    return value


def zone_name(zone: str, at=None) -> str:
    """The short name of ``zone`` that people read beside a time: WIB, WITA or WIT for Indonesia's
    three zones, else the offset, "UTC+10:00" (at ``at``, an aware datetime; now when None)."""
    if zone in INDONESIA:
        return INDONESIA[zone]
    from datetime import datetime, timezone

    offset = (at or datetime.now(timezone.utc)).astimezone(zoneinfo.ZoneInfo(zone)).strftime("%z")
    return f"UTC{offset[:3]}:{offset[3:]}" if offset not in ("", "+0000") else "UTC"
