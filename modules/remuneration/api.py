"""The JSON API under /api/v1/remuneration/ (a token of the tenant, ``Authorization: Bearer ...``):
attendance machines post punches; finance reads a month. Errors: ``{"error": {"code", "message"}}``."""
from __future__ import annotations

from typing import Literal

from flask import Blueprint, g, jsonify
from pydantic import Field

from core.kit import ApiModel, ApiOutput, api_error, api_scope, current_actor, json_object, operation, unit_of_work

from . import services
from .attendance import check_punches, store_punches

api = Blueprint("remuneration_api", __name__)
MAX_PUNCHES = 5000


class Punch(ApiModel):
    nip: str = Field(description="The employee's NIP (18 digits)")
    timestamp: str = Field(description="ISO 8601 date-time; without an offset, the tenant's zone")
    kind: Literal["in", "out", "assembly"]


class Punches(ApiModel):
    punches: list[Punch] = Field(max_length=MAX_PUNCHES)


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
@operation("Attendance records from a machine", body=Punches, validate=False, response=PunchesStored, status=201,
           errors={400: "A bad item (the message names `line N: field`), too_many or bad_request"},
           description="All checked before any is stored; repeats skipped.")
def punches():
    """``{"punches": [{"nip", "timestamp", "kind"}, ...]}`` (the CSV's columns; ``line`` in errors is
    the item's position from 1) -> 201 ``{"added", "skipped"}``; every item checked before any is stored."""
    body = json_object()
    items = body.get("punches")
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        return api_error("bad_request", "Send {\"punches\": [{\"nip\", \"timestamp\", \"kind\"}, ...]}.", 400)
    if len(items) > MAX_PUNCHES:
        return api_error("too_many", f"At most {MAX_PUNCHES} punches a request.", 400)
    rows = [{"line": n, **{k: str(item.get(k) or "") for k in ("nip", "timestamp", "kind")}}
            for n, item in enumerate(items, start=1)]
    with unit_of_work(api=True):
        counts = store_punches(g.tenant, current_actor(), check_punches(g.tenant, rows), "machine")
    return jsonify(counts), 201


@api.route("/runs/<int:year>/<int:month>")
@api_scope("remuneration:read")
@operation("A month's status, total and per-agency figures", response=Run, errors={404: "Not run (not_found)"})
def run(year, month):
    found = services.get_run(g.tenant, year, month)
    if found is None:
        return api_error("not_found", f"{year}-{month:02d} has not been run.", 404)
    return jsonify(year=year, month=month, status=found.status, employees=found.total, amount=found.amount,
                   rules_from=found.rules_from.isoformat() if found.rules_from else None,
                   agencies=services.agency_table(g.tenant, found))
