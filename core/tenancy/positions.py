"""Positions (jabatan) in the tenant's units and the people holding them, including acting holders
(Plt., pelaksana tugas, for a period).

Configuration is checked where it is written (DESIGN §5): a holder must be a user with a role in
the tenant, a position code is unique in the tenant, a unit with positions has exactly one head.
Every function takes the tenant and the actor and runs inside the caller's transaction; every
change is audited (``org.position.*``).

History is kept: a holding that ends keeps its row with its last day (``ends_on``), so "who held
this position on that day" has an answer for any past day. A holding assigned from the admin starts
on the tenant's today unless a start is given; one removed ends yesterday (or on the day given); one
removed before it started is deleted (it never counted). Every read takes a day (default: the
tenant's today) and filters by it in SQL.
"""
from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from ..audit import record
from ..auth.models import Membership, User
from ..errors import ValidationError
from ..extensions import db
from .models import OrgUnit, Position, PositionHolder, utcnow
from .scope import tenant_scope


def local_today(tenant) -> date:
    """The tenant's local date now (an acting period is in the tenant's days, DESIGN §3)."""
    return utcnow().astimezone(ZoneInfo(tenant.timezone)).date()


def member(tenant, email: str) -> User | None:
    """The user with ``email`` if they have a role in ``tenant``, else None."""
    email = (email or "").strip().lower()
    with tenant_scope(tenant):
        return db.session.execute(
            db.select(User).join(Membership, Membership.user_id == User.id).where(User.email == email).limit(1)
        ).scalar_one_or_none()


def _require_member(tenant, email: str, where: str) -> User:
    user = member(tenant, email)
    if user is None:
        raise ValidationError(f"'{email}' is not a user of tenant '{tenant.slug}' (grant them a role first)",
                              where=where, code="holder_not_member")
    return user


ACTING_KINDS = ("plt", "plh", "pj", "pjs")  # pelaksana tugas, pelaksana harian, penjabat, penjabat sementara (Permendagri 1/2023 Pasal 44)


def acting_kind(acting) -> str | None:
    """``acting`` as a holding records it: None for a definitive holder (False, None, ""), ``plt``
    for True (an acting holder before kinds were told apart), else the kind itself; an unknown
    kind is a ValidationError (``bad_acting_kind``)."""
    if not acting:
        return None
    if acting is True:
        return "plt"
    if acting not in ACTING_KINDS:
        raise ValidationError(f"unknown acting kind '{acting}' ({', '.join(ACTING_KINDS)})", where="acting",
                              code="bad_acting_kind")
    return acting


def kind_of(row: PositionHolder) -> str | None:
    """The acting kind of a holding (a row from before kinds: ``plt``)."""
    return (row.acting_kind or "plt") if row.acting else None


def _holding(row: PositionHolder, email: str) -> dict:
    d = {"email": email, "acting": row.acting}
    if row.acting and kind_of(row) != "plt":
        d["acting_kind"] = kind_of(row)
    if row.starts_on:
        d["from"] = row.starts_on.isoformat()
    if row.ends_on:
        d["until"] = row.ends_on.isoformat()
    return d


def _emails(user_ids) -> dict[int, str]:
    ids = set(user_ids)
    if not ids:
        return {}
    return dict(db.session.execute(db.select(User.id, User.email).where(User.id.in_(ids))).all())


# -- From the tenant file ---------------------------------------------------------------------------

