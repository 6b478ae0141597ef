"""Attendance records (punches) from a CSV file or an attendance machine, and approved excuses.

The CSV format (UTF-8, a header row first)::

    nip,timestamp,kind
    199001012015031001,2026-03-02T07:25:00+08:00,in
    199001012015031001,2026-03-02T16:05:00+08:00,out
    199001012015031001,2026-03-02T07:45:00+08:00,assembly

``timestamp`` is ISO 8601 with the UTC offset of the tenant's zone at that instant (Makassar WITA
+08:00, Jakarta WIB +07:00, Jayapura WIT +09:00); ``kind`` is ``in``, ``out`` or ``assembly`` (apel).
Rows already stored are skipped, so a file may be imported again. Errors (``ValidationError``, nothing
written), ``where`` = ``line N: field``: an unknown or invalid NIP, a row twice in the file, a time
without an offset or with another zone's offset, an unknown kind, a check-out before that day's check-in
(in the file or stored), a check-in after a check-out stored and before any stored check-in, a
time in a month already closed (its TPP can no longer change: corrections are an adjustment), a time
more than ``CLOCK_SKEW`` ahead of now.
"""
from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from core.kit import IdentityError, ValidationError, audit, db, identity_lookup, tenant_scope, utcnow

from . import _l
from .days import KINDS
from .labels import month_words
from .models import Employee, Excuse, Punch, Run
from .refusals import Problems, at_row, in_file, refuse

EXCUSE_KINDS = ("leave", "duty_travel")
CLOCK_SKEW = timedelta(minutes=5)  # how far ahead of the server a machine's clock may be


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def parse_time(value: str, zone: str, where: str) -> datetime:
    """An ISO 8601 instant carrying the offset of ``zone`` at that instant, as UTC. ``where``
    ``line N: column`` (a file) or a field's name (the machines' API)."""
    def refused(local):
        if where.startswith("line "):
            line, _, column = where[5:].partition(": ")
            return at_row(int(line), column, local)
        return refuse(ValidationError, local, where=where)

    try:
        at = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise refused(_l("%(value)s is not a time as ISO 8601 writes it (2026-03-02T07:25:00+08:00).",
                         value=value[:40])) from None
    if at.tzinfo is None:
        raise refused(_l("%(value)s has no UTC offset: add the tenant's, e.g. +08:00.", value=value[:40]))
    expected = at.astimezone(ZoneInfo(zone)).utcoffset()
    if at.utcoffset() != expected:
        hours = f"{expected.total_seconds() / 3600:+g}"
        raise refused(_l("%(value)s is not in the tenant's time zone %(zone)s (UTC%(hours)s).", value=value[:40],
                         zone=zone, hours=hours))
    return at.astimezone(timezone.utc)


def closed_months(tenant) -> set[tuple[int, int]]:
    """The tenant's closed months, ``{(year, month)}``: immutable (``runs.MonthClosed``)."""
    with tenant_scope(tenant):
        return set(db.session.execute(db.select(Run.year, Run.month).where(Run.status == "closed")).all())


