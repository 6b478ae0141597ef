"""Employees from a CSV or XLSX file (columns ``nip,name,agency,position_class[,email,supervisor_email,position,start,end]``,
a header row first): added when new, updated when changed, every changed field kept in the history.

``position`` is the code of a position (jabatan) of the core's organisation (the tenant file's
``positions``). With it, ``agency`` may be left empty when the position's unit is an agency (it is
taken from there), and ``position_class`` when the settings' ``position_classes`` map the position
(the class is the module's own attribute of the core position; a run takes it from the settings,
so a class changed there applies to every employee in that position from the next run of an open
month).

``start`` and ``end`` are the first and the last day of employment (TMT / tanggal mulai, tanggal
berhenti; ISO dates ``YYYY-MM-DD``, inclusive), both optional: a column left out changes nothing, an
empty cell clears the date (open). ``end`` before ``start`` is refused.

Errors (``ValidationError``, nothing written): ``where`` = ``line N: field``: a NIP the core refuses
(PermenPAN-RB / BKN NIP rules, ``core.identity``), the same NIP twice, an agency that is not one of
the tenant's, a position class without a TPP ceiling in the settings, an empty name, an ``email`` or
``supervisor_email`` that is not an e-mail address; a position the
core's organisation does not have (active), in another agency than the row's, or whose mapped class
differs from the row's.
"""
from __future__ import annotations

import csv
import io
from datetime import date, datetime

from core.kit import (
    IdentityError, ValidationError, active_positions, audit, clean_text, db, identity_lookup, normalise_email,
    normalise_nip, tenant_scope,
)

from . import _l
from .models import Employee, EmployeeChange
from .refusals import all_at_once, at_row, in_file, refuse
from .settings import agency_codes, settings_of

COLUMNS = ("nip", "name", "agency", "position_class", "email", "supervisor_email", "position")
REQUIRED = ("nip", "name")  # agency and position_class too, unless the row's core position gives them
TRACKED = ("name", "agency", "position_class", "position_code", "email", "supervisor_email")
DATES = {"start": "started_on", "end": "ended_on"}  # file column -> Employee attribute


def _refused(where: str, local) -> ValidationError:
    """``where`` ``line N: column`` (a file) or a form field's name (the admin page)."""
    if where.startswith("line "):
        line, _, column = where[5:].partition(": ")
        return at_row(int(line), column, local)
    return refuse(ValidationError, local, where=where)


def parse_day(text: str, where: str) -> date | None:
    """An ISO date (``2026-03-16``; an XLSX date cell reads ``2026-03-16 00:00:00``) or None when empty."""
    text = (text or "").strip()
    if not text:
        return None
    if len(text) == 19 and text.endswith(" 00:00:00"):
        text = text[:10]
    try:
        return date.fromisoformat(text) if len(text) == 10 else datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise _refused(where, _l("%(value)s is not a date (YYYY-MM-DD).", value=text[:40])) from None


def check_employment(start: date | None, end: date | None, where: str) -> None:
    if start is not None and end is not None and end < start:
        raise _refused(where, _l("The end of employment %(end)s is before its start %(start)s.", end=end.isoformat(),
                          start=start.isoformat()))


def rows_of(data: bytes, filename: str) -> list[dict]:
    """The rows of a CSV (UTF-8) or XLSX file as dicts keyed by the header, with their line number."""
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        except Exception:  # openpyxl raises many kinds for a file that is not a workbook
            raise in_file(_l("Not a readable XLSX workbook.")) from None
        table = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    else:
        try:
            table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        except (UnicodeDecodeError, csv.Error):
            raise in_file(_l("Not a CSV file in UTF-8.")) from None
    if not table:
        raise in_file(_l("The file is empty."))
    header = [h.strip().lower() for h in table[0]]
    return [{"line": n, **{h: clean_text(v).strip() for h, v in zip(header, row)}}
            for n, row in enumerate(table[1:], start=2) if any(str(v).strip() for v in row)]


def _position(row: dict, positions: dict[str, dict], mapping: dict[str, str]) -> None:
    """Fill ``agency`` and ``position_class`` of a row from its core ``position`` where they are
    empty, and check them against it where they are not; sets ``position_code``."""
    line, code = row["line"], row["position"]
    found = positions.get(code)
    if found is None:
        raise at_row(line, "position",
                     _l("Position %(code)s is not an active position of the organisation.", code=code))
    if found["unit_kind"] == "agency":
        if not row.get("agency"):
            row["agency"] = found["unit_code"]
        elif row["agency"] != found["unit_code"]:
            raise at_row(line, "agency",
                         _l("Position %(code)s is in agency %(unit)s, not %(agency)s.", code=code,
                            unit=found["unit_code"], agency=row["agency"]))
    if code in mapping:
        if not row.get("position_class"):
            row["position_class"] = mapping[code]
        elif row["position_class"] != mapping[code]:
            raise at_row(line, "position_class",
                         _l("Position %(code)s is class %(cls)s in the settings, not %(given)s.", code=code,
                            cls=mapping[code], given=row["position_class"]))
    row["position_code"] = code


