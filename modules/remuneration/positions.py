"""An employee's position (jabatan) as a run takes it: the core's organisation first, the import
column as the fallback.

1. **The organisation's holder** (``core.kit.holdings``, the tenant file's ``positions`` with their
   ``holders``, or the admin's organisation pages): when the employee's account (``email``) holds a
   position definitively on the day, that is their position. Several: the first by code. An acting
   holding (Plt., pelaksana tugas) is not their position: a Plt. keeps the class of their own
   position (a Perkada paying a Plt. part of the higher TPP needs a rule this module does not have).
2. **The import column** ``position`` (``Employee.position_code``, checked against the organisation
   when imported): for an employee without an account, or whose account holds no position there.
3. Neither: no position; the record's own ``agency`` and ``position_class``.

From the position: the class is the settings' ``position_classes`` entry for it (else the record's
class), the agency its unit when the unit is an agency (else the record's agency).

The day: a run asks for the holders of its month's last day, or today for the current month. The
organisation keeps every holding's dates (a holding that ends keeps its row, with its last day), so
a past month takes the position held at its end, also when computed again after a move. The record's own fields are read as they were at the month's end
(``record_as_of``, from the history the import and the admin's form keep), so a past month run
again keeps the agency, class and position column it had then.
"""
from __future__ import annotations

from datetime import date
from typing import NamedTuple

from core.kit import db, holdings

from .models import EmployeeChange

PLACING = ("agency", "position_class", "position_code", "email")  # the record's fields a placement reads


class Held(NamedTuple):
    code: str
    unit_code: str
    unit_kind: str


class Placement(NamedTuple):
    """Where a run puts one employee: ``position`` code ("" none), ``agency``, ``position_class``,
    ``source`` ``organisation`` / ``import`` / ``record``."""
    position: str
    agency: str
    position_class: str
    source: str


def held_positions(tenant, day: date | None = None) -> dict[str, Held]:
    """``{account e-mail (lower case): Held}``: the definitive position each account holds on ``day``."""
    found: dict[str, Held] = {}
    for h in holdings(tenant, day):
        if not h["acting"]:
            found.setdefault((h["email"] or "").lower(), Held(h["code"], h["unit_code"], h["unit_kind"]))
    return found


def place(email: str, position_code: str, agency: str, position_class: str, held: dict[str, Held],
          mapping: dict[str, str]) -> Placement:
    """The employee's placement from their account's held position, else the import's
    ``position_code`` (its agency was taken or checked when imported: the record's)."""
    mine = held.get((email or "").lower()) if email else None
    if mine is not None:
        return Placement(mine.code, mine.unit_code if mine.unit_kind == "agency" else agency,
                         mapping.get(mine.code) or position_class, "organisation")
    if position_code:
        return Placement(position_code, agency, mapping.get(position_code) or position_class, "import")
    return Placement("", agency, position_class, "record")


def record_as_of(moment) -> dict[int, dict[str, str]]:
    """``{employee_id: {field: value}}``: the ``PLACING`` fields that changed at or after ``moment``
    (an aware datetime), as they were before it: the ``before`` of each field's first change since.
    Run inside the tenant's scope; an employee or field missing is as recorded now."""
    found: dict[int, dict[str, str]] = {}
    for employee_id, field, before in db.session.execute(
            db.select(EmployeeChange.employee_id, EmployeeChange.field, EmployeeChange.before)
            .where(EmployeeChange.changed_at >= moment, EmployeeChange.field.in_(PLACING))
            .order_by(EmployeeChange.changed_at, EmployeeChange.id)):
        found.setdefault(employee_id, {}).setdefault(field, before or "")
    return found
