"""A month with missing data (remuneration re-trial, issue 16: October, with no attendance at all,
was run and closed without a word): before a month is run or closed, how many of its employees
have neither an attendance record nor an approved leave or duty travel on its working days that
have ended (the tenant's zone). Running or closing it anyway takes a confirmation: on the pages a
second form that says the count, on the CLI ``--force`` (else one line, exit 2)."""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from core.kit import calendar_of, db, tenant_scope, utcnow

from . import _l
from .models import Employee, Excuse, Punch
from .runs import _month


def without_data(tenant, year: int, month: int) -> tuple[int, int]:
    """``(missing, employees)``: the employees of ``year``-``month`` (active, employed on one of its
    days) and how many of them have no attendance record and no excuse in its ended working days.
    ``(0, n)`` when none of its working days has ended yet (nothing can be missing)."""
    first, last = _month(year, month)
    zone = ZoneInfo(tenant.timezone)
    today = utcnow().astimezone(zone).date()
    cal = calendar_of(tenant)
    ended = [first + timedelta(days=i) for i in range(last.day)
             if first + timedelta(days=i) < today and cal.is_working_day(first + timedelta(days=i))]
    with tenant_scope(tenant):
        employees = {i for i, start, end in db.session.execute(
            db.select(Employee.id, Employee.started_on, Employee.ended_on).where(Employee.active.is_(True)))
            if (start is None or start <= last) and (end is None or end >= first)}
        if not ended or not employees:
            return 0, len(employees)
        since = datetime.combine(ended[0], time.min, tzinfo=zone).astimezone(timezone.utc)
        until = datetime.combine(ended[-1] + timedelta(days=1), time.min, tzinfo=zone).astimezone(timezone.utc)
        seen = set(db.session.execute(db.select(Punch.employee_id).where(Punch.at >= since, Punch.at < until)
                                      .distinct()).scalars())
        seen |= set(db.session.execute(db.select(Excuse.employee_id).where(
            Excuse.first_day <= ended[-1], Excuse.last_day >= ended[0]).distinct()).scalars())
    return len(employees - seen), len(employees)


def warning(missing: int, total: int, label: str):
    """What the confirmation says (lazy, the reader's language)."""
    return _l("%(missing)s of %(total)s employees have no attendance record and no leave or duty travel "
              "in %(month)s.", missing=missing, total=total, month=label)