def refuse_closed(closed: set, line: int, column: str, first: date, last: date | None = None) -> None:
    """A file's row about ``first`` .. ``last`` (local dates) touching a closed month is refused by
    line: its TPP can no longer change, and storing the row would say otherwise."""
    year, month = first.year, first.month
    last = last or first
    while (year, month) <= (last.year, last.month):
        if (year, month) in closed:
            raise at_row(line, column, _l("%(month)s is closed: nothing recorded for it can change it any "
                                          "more; corrections go into a later month as an adjustment.",
                                          month=month_words(year, month)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def check_punches(tenant, rows: list[dict]) -> list[tuple[int, datetime, str]]:
    """``rows`` of ``{"line", "nip", "timestamp", "kind"}`` checked: ``(employee_id, UTC, kind)`` each."""
    zone = ZoneInfo(tenant.timezone)
    with tenant_scope(tenant):
        ids = dict(db.session.execute(db.select(Employee.nip_hash, Employee.id)).all())
    closed = closed_months(tenant)
    now = utcnow()
    today, latest = now.astimezone(zone).date(), now + CLOCK_SKEW
    seen: dict[tuple, int] = {}
    first_in: dict[tuple, tuple[datetime, int]] = {}
    last_out: list[tuple[tuple, datetime, int]] = []
    out, problems = [], Problems()
    for row in rows:
        with problems.row():
            line = row["line"]
            try:
                employee_id = ids.get(identity_lookup("nip", row.get("nip", "")))
            except IdentityError as exc:
                raise at_row(line, "nip", exc.message) from None
            if employee_id is None:
                raise no_employee(line, row.get("nip"))
            kind = (row.get("kind") or "").strip().lower()
            if kind not in KINDS:
                raise not_one_of(line, "kind", KINDS)
            at = parse_time(row.get("timestamp") or "", tenant.timezone, f"line {line}: timestamp")
            local = at.astimezone(zone).date()
            if at > latest or local > today:  # a machine's clock a little ahead (CLOCK_SKEW) is tolerated
                raise at_row(line, "timestamp", _l("%(value)s has not come yet.", value=(row.get("timestamp") or "")[:40]))
            refuse_closed(closed, line, "timestamp", local)
            key = (employee_id, at, kind)
            if key in seen:
                raise at_row(line, "",
                             _l("The same record as line %(other)s.", other=seen[key]))
            seen[key] = line
            day = (employee_id, at.astimezone(zone).date())
            if kind == "in" and (day not in first_in or at < first_in[day][0]):
                first_in[day] = (at, line)
            elif kind == "out":
                last_out.append((day, at, line))
            out.append(key)
    stored_in, stored_out = _stored_bounds(tenant, {day for day, _at, _line in last_out} | set(first_in))
    for day, at, line in last_out:  # before the day's first check-in, the file's or a stored one
        if day in first_in and at < first_in[day][0] and not (day in stored_in and stored_in[day] <= at):
            problems.found.append(at_row(line, "timestamp",
                                         _l("A check-out before the check-in of line %(other)s.", other=first_in[day][1])))
        elif day in stored_in and at < stored_in[day] and not (day in first_in and first_in[day][0] <= at):
            problems.found.append(at_row(line, "timestamp", _l("A check-out before the check-in stored at %(time)s.",
                                                               time=f"{stored_in[day].astimezone(zone):%H:%M}")))
    for day, (at, line) in first_in.items():  # the day's first check-in after a check-out stored already
        if day not in stored_in and day in stored_out and stored_out[day] < at:
            problems.found.append(at_row(line, "timestamp", _l("A check-in after the check-out stored at %(time)s.",
                                                               time=f"{stored_out[day].astimezone(zone):%H:%M}")))
    problems.found.sort(key=lambda p: int(p.where.split(":")[0][5:]) if p.where.startswith("line ") else 0)
    problems.raise_any()
    return out


def _stored_bounds(tenant, days: set[tuple[int, date]]) -> tuple[dict, dict]:
    """Of the stored punches of ``days`` ({(employee_id, local day)}): each day's first check-in and
    first check-out (UTC), ``({day: at}, {day: at})``, so that a file is checked with what is stored."""
    if not days:
        return {}, {}
    zone = ZoneInfo(tenant.timezone)
    low = datetime.combine(min(d for _e, d in days), time.min, zone).astimezone(timezone.utc)
    high = datetime.combine(max(d for _e, d in days), time.max, zone).astimezone(timezone.utc)
    first_in, first_out = {}, {}
    with tenant_scope(tenant):
        rows = db.session.execute(db.select(Punch.employee_id, Punch.at, Punch.kind).where(
            Punch.employee_id.in_(sorted({e for e, _d in days})), Punch.at >= low, Punch.at <= high,
            Punch.kind.in_(("in", "out")))).all()
    for employee_id, at, kind in rows:
        at = _utc(at)
        day = (employee_id, at.astimezone(zone).date())
        found = first_in if kind == "in" else first_out
        if day in days and (day not in found or at < found[day]):
            found[day] = at
    return first_in, first_out


def no_employee(line: int, nip) -> ValidationError:
    return at_row(line, "nip", _l("No employee has NIP %(nip)s.", nip=nip))


def not_one_of(line: int, column: str, allowed) -> ValidationError:
    return at_row(line, column,
                  _l("Write one of: %(allowed)s.", allowed=", ".join(allowed)))


def store_punches(tenant, actor, punches: list[tuple[int, datetime, str]], source: str) -> dict:
    """Add the checked punches not stored yet; returns ``{"added", "skipped"}``. Audited."""
    counts = {"added": 0, "skipped": 0}
    if not punches:
        return counts
    with tenant_scope(tenant):
        low, high = min(p[1] for p in punches), max(p[1] for p in punches)
        stored = {(e, _utc(a), k) for e, a, k in db.session.execute(
            db.select(Punch.employee_id, Punch.at, Punch.kind).where(Punch.at >= low, Punch.at <= high)).all()}
        new = [p for p in punches if p not in stored]
        db.session.add_all(Punch(employee_id=e, at=a, kind=k, source=source) for e, a, k in new)
        db.session.flush()
        counts = {"added": len(new), "skipped": len(punches) - len(new)}
        audit(tenant, actor, "remuneration.attendance.import", "attendance", source, after=counts)
    return counts


def read_csv(data: bytes, filename: str) -> list[dict]:
    return read_csv_columns(data, filename, ("nip", "timestamp", "kind"))


def read_csv_columns(data: bytes, filename: str, required: tuple) -> list[dict]:
    """The rows of a UTF-8 CSV file with a header, each with its ``line``; the ``required`` columns
    must be in the header."""
    try:
        reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
        rows = [{"line": n, **{(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}}
                for n, row in enumerate(reader, start=2)]
    except (UnicodeDecodeError, csv.Error):
        raise in_file(_l("Not a CSV file in UTF-8.")) from None
    missing = [c for c in required if c not in [(f or "").strip().lower() for f in reader.fieldnames or []]]
    if missing:
        raise at_row(1, "", _l("The header lacks the column(s) %(columns)s.", columns=", ".join(missing)))
    return rows


def import_attendance(tenant, actor, data: bytes, filename: str = "attendance.csv") -> dict:
    """Check the whole file, then store it (see the module docstring for the format and errors)."""
    return store_punches(tenant, actor, check_punches(tenant, read_csv(data, filename)), filename[:20])


def add_excuse(tenant, actor, employee_id: int, kind: str, first_day, last_day, reference: str = "") -> Excuse:
    """Record an approved leave or duty travel (inclusive local dates). Audited."""
    if kind not in EXCUSE_KINDS:
        raise refuse(ValidationError, _l("Choose one of: %(kinds)s.", kinds=", ".join(EXCUSE_KINDS)), where="kind")
    if last_day < first_day:
        raise refuse(ValidationError, _l("The last day is before the first."), where="last_day")
    with tenant_scope(tenant):
        excuse = Excuse(employee_id=employee_id, kind=kind, first_day=first_day, last_day=last_day, reference=reference)
        db.session.add(excuse)
        db.session.flush()
        audit(tenant, actor, "remuneration.excuse.add", "excuse", excuse.id,
              after={"employee": employee_id, "kind": kind, "from": first_day, "to": last_day})
    return excuse