def apply_positions(tenant, units: list[tuple[str, OrgUnit, list]], actor) -> None:
    """Make the tenant's positions those of the file. ``units``: ``(key, OrgUnit row, positions)``
    with the schema's ``PositionEntry`` items; ``key`` names the unit in errors
    (``agencies[0]``). A position left out is deactivated and its holdings end (``_set_holders``); a position without
    a ``holders`` key keeps its holdings, an explicit list (``[]`` ends them all) replaces them.
    Applying the same file again changes nothing."""
    with tenant_scope(tenant):
        existing = {p.code: p for p in db.session.execute(db.select(Position)).scalars()}
        kept = set()
        for key, unit, entries in units:
            for n, entry in enumerate(entries):
                where = f"{key}.positions[{n}]"
                users = [_require_member(tenant, h.email, f"{where}.holders[{m}].email")
                         for m, h in enumerate(entry.holders or [])]
                row = existing.get(entry.code)
                values = {"unit_id": unit.id, "name": entry.name, "is_head": entry.head, "active": True}
                if row is None:
                    row = Position(tenant_id=tenant.id, code=entry.code, **values)
                    db.session.add(row)
                    db.session.flush()
                    existing[entry.code] = row
                    record(tenant, actor, "org.position.create", "position", entry.code,
                           after={**values, "unit": unit.code})
                else:
                    old = {k: getattr(row, k) for k in values}
                    if old != values:
                        for k, v in values.items():
                            setattr(row, k, v)
                        record(tenant, actor, "org.position.update", "position", entry.code, before=old, after=values)
                kept.add(entry.code)
                if entry.holders is not None:  # no ``holders`` key: the holdings are left as they are
                    _set_holders(tenant, row, [(u.id, h.acting, h.start, h.until) for u, h in zip(users, entry.holders)], actor)
        for code, row in existing.items():
            if code not in kept and row.active:
                row.active = False
                _set_holders(tenant, row, [], actor)
                record(tenant, actor, "org.position.deactivate", "position", code)


def _live(row: PositionHolder, today: date) -> bool:
    """A current or upcoming holding (not yet ended): what the tenant file and its export speak of."""
    return row.ends_on is None or row.ends_on >= today


def _set_holders(tenant, position: Position, wanted: list[tuple], actor) -> None:
    """Make the position's current and upcoming holdings those of the file, keeping its history.

    ``wanted``: ``(user_id, acting, start, until)``. A wanted holding matches a live one of the
    same person and kind with the same end and, when the file gives one, the same start (no
    ``from`` in the file: whatever start was recorded): kept as it is. Else the same person's live
    holding of that kind has its period corrected to the file's. Else a new holding, from the file's
    ``from``; without one, since before the records when the position never had a holder, else from
    the tenant's today. A live holding the file no longer names ends yesterday (deleted if it has not
    started). Past holdings are history: never changed here. One audit entry when anything changed."""
    today = local_today(tenant)
    rows = db.session.execute(
        db.select(PositionHolder).where(PositionHolder.position_id == position.id).order_by(PositionHolder.id)
    ).scalars().all()
    live = [r for r in rows if _live(r, today)]
    past = [r for r in rows if not _live(r, today)]
    emails = _emails([w[0] for w in wanted] + [r.user_id for r in rows])
    before = [_holding(r, emails.get(r.user_id, "")) for r in live]

    def same(r, user_id, acting, start, until):
        return (r.user_id == user_id and kind_of(r) == acting_kind(acting) and r.ends_on == until
                and (start is None or r.starts_on == start))

    pool, left, changed = list(live), [], False
    for w in wanted:
        r = next((r for r in pool if same(r, *w)), None)
        if r is not None:
            pool.remove(r)
        elif not (w[3] is not None and w[3] < today and any(same(p, *w) for p in past)):  # a past period, recorded
            left.append(w)
    for user_id, acting, start, until in left:
        r = next((r for r in pool if r.user_id == user_id and kind_of(r) == acting_kind(acting)), None)
        if r is not None:  # the same person's holding, its period corrected
            pool.remove(r)
            if start is not None:
                r.starts_on = start
            r.ends_on = until
        else:
            if start is None and rows:
                start = today
            db.session.add(PositionHolder(tenant_id=tenant.id, position_id=position.id, user_id=user_id,
                                          acting=bool(acting), acting_kind=acting_kind(acting),
                                          starts_on=start, ends_on=until))
        changed = True
    for r in pool:  # no longer named: the holding ends yesterday
        _end(r, today - timedelta(days=1))
        changed = True
    if not changed:
        return
    db.session.flush()
    after = db.session.execute(
        db.select(PositionHolder).where(PositionHolder.position_id == position.id).order_by(PositionHolder.id)
    ).scalars().all()
    record(tenant, actor, "org.position.holders", "position", position.code, before=before,
           after=[_holding(r, emails.get(r.user_id, "")) for r in after if _live(r, today)])


