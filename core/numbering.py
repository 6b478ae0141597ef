"""Gap-free numbering (DESIGN §4): the numbers people quote, per tenant, scope and period.

A counter is one row of ``number_counters``: (tenant, scope, period) -> the last number issued.

- ``scope`` is a tuple of strings naming what is numbered, module first:
  ``("eoffice", unit, classification)``, ``("clinic", clinic, poli)``, ``("complaints",)``.
- ``period`` is when the count restarts: ``"none"`` (never), ``"year"``, ``"month"`` or ``"day"``,
  each on the tenant's *local* calendar (its time zone): a clinic's queue restarts at local
  midnight, a letter at 00:00 on 1 January in that zone, not UTC.

``allocate(tenant, scope, period, when)`` takes the next number inside the caller's transaction:
one ``INSERT ... ON CONFLICT DO UPDATE SET last_number = last_number + 1 ... RETURNING``, which
locks the counter row until the caller commits or rolls back. Concurrent callers therefore wait
their turn and never share or skip a number, and a rolled-back transaction gives its number back.
On SQLite the transaction is made a writer first (``core.locking.write_lock``). Call it as late as
possible in the transaction (after validation), since the row stays locked until commit.

``issue(...)`` allocates and writes the number with a pattern (``core.number_patterns``).

Errors: ``PamongError(code="wrong_tenant")`` when the code runs in another tenant's scope,
``ValidationError(code="bad_scope" | "bad_period" | "bad_pattern")`` for a malformed request.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, String, UniqueConstraint, literal_column
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from .errors import PamongError, ValidationError
from .extensions import db
from .locking import write_lock
from .number_patterns import render
from .tenancy.scope import TenantOwned, current_scope, tenant_scope

PERIODS = ("none", "year", "month", "day")
MAX_SCOPE = 200  # characters of the stored scope key


class NumberCounter(TenantOwned, db.Model):
    """The last number issued for one tenant, scope (JSON list of strings) and period key
    (``""``, ``"2026"``, ``"2026-11"`` or ``"2026-11-30"``)."""

    __tablename__ = "number_counters"
    __table_args__ = (UniqueConstraint("tenant_id", "scope", "period", name="uq_number_counters_tenant_scope_period"),)

    scope: Mapped[str] = mapped_column(String(MAX_SCOPE))
    period: Mapped[str] = mapped_column(String(10))
    last_number: Mapped[int] = mapped_column(Integer, default=0)


@dataclass(frozen=True)
class Allocation:
    """One number taken: ``serial`` (1, 2, ...) in the period ``period_key`` of ``local`` (the
    tenant's local date the number belongs to)."""

    serial: int
    period_key: str
    local: date


def scope_key(scope) -> str:
    """The stored form of ``scope`` (a tuple of non-empty strings): a compact JSON list."""
    if isinstance(scope, str) or not isinstance(scope, (tuple, list)) or not scope:
        raise ValidationError("a counter scope is a non-empty tuple of strings, module first",
                              where="scope", code="bad_scope")
    if not all(isinstance(p, str) and p for p in scope):
        raise ValidationError(f"every part of a counter scope must be non-empty text: {scope!r}",
                              where="scope", code="bad_scope")
    key = json.dumps(list(scope), ensure_ascii=False, separators=(",", ":"))
    if len(key) > MAX_SCOPE:
        raise ValidationError(f"a counter scope is longer than {MAX_SCOPE} characters", where="scope",
                              code="bad_scope")
    return key


def local_date(tenant, when: datetime | date | None = None) -> date:
    """``when`` (an aware datetime; default now) as a date on the tenant's calendar; a ``date`` is
    taken as already local."""
    if when is None:
        when = datetime.now(ZoneInfo("UTC"))
    if isinstance(when, datetime):
        if when.tzinfo is None:
            raise ValidationError("a time to number at must carry its time zone", where="when", code="bad_period")
        return when.astimezone(ZoneInfo(tenant.timezone)).date()
    return when


def period_key(period: str, local: date) -> str:
    """``"none"`` -> ``""``, ``"year"`` -> ``"2026"``, ``"month"`` -> ``"2026-11"``, ``"day"`` -> ``"2026-11-30"``."""
    if period == "none":
        return ""
    if period == "year":
        return f"{local.year:04d}"
    if period == "month":
        return f"{local.year:04d}-{local.month:02d}"
    if period == "day":
        return local.isoformat()
    raise ValidationError(f"unknown period '{period}' (one of: {', '.join(PERIODS)})", where="period",
                          code="bad_period")


def _check_tenant(tenant) -> None:
    scope = current_scope()
    if scope.tenant_ids and scope.write_id != tenant.id:
        raise PamongError(f"a counter of tenant '{tenant.slug}' was asked for in another tenant's scope",
                          where="tenant", code="wrong_tenant")


def allocate(tenant, scope, period: str = "year", when: datetime | date | None = None) -> Allocation:
    """Take the next number of ``tenant``'s counter ``scope`` in the ``period`` holding ``when``,
    inside the current transaction of ``db.session`` (the row stays locked until it ends)."""
    _check_tenant(tenant)
    key = scope_key(scope)
    local = local_date(tenant, when)
    pkey = period_key(period, local)
    table = NumberCounter.__table__
    insert = postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert
    stmt = insert(table).values(tenant_id=tenant.id, scope=key, period=pkey, last_number=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=["tenant_id", "scope", "period"],
        set_={"last_number": table.c.last_number + literal_column("1")},
    ).returning(table.c.last_number)
    if current_scope().write_id == tenant.id:  # the usual case: a module working in its tenant's scope
        write_lock(db.session)
        serial = db.session.execute(stmt).scalar_one()
    else:  # entering the scope here costs a round trip on each side (PostgreSQL's setting)
        with tenant_scope(tenant):
            write_lock(db.session)
            serial = db.session.execute(stmt).scalar_one()
    return Allocation(serial, pkey, local)


def issue(tenant, scope, pattern: str, period: str = "year", when: datetime | date | None = None,
          placeholders=(), **values: str) -> tuple[Allocation, str]:
    """``allocate`` and write the number with ``pattern`` (``core.number_patterns.render``):
    ``issue(t, ("eoffice", "BKD", "800"), "{classification}/{serial}/{unit}/{year}", classification="800",
    unit="BKD")`` -> ``(Allocation(17, "2026", ...), "800/17/BKD/2026")``. The pattern is checked
    before a number is taken."""
    render(pattern, 1, date(2000, 1, 1), placeholders, **values)  # refuse before taking a number
    got = allocate(tenant, scope, period, when)
    return got, render(pattern, got.serial, got.local, placeholders, **values)


def last_issued(tenant, scope, period: str = "year", when: datetime | date | None = None) -> int:
    """The last number issued in that counter and period (0: none yet). Reads; takes no lock."""
    _check_tenant(tenant)
    key, pkey = scope_key(scope), period_key(period, local_date(tenant, when))
    with tenant_scope(tenant):
        value = db.session.execute(
            db.select(NumberCounter.last_number).where(
                NumberCounter.tenant_id == tenant.id, NumberCounter.scope == key, NumberCounter.period == pkey)
        ).scalar_one_or_none()
    return value or 0
