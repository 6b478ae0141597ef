"""The summary behind a tenant's public figures (issue 11.1: pages flat in the tenant's data).

No page every visitor sees aggregates over complaints: the transparency page and the home page's
figures read ``complaint_figures`` (``models.ComplaintFigure``), a few hundred counters per tenant
(a few thousand at the very most), in one statement. The counters move in the same transaction as the complaint: an ORM
``after_flush`` listener below takes each complaint written (filed, moved, closed, confirmed,
re-routed, deleted) out of the counters it counted in before and adds it to those it counts in
now, with one ``INSERT ... ON CONFLICT DO UPDATE SET n = n + excluded.n`` per flush (keys in a
fixed order within it; a filing already waits on the tenant's number counter, so filings add no
new waiting; two officers' transactions that move the same counters wait for each other's commit).
An ORM-enabled bulk ``update(Complaint)``/``delete(Complaint)`` is seen too (``do_orm_execute``: the rows it touches
are read before and after). Every path that changes a complaint through the ORM is covered,
whichever service or job it is; raw SQL (``text("UPDATE complaints ...")``, an import writing the
table directly) is not: run ``pamong complaints rebuild-summary`` after one (and after changing a
tenant's time zone, which moves the local months).

What a complaint counts in (``contribution``):

- ``status``/<status>, ``category``/<code>, ``agency``/<org unit id>: every complaint, confidential
  ones included (they are counted in the figures, never listed: ``disclosure.py``);
- ``filed``/<YYYY-MM>: the local month of filing, in the tenant's zone;
- ``outcome``/<outcome> once finished; ``confirmed``/"" once the filer confirmed the fix;
- for a fix (outcome "fixed" with a ``resolved_at``): ``fixed``/<YYYY-MM> (local month of the fix),
  ``within_target``/"1" or "0" (when judged), and ``fix_minutes``/<bucket>, a histogram of the time
  from filing to fix whose buckets are 6 minutes wide below 48 hours, 0.1 day (144 minutes) up to a
  year and a day beyond (capped at ten years): the precision the page shows the median in (hours to
  one decimal below 48 hours, days to one decimal above), so the median read from it is exact to
  what is displayed and the histogram stays a few thousand rows at the very most.
"""
from __future__ import annotations

import threading
from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, attributes

from core.kit import Tenant, db, tenant_scope

from .models import Complaint, ComplaintFigure, ComplaintRating, aware

FIELDS = ("status", "category_code", "agency_id", "created_at", "outcome", "confirmed_at", "resolved_at",
          "resolved_within_target")
MONTHLY = ("filed", "fixed")
YEAR_MINUTES = 366 * 24 * 60
CAP_MINUTES = 10 * 365 * 24 * 60


