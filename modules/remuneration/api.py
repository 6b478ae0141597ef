"""The JSON API under /api/v1/remuneration/ (a token of the tenant, ``Authorization: Bearer ...``):
attendance machines post punches; finance reads a month. Errors: ``{"error": {"code", "message"}}``.

A batch of punches is checked by ``Punches`` (the model that documents it) before anything else:
``bad_request`` when it is not ``{"punches": [{...}, ...]}``, ``too_many`` over ``MAX_PUNCHES``, and
``validation_error`` naming ``line N: field`` for an item (as the CSV import names its lines); then
by ``attendance.check_punches``, which knows the tenant's employees, zone and days.

A message is in the request's language (``Accept-Language`` among the tenant's, else its first, as
the core's API messages), from this module's catalogue; ``line N: field`` before it stays as written
(the core's ``unit_of_work(api=True)`` says a refusal so, ``api_message``).
"""
from __future__ import annotations

import re
from typing import Annotated, ClassVar, Literal

from flask import Blueprint, g, jsonify
from pydantic import BeforeValidator, Field

from core.kit import (
    ApiModel, ApiOutput, BadJson, PamongError, api_error, api_scope, current_actor, operation, unit_of_work,
)

from . import _l, services
from .attendance import check_punches, store_punches
from .labels import month_words

api = Blueprint("remuneration_api", __name__)
MAX_PUNCHES = 5000


def _lower(value):
    return value.strip().lower() if isinstance(value, str) else value


class Punch(ApiModel):
    nip: str = Field(description="The employee's NIP (18 digits)")
    timestamp: str = Field(description="ISO 8601 date-time with the tenant's UTC offset at that time, "
                                                "e.g. 2026-03-02T07:25:00+08:00; one without an offset or "
                                                "with another is refused")
    kind: Annotated[Literal["in", "out", "assembly"], BeforeValidator(_lower)] = Field(
        description="Case and surrounding spaces do not matter, as in the CSV import")
    error_codes: ClassVar = {"*": {"*": "validation_error"}}


class Punches(ApiModel):
    punches: list[Punch] = Field(max_length=MAX_PUNCHES)
    error_codes: ClassVar = {"punches": {"too_long": "too_many", "*": "bad_request"}}


_ITEM = re.compile(r"^punches\.(\d+)(?:\.(.+))?$")


def _refused(exc: PamongError):
    """A batch ``Punches`` refused: an item's problem named by its line (from 1), like the CSV's."""
    if isinstance(exc, BadJson):
        return api_error(exc.code, str(exc), 400)
    if exc.code == "too_many":
        return api_error("too_many", str(_l("At most %(count)s punches a request.", count=MAX_PUNCHES)), 400)
    item = _ITEM.match(exc.where or "")
    if item and exc.code != "bad_request":
        where = f"line {int(item.group(1)) + 1}" + (f": {item.group(2)}" if item.group(2) else "")
        return api_error(exc.code, f"{where}: {exc.message}", 400)
    return api_error(exc.code, str(exc), 400)


class PunchesStored(ApiOutput):
    added: int
    skipped: int = Field(description="Repeats of punches already stored")


class AgencyRow(ApiOutput):
    agency: str
    employees: int
    ceiling: int = Field(description="Rupiah")
    tpp: int = Field(description="Rupiah")
    performance_bp: int = Field(description="Average performance, basis points")
    deductions: dict[str, int] = Field(description="Rupiah by reason")


class Run(ApiOutput):
    year: int
    month: int
    status: str
    employees: int
    amount: int = Field(description="Rupiah")
    rules_from: str | None
    agencies: list[AgencyRow]


@api.route("/punches", methods=["POST"])
@api_scope("remuneration:attendance")
@operation("Attendance records from a machine", body=Punches, fail=_refused, response=PunchesStored, status=201,
           errors={400: "A bad item (validation_error, the message names `line N: field`), too_many or "
                        "bad_request"},
           description="All checked before any is stored; repeats skipped.")
def punches():
    """``{"punches": [{"nip", "timestamp", "kind"}, ...]}`` (the CSV's columns; ``line`` in errors is
    the item's position from 1) -> 201 ``{"added", "skipped"}``; every item checked before any is stored."""
    rows = [{"line": n, "nip": item.nip, "timestamp": item.timestamp, "kind": item.kind}
            for n, item in enumerate(g.api_body.punches, start=1)]
    with unit_of_work(api=True):
        counts = store_punches(g.tenant, current_actor(), check_punches(g.tenant, rows), "machine")
    return jsonify(counts), 201


@api.route("/runs/<int(min=2000, max=2100):year>/<int(min=1, max=12):month>")
@api_scope("remuneration:read")
@operation("A month's status, total and per-agency figures", response=Run, errors={404: "Not run (not_found)"})
def run(year, month):
    found = services.get_run(g.tenant, year, month)
    if found is None:
        return api_error("not_found", str(_l("%(month)s has not been run.", month=month_words(year, month))), 404)
    return jsonify(year=year, month=month, status=found.status, employees=found.total, amount=found.amount,
                   rules_from=found.rules_from.isoformat() if found.rules_from else None,
                   agencies=services.agency_table(g.tenant, found))