def _end(row: PositionHolder, last_day: date) -> bool:
    """End ``row`` on ``last_day`` (its row kept), or delete it when it had not started by then.
    Returns whether it was kept."""
    if row.starts_on is not None and row.starts_on > last_day:
        db.session.delete(row)
        return False
    row.ends_on = last_day
    return True


def export_positions(tenant) -> dict[int, list[dict]]:
    """Active positions per unit id, as the tenant file writes them (holders in a stable order):
    their current and upcoming holdings only (the ended ones are history, kept in the database), so
    the export applied again changes nothing."""
    with tenant_scope(tenant):
        positions = db.session.execute(
            db.select(Position).where(Position.active.is_(True)).order_by(Position.id)
        ).scalars().all()
        today = local_today(tenant)
        holders = db.session.execute(db.select(PositionHolder).where(
            db.or_(PositionHolder.ends_on.is_(None), PositionHolder.ends_on >= today))).scalars().all()
        emails = _emails(h.user_id for h in holders)
    by_position: dict[int, list] = {}
    for h in holders:
        by_position.setdefault(h.position_id, []).append(h)
    out: dict[int, list[dict]] = {}
    for p in positions:
        entry: dict = {"code": p.code, "name": p.name}
        if p.is_head:
            entry["head"] = True
        rows = sorted(by_position.get(p.id, []),
                      key=lambda h: (h.acting, h.starts_on or date.min, emails.get(h.user_id, ""), h.ends_on or date.max))
        if rows:
            entry["holders"] = [_export_holder(h, emails.get(h.user_id, "")) for h in rows]
        out.setdefault(p.unit_id, []).append(entry)
    return out


def _export_holder(h: PositionHolder, email: str) -> dict:
    d: dict = {"email": email}
    if h.acting:
        d["acting"] = True if kind_of(h) == "plt" else kind_of(h)  # the file's own spelling: true is Plt.
    if h.starts_on:
        d["from"] = h.starts_on
    if h.ends_on:
        d["until"] = h.ends_on
    return d


# -- Who holds what ---------------------------------------------------------------------------------

def find_position(tenant, code: str) -> Position | None:
    with tenant_scope(tenant):
        return db.session.execute(
            db.select(Position).where(Position.code == code, Position.active.is_(True))
        ).scalar_one_or_none()


def holders_of(tenant, code: str, day: date | None = None) -> list[User]:
    """The active users holding position ``code`` on ``day`` (default: the tenant's today):
    definitive and acting holders whose period includes the day, in the order they were assigned."""
    day = day or local_today(tenant)
    with tenant_scope(tenant):
        return list(db.session.execute(
            db.select(User).join(PositionHolder, PositionHolder.user_id == User.id)
            .join(Position, Position.id == PositionHolder.position_id)
            .where(Position.code == code, Position.active.is_(True), User.active.is_(True),
                   PositionHolder.held_on(day)).order_by(PositionHolder.id)
        ).scalars())


def holds(tenant, user, code: str, day: date | None = None) -> bool:
    """Whether ``user`` holds position ``code`` on ``day`` (default: the tenant's today; an acting
    holding counts within its period)."""
    uid = getattr(user, "id", None)
    if uid is None:
        return False
    day = day or local_today(tenant)
    with tenant_scope(tenant):
        return db.session.execute(
            db.select(PositionHolder.id).join(Position, Position.id == PositionHolder.position_id)
            .join(User, User.id == PositionHolder.user_id)
            .where(PositionHolder.user_id == uid, Position.code == code, Position.active.is_(True),
                   User.active.is_(True), PositionHolder.held_on(day)).limit(1)
        ).first() is not None


def head_of(tenant, unit_code: str, kind: str = "agency", day: date | None = None) -> list[User]:
    """Who holds the head position of unit ``unit_code`` on ``day`` (empty if nobody, or the unit
    has no positions). Complaints' "head of agency" contact, a letter's signatory."""
    with tenant_scope(tenant):
        code = db.session.execute(
            db.select(Position.code).join(OrgUnit, OrgUnit.id == Position.unit_id)
            .where(OrgUnit.kind == kind, OrgUnit.code == unit_code, Position.is_head.is_(True),
                   Position.active.is_(True))
        ).scalar_one_or_none()
    return holders_of(tenant, code, day) if code else []


