"""Read-only views of the tenant's positions (jabatan) for modules: which positions a person
holds on a day (definitively or acting, *Plt.*; the day filtered in SQL, history kept), and the tenant's active positions with their
units. Added for the e-office module (signature blocks name an acting holder; letters are
addressed to positions); ``positions.py`` keeps the writes."""
from __future__ import annotations

from datetime import date

from ..extensions import db
from .models import OrgUnit, Position, PositionHolder
from .positions import kind_of, local_today
from .scope import tenant_scope


def _row(position: Position, unit: OrgUnit, holding: PositionHolder | None = None) -> dict:
    out = {"code": position.code, "name": position.name, "is_head": bool(position.is_head),
           "unit_code": unit.code, "unit_name": unit.name, "unit_kind": unit.kind, "unit_id": unit.id}
    if holding is not None:
        out["acting"] = holding.acting
        out["acting_kind"] = kind_of(holding)
    return out


def positions_of(tenant, user, day: date | None = None) -> list[dict]:
    """The active positions ``user`` holds on ``day`` (default: the tenant's today), in code order:
    ``[{"code", "name", "is_head", "unit_code", "unit_name", "unit_kind", "unit_id", "acting", "acting_kind"}]``;
    ``acting`` is True for an acting holding within its period, ``acting_kind`` then says which
    (``plt``, ``plh``, ``pj``, ``pjs``: Plt., Plh., Pj., Pjs.; None for a definitive holding)."""
    uid = getattr(user, "id", None)
    if uid is None:
        return []
    day = day or local_today(tenant)
    with tenant_scope(tenant):
        rows = db.session.execute(
            db.select(PositionHolder, Position, OrgUnit)
            .join(Position, Position.id == PositionHolder.position_id)
            .join(OrgUnit, OrgUnit.id == Position.unit_id)
            .where(PositionHolder.user_id == uid, Position.active.is_(True), PositionHolder.held_on(day))
            .order_by(Position.code, PositionHolder.id)
        ).all()
    return [_row(p, u, h) for h, p, u in rows]


def active_positions(tenant) -> list[dict]:
    """Every active position of the tenant with its unit, in unit then code order:
    ``[{"code", "name", "is_head", "unit_code", "unit_name", "unit_kind", "unit_id"}]``."""
    with tenant_scope(tenant):
        rows = db.session.execute(
            db.select(Position, OrgUnit).join(OrgUnit, OrgUnit.id == Position.unit_id)
            .where(Position.active.is_(True)).order_by(OrgUnit.code, Position.code)
        ).all()
    return [_row(p, u) for p, u in rows]


def holdings(tenant, day: date | None = None) -> list[dict]:
    """Who holds which active position on ``day`` (default: the tenant's today), in one query for
    the whole tenant (a monthly run over 18,000 employees): ``[{"email", "code", "is_head",
    "unit_code", "unit_kind", "acting"}]`` in position code then holder order, active users only;
    an acting holder (Plt.) only within their period. For a module that needs everyone's position
    at once (a monthly run takes each employee's position from the organisation)."""
    from ..auth.models import User

    day = day or local_today(tenant)
    with tenant_scope(tenant):
        rows = db.session.execute(
            db.select(PositionHolder.acting, Position, OrgUnit, User.email)
            .join(Position, Position.id == PositionHolder.position_id)
            .join(OrgUnit, OrgUnit.id == Position.unit_id)
            .join(User, User.id == PositionHolder.user_id)
            .where(Position.active.is_(True), User.active.is_(True), PositionHolder.held_on(day))
            .order_by(Position.code, PositionHolder.id)
        ).all()
    return [{"email": email, "code": p.code, "is_head": bool(p.is_head), "unit_code": u.code, "unit_kind": u.kind,
             "acting": bool(acting)}
            for acting, p, u, email in rows]
