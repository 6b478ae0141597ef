"""Employees from a CSV or XLSX file (columns ``nip,name,agency,position_class[,email,supervisor_email]``,
a header row first): added when new, updated when changed, every changed field kept in the history.

Errors (``ValidationError``, nothing written): ``where`` = ``line N: field``: a NIP the core refuses
(PermenPAN-RB / BKN NIP rules, ``core.identity``), the same NIP twice, an agency that is not one of
the tenant's, a position class without a TPP ceiling in the settings, an empty name.
"""
from __future__ import annotations

import csv
import io

from core.kit import IdentityError, ValidationError, audit, clean_text, db, identity_lookup, normalise_nip, tenant_scope

from .models import Employee, EmployeeChange
from .settings import agency_codes, settings_of

COLUMNS = ("nip", "name", "agency", "position_class", "email", "supervisor_email")
REQUIRED = COLUMNS[:4]
TRACKED = ("name", "agency", "position_class", "email", "supervisor_email")


def rows_of(data: bytes, filename: str) -> list[dict]:
    """The rows of a CSV (UTF-8) or XLSX file as dicts keyed by the header, with their line number."""
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        except Exception:  # openpyxl raises many kinds for a file that is not a workbook
            raise ValidationError("not a readable XLSX workbook", where=filename) from None
        table = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    else:
        try:
            table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        except (UnicodeDecodeError, csv.Error) as exc:
            raise ValidationError(f"not a UTF-8 CSV file ({exc})", where=filename) from None
    if not table:
        raise ValidationError("the file is empty", where=filename)
    header = [h.strip().lower() for h in table[0]]
    return [{"line": n, **{h: clean_text(v).strip() for h, v in zip(header, row)}}
            for n, row in enumerate(table[1:], start=2) if any(str(v).strip() for v in row)]


def _check(tenant, rows: list[dict]) -> list[dict]:
    agencies = agency_codes(tenant)
    ceilings = {row["position_class"] for row in settings_of(tenant)["ceilings"]}
    seen: dict[str, int] = {}
    for row in rows:
        line = row["line"]
        for column in REQUIRED:
            if not row.get(column):
                raise ValidationError(f"{column} is empty", where=f"line {line}: {column}")
        try:
            row["nip"] = normalise_nip(row["nip"])
        except IdentityError as exc:
            raise ValidationError(str(exc.message), where=f"line {line}: nip") from None
        if row["nip"] in seen:
            raise ValidationError(f"the same NIP as line {seen[row['nip']]}", where=f"line {line}: nip")
        seen[row["nip"]] = line
        if row["agency"] not in agencies:
            raise ValidationError(f"{row['agency']} is not an agency of the tenant", where=f"line {line}: agency")
        if ceilings and row["position_class"] not in ceilings:
            raise ValidationError(f"position class {row['position_class']} has no TPP ceiling in the settings",
                                  where=f"line {line}: position_class")
        if len(row["name"]) > 200:
            raise ValidationError("longer than 200 characters", where=f"line {line}: name")
    return rows


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
            employee = known.get(digest)
            if employee is None:
                db.session.add(Employee(nip=row["nip"], **values))
                counts["added"] += 1
                continue
            changed = [k for k in TRACKED if k in row and getattr(employee, k) != values[k]]
            for key in changed:
                db.session.add(EmployeeChange(employee_id=employee.id, field=key, before=getattr(employee, key),
                                              after=values[key], source=filename[:40]))
                setattr(employee, key, values[key])
            counts["updated" if changed else "unchanged"] += 1
        db.session.flush()
        audit(tenant, actor, "remuneration.employees.import", "file", filename[:100], after=counts)
    return counts


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
