"""The other inputs of a run, from CSV files (a header row first; UTF-8):

- approved activity logs: ``nip,day,minutes,points`` (``day`` ISO date; minutes and points whole
  numbers from 0; a row is an activity its supervisor approved in the source system, e-Kinerja, and
  is stored approved, decided by ``file:NAME``; logs approved in this app are ``activities.py``);
- approved excuses: ``nip,kind,first_day,last_day,reference`` (``kind`` ``leave`` or ``duty_travel``);
- disciplinary sanctions (hukuman disiplin) decided by the personnel agency:
  ``nip,code,first_month,last_month`` (``code`` one of the rule sets' ``sanctions``, months ``YYYY-MM``,
  inclusive): each month in between loses the code's share of TPP.

Errors (``ValidationError``, nothing written; every bad line at once, ``refusals.all_at_once``, its
``problems`` each with ``where`` = ``line N: field``): an unknown or invalid
NIP, a date that is not ISO, a negative or non-integer number, an unknown kind, a last day before the
first, a sanction code no rule set names, a month that is not ``YYYY-MM``, a row touching a closed month
(immutable: corrections are adjustments), an activity on a day not come yet. Audited per file.
"""
from __future__ import annotations

from datetime import date

from zoneinfo import ZoneInfo

from core.kit import IdentityError, audit, db, identity_lookup, tenant_scope, utcnow

from . import _l
from .attendance import EXCUSE_KINDS, closed_months, no_employee, not_one_of, read_csv_columns, refuse_closed
from .models import Activity, Employee, Excuse, Sanction
from .refusals import Problems, at_row
from .rules import parse_rules
from .runs import month_of
from .settings import settings_of


def _employees(tenant) -> dict[str, int]:
    with tenant_scope(tenant):
        return dict(db.session.execute(db.select(Employee.nip_hash, Employee.id)).all())


def _employee(ids: dict, row: dict) -> int:
    try:
        found = ids.get(identity_lookup("nip", row.get("nip", "")))
    except IdentityError as exc:
        raise at_row(row["line"], "nip", exc.message) from None
    if found is None:
        raise no_employee(row["line"], row.get("nip"))
    return found


def _day(row: dict, key: str) -> date:
    try:
        return date.fromisoformat(row.get(key, ""))
    except ValueError:
        raise at_row(row["line"], key,
                     _l("%(value)s is not a date (YYYY-MM-DD).", value=(row.get(key) or "")[:40])) from None


def _bounded(row: dict, key: str, highest: int) -> int:
    value = (row.get(key) or "0").strip()
    if not value.isdigit() or int(value) > highest:
        raise at_row(row["line"], key, _l("%(value)s is not a whole number from 0 to %(n)s.", value=value[:40], n=highest))
    return int(value)


def import_activities(tenant, actor, data: bytes, filename: str = "activities.csv") -> dict:
    """Approved activity logs; returns ``{"added", "skipped"}``. Minutes and points are bounded as on
    the page (``activities.MAX_MINUTES``, a day's 1440, and ``MAX_POINTS``), and a day's minutes of an
    employee (those stored and not rejected, and the file's) at most ``MAX_MINUTES``. A row the
    same as one stored (employee, day, minutes, points, description) is skipped, so a file may be
    imported again (as attendance); the same row twice in the file is refused."""
    from .activities import MAX_MINUTES, MAX_POINTS, over_the_day, over_the_day_said

    rows = read_csv_columns(data, filename, ("nip", "day", "minutes"))
    ids, closed = _employees(tenant), closed_months(tenant)
    now = utcnow()
    today = now.astimezone(ZoneInfo(tenant.timezone)).date()
    checked, seen, problems = [], {}, Problems()
    for r in rows:
        with problems.row():
            employee_id, day = _employee(ids, r), _day(r, "day")
            if day > today:
                raise at_row(r["line"], "day", _l("%(value)s has not come yet.", value=day.isoformat()))
            refuse_closed(closed, r["line"], "day", day)
            key = (employee_id, day, _bounded(r, "minutes", MAX_MINUTES), _bounded(r, "points", MAX_POINTS),
                   (r.get("description") or "")[:500])
            if key in seen:
                raise at_row(r["line"], "", _l("The same record as line %(other)s.", other=seen[key]))
            seen[key] = r["line"]
            checked.append((key, r["line"]))
    problems.raise_any()
    with tenant_scope(tenant):
        stored = set()
        if checked:
            days = {k[1] for k, _ in checked}
            stored = {tuple(row) for row in db.session.execute(db.select(
                Activity.employee_id, Activity.day, Activity.minutes, Activity.points, Activity.description)
                .where(Activity.day >= min(days), Activity.day <= max(days)))}
        new = [(k, line) for k, line in checked if k not in stored]
        for index, total in over_the_day([(e, d, m) for (e, d, m, _p, _t), _line in new]):  # the page's rule
            problems.found.append(at_row(new[index][1], "minutes", over_the_day_said(new[index][0][1], total)))
        problems.raise_any()
        db.session.add_all(Activity(employee_id=e, day=d, minutes=m, points=p, description=text, approved=True,
                                    logged_at=now, decided_at=now, decided_by=f"file:{filename[:200]}")
                           for (e, d, m, p, text), _line in new)
        db.session.flush()
        counts = {"added": len(new), "skipped": len(checked) - len(new)}
        audit(tenant, actor, "remuneration.activities.import", "file", filename[:100], after=counts)
    return counts