# -- From the admin pages ---------------------------------------------------------------------------

def add_position(tenant, unit: OrgUnit, code: str, name: str, head: bool, actor) -> Position:
    """A new position in ``unit``; a code used in the tenant or a second head is refused."""
    from .schema import CODE
    import re

    code, name = (code or "").strip(), (name or "").strip()
    if not re.match(CODE, code):
        raise ValidationError("letters, digits, '.', '_' or '-', up to 32", where="code", code="bad_code")
    if not name or len(name) > 200:
        raise ValidationError("a name of 1 to 200 characters", where="name", code="bad_name")
    with tenant_scope(tenant):
        if db.session.execute(db.select(Position.id).where(Position.code == code)).first():
            raise ValidationError(f"position code '{code}' is already used", where="code", code="duplicate_position")
        if head and db.session.execute(db.select(Position.code).where(
                Position.unit_id == unit.id, Position.is_head.is_(True), Position.active.is_(True))).first():
            raise ValidationError("this unit already has a head position", where="head", code="second_head")
        if not head and not db.session.execute(db.select(Position.id).where(
                Position.unit_id == unit.id, Position.is_head.is_(True), Position.active.is_(True))).first():
            raise ValidationError("the unit's first position is its head (tick 'head')", where="head", code="head_first")
        row = Position(tenant_id=tenant.id, unit_id=unit.id, code=code, name=name, is_head=bool(head), active=True)
        db.session.add(row)
        db.session.flush()
        record(tenant, actor, "org.position.create", "position", code,
               after={"unit": unit.code, "name": name, "is_head": bool(head)})
    return row


def assign_holder(tenant, position: Position, email: str, actor, acting: bool | str = False,
                  start: date | None = None, until: date | None = None) -> PositionHolder:
    """``email`` (a user of the tenant) holds ``position`` from ``start`` (default: the tenant's
    today; an acting holder needs it given) until ``until`` (inclusive; none: until removed).
    ``acting``: False, or the acting kind ``plt`` / ``plh`` / ``pj`` / ``pjs`` (True is ``plt``)."""
    kind = acting_kind(acting)
    user = _require_member(tenant, email, "email")
    if acting and start is None:
        raise ValidationError("an acting holder needs a start date", where="from", code="acting_needs_start")
    start = start or local_today(tenant)
    if until and until < start:
        raise ValidationError("the end date is before the start date", where="until", code="period_backwards")
    with tenant_scope(tenant):
        row = PositionHolder(tenant_id=tenant.id, position_id=position.id, user_id=user.id, acting=bool(acting),
                             acting_kind=kind, starts_on=start, ends_on=until)
        db.session.add(row)
        db.session.flush()
        record(tenant, actor, "org.position.assign", "position", position.code, after=_holding(row, user.email))
    return row


def remove_holder(tenant, holder: PositionHolder, actor, last_day: date | None = None) -> bool:
    """End ``holder``'s holding on ``last_day`` (default: yesterday, the tenant's day), keeping it as
    history; a holding that has not started by then is deleted. True when the holding was kept (ended),
    False when it was deleted. Refused (``ValidationError``, code ``holding_ended``) for a holding
    already ended by ``last_day``."""
    last_day = last_day or local_today(tenant) - timedelta(days=1)
    with tenant_scope(tenant):
        if holder.ends_on is not None and holder.ends_on <= last_day and not (
                holder.starts_on is not None and holder.starts_on > last_day):
            raise ValidationError(f"the holding already ended on {holder.ends_on.isoformat()}", where="last_day",
                                  code="holding_ended")
        position = db.session.execute(db.select(Position).where(Position.id == holder.position_id)).scalar_one()
        email = _emails([holder.user_id]).get(holder.user_id, "")
        before = _holding(holder, email)
        kept = _end(holder, last_day)
        db.session.flush()
        record(tenant, actor, "org.position.unassign", "position", position.code, before=before,
               after=_holding(holder, email) if kept else None)
    return kept
