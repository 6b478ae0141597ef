"""Working days of a tenant: a core service every module may count deadlines with.

A working day is a Monday to Friday that is neither one of Indonesia's national holidays nor a
day of *cuti bersama* (the joint leave of government employees), both taken from the well-kept
``holidays`` library (its ``public`` and ``government`` categories), nor one of the tenant's own
extra days off (local holidays, a *cuti bersama* decreed after the library's release), listed in
its TOML as ``[[holidays]]`` with a ``date`` and a ``name``.

Deadlines in working days end with the working day: "within 3 working days" of a complaint filed
on Monday is the end of Thursday (23:59:59 in the tenant's time zone); the day of filing is not
counted, and a filing on a day off counts from the next working day, as offices do.

    from core.kit import calendar_of
    cal = calendar_of(tenant)
    due = cal.working_days_after(filed_at, 3)      # a UTC datetime
    cal.working_days_between(date1, date2)         # working days in [date1, date2)
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays as holiday_library

WEEKEND = (5, 6)  # Saturday, Sunday
COUNTRY = "ID"
CATEGORIES = ("public", "government")  # national holidays and cuti bersama
END_OF_DAY = time(23, 59, 59)
MAX_DAYS = 3660  # a count of working days larger than ten years is a mistake, not a deadline


@lru_cache(maxsize=128)
def national_holidays(year: int) -> dict[date, str]:
    """Indonesia's national holidays and cuti bersama of ``year``, named in Indonesian."""
    found = holiday_library.country_holidays(COUNTRY, years=year, categories=CATEGORIES, language="id")
    return dict(found.items())


def parse_date(value) -> date:
    """A holiday's date: a ``date`` (a TOML date) or ``YYYY-MM-DD``; a clear ValueError otherwise."""
    if isinstance(value, datetime):
        raise ValueError(f"'{value.isoformat()}' has a time: give a date alone (YYYY-MM-DD)")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            if len(value.strip()) != 10:
                raise ValueError
            return date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"'{value}' is not a date (YYYY-MM-DD, e.g. 2026-03-20)") from None
    raise ValueError(f"{value!r} is not a date (YYYY-MM-DD, e.g. 2026-03-20)")


class WorkingCalendar:
    """The working days of one tenant: national days off, its own extra days, and its time zone."""

    def __init__(self, zone: str = "Asia/Jakarta", extra: dict[date, str] | None = None,
                 weekend: tuple[int, ...] = WEEKEND):
        self.zone = zone
        self.tz = ZoneInfo(zone)
        self.extra = dict(extra or {})
        self.weekend = tuple(weekend)

    # -- days ---------------------------------------------------------------------------------------

    def holiday_name(self, day: date) -> str | None:
        """The name of the day off, or None for a weekday that is worked (weekends are not named)."""
        if day in self.extra:
            return self.extra[day] or day.isoformat()  # a day off, even unnamed
        return national_holidays(day.year).get(day)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() not in self.weekend and self.holiday_name(day) is None

    def holidays(self, start: date, end: date) -> list[tuple[date, str]]:
        """Days off in ``[start, end)`` that fall on weekdays, with their names (for pages and reports)."""
        out = []
        day = start
        while day < end:
            if day.weekday() not in self.weekend:
                name = self.holiday_name(day)
                if name:
                    out.append((day, name))
            day += timedelta(days=1)
        return out

    def add_working_days(self, start: date, count: int) -> date:
        """The ``count``-th working day after ``start`` (``start`` itself not counted); 0 gives ``start``."""
        if not 0 <= count <= MAX_DAYS:
            raise ValueError(f"a count of working days must be between 0 and {MAX_DAYS}")
        day = start
        while count:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days lie in ``[start, end)`` (0 when ``end`` is not after ``start``)."""
        count = 0
        day = start
        while day < end:
            if self.is_working_day(day):
                count += 1
            day += timedelta(days=1)
        return count

    # -- instants -----------------------------------------------------------------------------------

    def local_date(self, when: datetime) -> date:
        """The tenant's local date at the UTC instant ``when`` (naive values are taken as UTC)."""
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        return when.astimezone(self.tz).date()

    def end_of_day(self, day: date) -> datetime:
        """23:59:59 of ``day`` in the tenant's zone, as a UTC datetime."""
        return datetime.combine(day, END_OF_DAY, tzinfo=self.tz).astimezone(timezone.utc)

    def working_days_after(self, when: datetime, count: int) -> datetime:
        """The deadline ``count`` working days after the instant ``when``: the end of that day."""
        return self.end_of_day(self.add_working_days(self.local_date(when), count))

    def working_days_in(self, start: datetime, end: datetime) -> int:
        """Working days touched by the span ``[start, end)``: from the day it began up to, but not
        including, the day it ended (a pause begun and ended on the same day counts none)."""
        return self.working_days_between(self.local_date(start), self.local_date(end))


def tenant_holidays(tenant) -> dict[date, str]:
    """The tenant's own extra days off, from its applied TOML (``tenants.holidays``)."""
    return {parse_date(row["date"]): row.get("name", "") or "" for row in (getattr(tenant, "holidays", None) or [])}


def calendar_of(tenant) -> WorkingCalendar:
    """The working calendar of ``tenant``: its time zone, national days off and its own."""
    return WorkingCalendar(tenant.timezone, tenant_holidays(tenant))


__all__ = ["WorkingCalendar", "calendar_of", "national_holidays", "parse_date", "tenant_holidays"]