def fix_bucket(seconds: float) -> int:
    """The histogram bucket (its lower bound, in minutes) of a time to fix of ``seconds``."""
    minutes = min(max(int(seconds // 60), 0), CAP_MINUTES)
    width = 6 if minutes < 48 * 60 else 144 if minutes < YEAR_MINUTES else 1440
    return minutes // width * width


def _month(when: datetime, zone: ZoneInfo) -> str:
    return aware(when).astimezone(zone).strftime("%Y-%m")


def contribution(state: dict, zone: ZoneInfo) -> list[tuple[str, str]]:
    """The counters one complaint in ``state`` (``FIELDS`` -> value) counts in, in the tenant's zone."""
    keys = [("status", state["status"]), ("category", state["category_code"]),
            ("agency", str(state["agency_id"])), ("filed", _month(state["created_at"], zone))]
    if state["outcome"]:
        keys.append(("outcome", state["outcome"]))
    if state["confirmed_at"] is not None:
        keys.append(("confirmed", ""))
    if state["outcome"] == "fixed" and state["resolved_at"] is not None:
        keys.append(("fixed", _month(state["resolved_at"], zone)))
        took = (aware(state["resolved_at"]) - aware(state["created_at"])).total_seconds()
        keys.append(("fix_minutes", str(fix_bucket(took))))
        if state["resolved_within_target"] is not None:
            keys.append(("within_target", "1" if state["resolved_within_target"] else "0"))
    return keys


# -- keeping it up to date ------------------------------------------------------------------------

def _keep_old_values(target, value, oldvalue, initiator):
    pass


for _name in FIELDS:  # load the value an attribute had before it is set, so the flush knows it
    event.listen(getattr(Complaint, _name), "set", _keep_old_values, active_history=True)


def _current(obj) -> dict:
    return {name: getattr(obj, name) for name in FIELDS}


def _before(obj) -> dict:
    out = {}
    for name in FIELDS:
        history = attributes.get_history(obj, name)
        if history.deleted:
            out[name] = history.deleted[0]
        elif history.unchanged:
            out[name] = history.unchanged[0]
        else:  # not changed, and not loaded either: as it is
            out[name] = getattr(obj, name)
    return out


_ZONES_KEY = "complaints_summary_zones"
_DELETED_KEY = "complaints_summary_deleted"


def _zone(session: Session, tenant_id: int) -> ZoneInfo:
    from flask import g, has_app_context

    zones = session.info.setdefault(_ZONES_KEY, {})
    if tenant_id not in zones:
        tenant = getattr(g, "tenant", None) if has_app_context() else None
        if tenant is None or tenant.id != tenant_id:
            name = session.connection().execute(
                sa.select(Tenant.__table__.c.timezone).where(Tenant.__table__.c.id == tenant_id)).scalar()
        else:
            name = tenant.timezone
        zones[tenant_id] = ZoneInfo(name or "Asia/Jakarta")
    return zones[tenant_id]


@event.listens_for(Session, "before_flush")
def _remember_deleted(session, flush_context, instances):
    """A complaint about to be deleted: what it counted in (read now, while its row is there)."""
    gone = [obj for obj in session.deleted if isinstance(obj, Complaint)]
    if gone:
        session.info.setdefault(_DELETED_KEY, []).extend(
            (obj.tenant_id, _before(obj)) for obj in gone)


@event.listens_for(Session, "after_flush")
def _move_counters(session, flush_context):
    deltas: Counter = Counter()
    for obj in session.new:
        if isinstance(obj, Complaint):
            for key in contribution(_current(obj), _zone(session, obj.tenant_id)):
                deltas[(obj.tenant_id, *key)] += 1
    for obj in session.dirty:
        if isinstance(obj, Complaint) and obj not in session.deleted:
            state = inspect(obj)
            if not any(state.attrs[name].history.has_changes() for name in FIELDS):
                continue
            zone = _zone(session, obj.tenant_id)
            for key in contribution(_before(obj), zone):
                deltas[(obj.tenant_id, *key)] -= 1
            for key in contribution(_current(obj), zone):
                deltas[(obj.tenant_id, *key)] += 1
    for tenant_id, before in session.info.pop(_DELETED_KEY, []):
        for key in contribution(before, _zone(session, tenant_id)):
            deltas[(tenant_id, *key)] -= 1
    apply(session.connection(), deltas)


_DONE = "complaints_summary_done"


def _touches(stmt) -> bool:
    values = getattr(stmt, "_values", None)
    if not values:  # an UPDATE by primary key with rows of parameters: assume it does
        return True
    names = {getattr(k, "key", None) or getattr(k, "name", None) or str(k) for k in values}
    return bool(names & set(FIELDS))


@event.listens_for(Session, "do_orm_execute")
def _bulk_changes(state):
    """An ORM-enabled ``update(Complaint)``/``delete(Complaint)`` (a bulk status change, say): the
    rows it touches are read before and after, and the counters moved by the difference, in the
    same transaction. (Raw SQL is not seen: ``rebuild`` after it.)"""
    if not (state.is_update or state.is_delete) or state.execution_options.get(_DONE):
        return None
    if not any(m.class_ is Complaint for m in state.all_mappers):
        return None
    stmt = state.statement
    if state.is_update and not _touches(stmt):
        return None
    session = state.session
    columns = [Complaint.id, Complaint.tenant_id] + [getattr(Complaint, name) for name in FIELDS]
    before = session.execute(sa.select(*columns).where(*stmt._where_criteria),
                             execution_options={_DONE: True}).all()
    result = state.invoke_statement()
    after = []
    if state.is_update:
        ids = [row[0] for row in before]
        for first in range(0, len(ids), 500):  # SQLite's limit on bound parameters
            after += session.execute(sa.select(*columns).where(Complaint.id.in_(ids[first:first + 500])),
                                     execution_options={_DONE: True}).all()
    deltas: Counter = Counter()
    for rows, sign in ((before, -1), (after, 1)):
        for row in rows:
            for key in contribution(dict(zip(FIELDS, row[2:])), _zone(session, row[1])):
                deltas[(row[1], *key)] += sign
    apply(session.connection(), deltas)
    return result


@event.listens_for(Session, "after_soft_rollback")
def _forget(session, previous_transaction):
    session.info.pop(_DELETED_KEY, None)


@event.listens_for(Session, "after_commit")
def _forget_zones(session):
    session.info.pop(_ZONES_KEY, None)


def apply(connection, deltas: Counter) -> None:
    """Add ``deltas`` ((tenant id, dimension, key) -> change) to the counters, in one statement."""
    rows = [{"tenant_id": t, "dimension": d, "key": k, "n": n} for (t, d, k), n in sorted(deltas.items()) if n]
    if not rows:
        return
    table = ComplaintFigure.__table__
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(table).values(rows)
    connection.execute(stmt.on_conflict_do_update(
        index_elements=["tenant_id", "dimension", "key"], set_={"n": table.c.n + stmt.excluded.n}))


# -- reading and repairing ------------------------------------------------------------------------

def counters(tenant, dimensions: tuple[str, ...] | None = None, since_month: str | None = None) -> dict:
    """The tenant's counters as {(dimension, key): n}, in one statement whatever the number of
    complaints: every dimension, or those named; monthly ones (``filed``, ``fixed``) from
    ``since_month`` ("YYYY-MM") on when given. Counters at zero are left out."""
    query = sa.select(ComplaintFigure.dimension, ComplaintFigure.key, ComplaintFigure.n).where(ComplaintFigure.n != 0)
    if dimensions is not None:
        query = query.where(ComplaintFigure.dimension.in_(dimensions))
    if since_month is not None:
        query = query.where(sa.or_(ComplaintFigure.dimension.not_in(MONTHLY), ComplaintFigure.key >= since_month))
    with tenant_scope(tenant):
        return {(d, k): n for d, k, n in db.session.execute(query)}


_REBUILD_LOCK = threading.Lock()


def rebuild(tenant) -> int:
    """Recount ``tenant``'s counters from its complaints (repair, and after a change of the tenant's
    time zone): the old counters are deleted and the new ones written in the caller's transaction.
    Returns the number of complaints counted. Reads every complaint: for the CLI, never a page."""
    zone = ZoneInfo(tenant.timezone)
    totals: Counter = Counter()
    count = 0
    columns = [getattr(Complaint, name) for name in FIELDS]
    with tenant_scope(tenant):
        db.session.flush()
        db.session.execute(sa.delete(ComplaintFigure).execution_options(synchronize_session=False))
        result = db.session.execute(sa.select(*columns).execution_options(yield_per=5000))
        for row in result:
            count += 1
            for key in contribution(dict(zip(FIELDS, row)), zone):
                totals[(tenant.id, *key)] += 1
        for score, n in db.session.execute(  # the filers' ratings (ratings.py moves them one by one)
                sa.select(ComplaintRating.score, sa.func.count()).group_by(ComplaintRating.score)):
            totals[(tenant.id, "rating", str(score))] += n
        apply(db.session.connection(), totals)
    return count
