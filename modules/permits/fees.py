"""Fee formulas of a permit type (retribusi perizinan), parsed where the settings are written.

A formula is one line of text, in one of four forms (amounts are integer rupiah):

- ``0`` or ``free``: no fee; the permit is issued without an invoice;
- ``fixed 250000``: one amount;
- ``per_unit 15000 * luas_m2 min 100000``: the rate times the number in the applicant's form field
  ``luas_m2`` (rounded up to a whole rupiah), with an optional minimum;
- ``table luas_m2 50:100000 200:250000 *:500000``: the first bracket whose upper bound (inclusive) the
  field's number does not exceed; ``*`` is the last, open bracket.

The regional retribution itself is set by the tenant's Perda (UU 1/2022 on central and regional
finance, retribusi perizinan tertentu); this module only computes what the Perda's table says.
``parse`` raises ``ValidationError(code="fee_formula")`` naming what does not parse.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import format_decimal

from core.kit import ValidationError, gettext as _

from .notices import N_, refused

FIELD = r"[a-z][a-z0-9_]{0,31}"
MAX_FEE = 10**12


@dataclass(frozen=True)
class Formula:
    """A parsed formula: ``kind`` is ``free``, ``fixed``, ``per_unit`` or ``table``."""

    kind: str
    amount: int = 0
    field: str = ""
    minimum: int = 0
    brackets: tuple[tuple[Decimal | None, int], ...] = ()

    @property
    def free(self) -> bool:
        return self.kind == "free" or (self.kind == "fixed" and self.amount == 0)

    def amount_for(self, values: dict) -> int:
        """The fee in rupiah for the applicant's form ``values``; a missing or non-numeric field
        raises ``ValidationError(where=<field>)``."""
        if self.kind == "free":
            return 0
        if self.kind == "fixed":
            return self.amount
        number = _number(values.get(self.field), self.field)
        if self.kind == "per_unit":
            return min(MAX_FEE, max(self.minimum, math.ceil(number * self.amount)))
        for bound, fee in self.brackets:
            if bound is None or number <= bound:
                return fee
        raise ValidationError(f"{number} is above the table's last bracket", where=self.field, code="fee_out_of_table")


# a number field of the form (an area, a count): plain digits 0-9, and at most two decimals after a
# comma or a point (``120``, ``120,5``, ``12.25``); nothing else (no ``1e9``, ``0x10``, ``1_000``, a
# sign, a thousands separator, other scripts' digits). Whitespace around it is trimmed, as the form
# stores the value trimmed. From 0 to ``MAX_NUMBER``.
NUMBER = re.compile(r"[0-9]{1,10}(?:[.,][0-9]{1,2})?")
MAX_NUMBER = 10**9


def _number(value, field: str) -> Decimal:
    """The number written in a form field (``NUMBER``), else ``ValidationError(code="not_a_number")``."""
    text = "" if value is None else str(value).strip()
    if not NUMBER.fullmatch(text):
        raise ValidationError(_("Write only digits, with at most two decimals after a comma (e.g. 120 or 120,5)."),
                              where=field, code="not_a_number")
    number = Decimal(text.replace(",", "."))
    if number > MAX_NUMBER:
        raise ValidationError(_("Write a number from 0 to 1,000,000,000."), where=field, code="not_a_number")
    return number


def _rupiah(text: str, where: str) -> int:
    if not re.fullmatch(r"[0-9]{1,13}", text) or int(text) > MAX_FEE:
        raise refused(N_("'%(text)s' is not a whole rupiah amount."), where, "fee_formula", text=text)
    return int(text)


def parse(text: str, where: str = "fee") -> Formula:
    """The ``Formula`` written in ``text`` (see the module docstring); ``ValidationError`` otherwise."""
    words = str(text or "").split()
    if not words:
        raise refused(N_("Write a fee formula ('0', 'fixed N', 'per_unit N * field', 'table field B:N ...')."),
                      where, "fee_formula")
    head = words[0].lower()
    if words in (["0"], ["free"]):
        return Formula("free")
    if head == "fixed" and len(words) == 2:
        return Formula("fixed", amount=_rupiah(words[1], where))
    if head == "per_unit":
        m = re.fullmatch(rf"per_unit ([0-9]+) \* ({FIELD})(?: min ([0-9]+))?", " ".join(words))
        if not m:
            raise refused(N_("Write 'per_unit RATE * field' (optionally 'min AMOUNT')."), where, "fee_formula")
        return Formula("per_unit", amount=_rupiah(m[1], where), field=m[2],
                       minimum=_rupiah(m[3], where) if m[3] else 0)
    if head == "table" and len(words) >= 3 and re.fullmatch(FIELD, words[1]):
        brackets, last = [], Decimal(-1)
        for i, item in enumerate(words[2:]):
            bound, _colon, fee = item.partition(":")
            if bound == "*":
                if i != len(words) - 3:
                    raise refused(N_("'*' must be the last bracket."), where, "fee_formula")
                brackets.append((None, _rupiah(fee, where)))
                continue
            if not NUMBER.fullmatch(bound) or "," in bound:   # the bound as a form's number is written
                raise refused(N_("'%(item)s' is not 'UPPER:AMOUNT'."), where, "fee_formula", item=item)
            upper = Decimal(bound)
            if upper <= last:
                raise refused(N_("The brackets' bounds must rise."), where, "fee_formula")
            last = upper
            brackets.append((upper, _rupiah(fee, where)))
        return Formula("table", field=words[1], brackets=tuple(brackets))
    raise refused(N_("'%(text)s' does not parse: write '0', 'fixed N', 'per_unit N * field' or "
                     "'table field B:N ... *:N'."), where, "fee_formula", text=text)


def describe(formula: Formula, fields: list[dict] | tuple = (), locale: str = "id") -> list[tuple[str, int]]:
    """The formula as rows for the public standard of service: ``[(condition, rupiah)]``, the
    condition in the reader's words: the form field by its label (``fields``: the permit type's
    field requirements) in ``locale``, numbers written as in that language, the open bracket as
    "over" the last bound."""
    if formula.kind in ("free", "fixed"):
        return [("", formula.amount if formula.kind == "fixed" else 0)]
    field = next((f for f in fields if f.get("code") == formula.field), None)
    label = (field.get("label_en" if locale == "en" else "label_id") if field else None) or formula.field

    def number(value: Decimal) -> str:
        return format_decimal(value, locale="en" if locale == "en" else "id")

    if formula.kind == "per_unit":
        rows = [(_("per unit of %(field)s", field=label), formula.amount)]
        return rows + ([(_("minimum"), formula.minimum)] if formula.minimum else [])
    rows, last = [], None
    for bound, fee in formula.brackets:
        if bound is not None:
            rows.append((_("%(field)s up to %(n)s", field=label, n=number(bound)), fee))
            last = bound
        elif last is not None:
            rows.append((_("%(field)s over %(n)s", field=label, n=number(last)), fee))
        else:
            rows.append((_("any %(field)s", field=label), fee))
    return rows