def _check(tenant, rows: list[dict]) -> list[dict]:
    """The rows checked and completed (``nip`` normalised, ``position_code``, dates); every problem
    of every row is found before anything is refused: one ``ValidationError`` for them all
    (``refusals.all_at_once``: the first 50 said, with how many more)."""
    agencies = agency_codes(tenant)
    settings = settings_of(tenant)
    ceilings = {row["position_class"] for row in settings["ceilings"]}
    mapping = settings.get("position_classes") or {}
    positions = {p["code"]: p for p in active_positions(tenant)} if any(r.get("position") for r in rows) else {}
    seen: dict[str, int] = {}
    problems: list[ValidationError] = []
    for row in rows:
        problems += _check_row(row, seen, agencies, ceilings, positions, mapping)
    if problems:
        raise all_at_once(problems)
    return rows


def _check_row(row: dict, seen: dict[str, int], agencies, ceilings, positions, mapping) -> list[ValidationError]:
    """Every problem of one row (a cell's once; a cell that follows from a refused one is not
    checked again); ``seen`` {nip: line} of the rows before it."""
    line, found = row["line"], []
    if "position" in row:
        if row["position"]:
            try:
                _position(row, positions, mapping)
            except ValidationError as exc:
                found.append(exc)
        else:
            row["position_code"] = ""  # the column is there and empty: no core position (any earlier one ends)
    position_refused = bool(found)
    for column in (*REQUIRED, "agency", "position_class"):
        if not row.get(column) and not (position_refused and column in ("agency", "position_class")):
            # a file's cell, or a field of the admin's form (line 0: "Nama: Wajib diisi.", not "Sel kosong.")
            found.append(at_row(line, column, _l("The cell is empty.") if line else _l("Required.")))
    if row.get("nip"):
        try:
            row["nip"] = normalise_nip(row["nip"])
        except IdentityError as exc:
            found.append(at_row(line, "nip", exc.message))
        else:
            if row["nip"] in seen:
                found.append(at_row(line, "nip", _l("The same NIP as line %(other)s.", other=seen[row["nip"]])))
            else:
                seen[row["nip"]] = line
    if row.get("agency") and row["agency"] not in agencies:
        found.append(at_row(line, "agency", _l("%(agency)s is not an agency here.", agency=row["agency"])))
    if row.get("position_class") and ceilings and row["position_class"] not in ceilings:
        found.append(at_row(line, "position_class",
                            _l("Position class %(cls)s has no TPP ceiling in the settings.", cls=row["position_class"])))
    for column in ("email", "supervisor_email"):  # an account's address, checked as the core's mail checks it
        if row.get(column):
            try:
                normalise_email(row[column], column)
            except ValidationError:
                found.append(at_row(line, column, _l("%(value)s is not an e-mail address.", value=row[column][:80])))
    if len(row.get("name") or "") > 200:
        found.append(at_row(line, "name", _l("Longer than 200 characters.")))
    dated = True
    for column, attribute in DATES.items():
        if column in row:
            try:
                row[attribute] = parse_day(row[column], f"line {line}: {column}")
            except ValidationError as exc:
                found.append(exc)
                dated = False
    if dated:
        try:
            check_employment(row.get("started_on"), row.get("ended_on"), f"line {line}: end")
        except ValidationError as exc:
            found.append(exc)
    return found


def import_employees(tenant, actor, data: bytes, filename: str = "employees.csv") -> dict:
    """Add or update the file's employees; returns ``{"added", "updated", "unchanged"}``. Audited."""
    rows = _check(tenant, rows_of(data, filename))
    counts = {"added": 0, "updated": 0, "unchanged": 0}
    with tenant_scope(tenant):
        hashes = {identity_lookup("nip", row["nip"]): row for row in rows}
        known = {e.nip_hash: e for e in db.session.execute(
            db.select(Employee).where(Employee.nip_hash.in_(list(hashes)))).scalars()} if hashes else {}
        for digest, row in hashes.items():
            values = {k: row.get(k, "") or "" for k in TRACKED}
            dates = {k: row[k] for k in DATES.values() if k in row}
            employee = known.get(digest)
            if employee is None:
                db.session.add(Employee(nip=row["nip"], **values, **dates))
                counts["added"] += 1
                continue
            if dates:  # only one of the two columns: the other date is the record's, checked together
                check_employment(dates.get("started_on", employee.started_on), dates.get("ended_on", employee.ended_on),
                                 f"line {row['line']}: {'end' if 'ended_on' in dates else 'start'}")
            changed = [k for k in TRACKED if k in row and getattr(employee, k) != values[k]]
            for key in changed:
                db.session.add(EmployeeChange(employee_id=employee.id, field=key, before=getattr(employee, key),
                                              after=values[key], source=filename[:40]))
                setattr(employee, key, values[key])
            moved = [k for k, v in dates.items() if getattr(employee, k) != v]
            for key in moved:
                db.session.add(EmployeeChange(employee_id=employee.id, field=key, before=_iso(getattr(employee, key)),
                                              after=_iso(dates[key]), source=filename[:40]))
                setattr(employee, key, dates[key])
            changed += moved
            counts["updated" if changed else "unchanged"] += 1
        db.session.flush()
        audit(tenant, actor, "remuneration.employees.import", "file", filename[:100], after=counts)
    return counts


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def set_employment(tenant, actor, employee_id: int, start: date | None, end: date | None) -> Employee:
    """Set an employee's first and last day of employment (None: open) from the admin page; each
    changed date is kept in the history and the change audited with before and after. A closed
    month is not touched (its results are stored); an open month changes on its next run.
    ``ValidationError`` (``where`` ``end``) when the end is before the start; LookupError when the
    employee is not the tenant's."""
    check_employment(start, end, "end")
    with tenant_scope(tenant):
        employee = db.session.get(Employee, employee_id)
        if employee is None:
            raise LookupError(employee_id)
        before = {"start": _iso(employee.started_on), "end": _iso(employee.ended_on)}
        after = {"start": _iso(start), "end": _iso(end)}
        if before == after:
            return employee
        for key, value in (("started_on", start), ("ended_on", end)):
            if getattr(employee, key) != value:
                db.session.add(EmployeeChange(employee_id=employee.id, field=key, before=_iso(getattr(employee, key)),
                                              after=_iso(value), source="page"))
                setattr(employee, key, value)
        db.session.flush()
        audit(tenant, actor, "remuneration.employee.employment", "employee", employee.id, before=before, after=after)
    return employee