def import_excuses(tenant, actor, data: bytes, filename: str = "excuses.csv") -> dict:
    """Approved leave and duty travel; returns ``{"added"}``."""
    rows = read_csv_columns(data, filename, ("nip", "kind", "first_day", "last_day"))
    ids, closed = _employees(tenant), closed_months(tenant)
    items, problems = [], Problems()
    for r in rows:
        with problems.row():
            employee_id = _employee(ids, r)
            kind = (r.get("kind") or "").lower()
            if kind not in EXCUSE_KINDS:
                raise not_one_of(r["line"], "kind", EXCUSE_KINDS)
            first, last = _day(r, "first_day"), _day(r, "last_day")
            if last < first:
                raise at_row(r["line"], "last_day", _l("The last day is before the first."))
            refuse_closed(closed, r["line"], "first_day", first, last)
            items.append(Excuse(employee_id=employee_id, kind=kind, first_day=first, last_day=last,
                                reference=(r.get("reference") or "")[:100]))
    problems.raise_any()
    with tenant_scope(tenant):
        db.session.add_all(items)
        db.session.flush()
        audit(tenant, actor, "remuneration.excuses.import", "file", filename[:100], after={"added": len(items)})
    return {"added": len(items)}


def _month(row: dict, key: str) -> date:
    value = row.get(key) or ""
    found = month_of(value)  # the module's one month parser (2000-2100)
    if found is None:
        raise at_row(row["line"], key, _l("%(value)s is not a month (YYYY-MM).", value=value[:40]))
    return date(*found, 1)


def import_sanctions(tenant, actor, data: bytes, filename: str = "sanctions.csv") -> dict:
    """Disciplinary sanctions; returns ``{"added"}``."""
    rows = read_csv_columns(data, filename, ("nip", "code", "first_month", "last_month"))
    codes = {code for rule in parse_rules(settings_of(tenant)["rules"]) for code in rule.sanctions}
    ids, closed = _employees(tenant), closed_months(tenant)
    items, problems = [], Problems()
    for r in rows:
        with problems.row():
            employee_id = _employee(ids, r)
            if r.get("code") not in codes:
                raise at_row(r["line"], "code",
                             _l("%(code)s is not a sanction of the rules (%(codes)s).", code=(r.get("code") or "")[:40],
                                codes=", ".join(sorted(codes))))
            first, last = _month(r, "first_month"), _month(r, "last_month")
            if last < first:
                raise at_row(r["line"], "last_month",
                             _l("The last month is before the first."))
            refuse_closed(closed, r["line"], "first_month", first, last)
            items.append(Sanction(employee_id=employee_id, code=r["code"], first_month=first, last_month=last))
    problems.raise_any()
    with tenant_scope(tenant):
        db.session.add_all(items)
        db.session.flush()
        audit(tenant, actor, "remuneration.sanctions.import", "file", filename[:100], after={"added": len(items)})
    return {"added": len(items)}