def listing(tenant, search: str = "", agency: str = "", offset: int = 0, limit: int | None = 50) -> list[Employee]:
    """The tenant's employees by agency then name; ``search`` a whole NIP (exact, through its keyed
    hash: NIPs are stored encrypted) or part of a name (case-insensitive); ``agency`` a code."""
    search = (search or "").strip()
    query = db.select(Employee).order_by(Employee.agency, Employee.name, Employee.id)
    if agency:
        query = query.where(Employee.agency == agency)
    if search:
        try:
            query = query.where(Employee.nip_hash == identity_lookup("nip", normalise_nip(search)))
        except IdentityError:  # not a NIP: a name
            query = query.where(db.func.lower(Employee.name).contains(search.lower(), autoescape=True))
    with tenant_scope(tenant):
        return list(db.session.execute(query.offset(offset).limit(limit)).scalars())


def find(tenant, employee_id: int) -> Employee | None:
    with tenant_scope(tenant):
        return db.session.get(Employee, employee_id)


def history(tenant, employee_id: int) -> list[EmployeeChange]:
    with tenant_scope(tenant):
        return list(db.session.execute(db.select(EmployeeChange).where(EmployeeChange.employee_id == employee_id)
                                       .order_by(EmployeeChange.changed_at, EmployeeChange.id)).scalars())


FORM_FIELDS = ("name", "agency", "position_class", "position", "email", "supervisor_email")


def save_employee(tenant, actor, form: dict, employee_id: int | None = None) -> Employee:
    """Add an employee (``employee_id`` None: ``form`` has ``nip``) or change one from the admin's
    form (``FORM_FIELDS``, strings); the same checks as a file's row (``_check``), each changed field
    kept in the history (source ``page``) and the change audited with before and after.
    ``ValidationError`` with ``where`` the form field (``nip``, ``agency``, ...); LookupError when
    ``employee_id`` is not the tenant's. A closed month keeps its results; an open month changes on
    its next run."""
    row = {"line": 0, **{k: clean_text(str(form.get(k, "") or "")).strip()[:200] for k in FORM_FIELDS}}
    with tenant_scope(tenant):
        employee = db.session.get(Employee, employee_id) if employee_id is not None else None
        if employee_id is not None and employee is None:
            raise LookupError(employee_id)
        row["nip"] = employee.nip if employee is not None else clean_text(str(form.get("nip", "") or "")).strip()[:40]
        _check(tenant, [row])
        values = {k: row.get(k, "") or "" for k in TRACKED}
        if employee is None:
            digest = identity_lookup("nip", row["nip"])
            if db.session.execute(db.select(Employee.id).where(Employee.nip_hash == digest)).first():
                raise at_row(0, "nip", _l("An employee with this NIP is already recorded."))
            employee = Employee(nip=row["nip"], **values)
            db.session.add(employee)
            db.session.flush()
            audit(tenant, actor, "remuneration.employee.add", "employee", employee.id, after=values)
            return employee
        before = {k: getattr(employee, k) for k in TRACKED}
        changed = [k for k in TRACKED if before[k] != values[k]]
        for key in changed:
            db.session.add(EmployeeChange(employee_id=employee.id, field=key, before=before[key], after=values[key],
                                          source="page"))
            setattr(employee, key, values[key])
        if changed:
            db.session.flush()
            audit(tenant, actor, "remuneration.employee.edit", "employee", employee.id,
                  before={k: before[k] for k in changed}, after={k: values[k] for k in changed})
    return employee
