"""The tenant admin's organisation page: units (agencies with their sections, districts with their
villages), their positions (jabatan) and who holds them, acting holders (Plt.) with their period;
a removed holder's holding ends (yesterday, or the last day given) and is folded under "Earlier
holders", kept as the position's history.
Checked where it is written (DESIGN §5): a holder must have a role in the tenant, a position code
is unique, a unit has one head; a refused form is shown again with the message, answered 400."""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..auth.permissions import requires
from ..errors import PamongError, ValidationError
from ..extensions import db
from ..params import OutOfBounds, parse_date
from ..tenancy import positions as jabatan
from ..tenancy.models import OrgUnit, Position, PositionHolder
from .views import _actor, bp

ORDER = {"agency": 0, "section": 1, "district": 2, "village": 3}


def _tree() -> list[dict]:
    units = db.session.execute(db.select(OrgUnit).where(OrgUnit.active.is_(True)).order_by(OrgUnit.id)).scalars().all()
    positions = db.session.execute(
        db.select(Position).where(Position.active.is_(True)).order_by(Position.id)).scalars().all()
    holders = db.session.execute(db.select(PositionHolder).order_by(PositionHolder.id)).scalars().all()
    emails = jabatan._emails(h.user_id for h in holders)
    today = jabatan.local_today(g.tenant)
    held: dict[int, list] = {}
    earlier: dict[int, list] = {}
    for h in holders:  # current and upcoming holders; the ended ones folded away, latest first
        into = held if h.ends_on is None or h.ends_on >= today else earlier
        into.setdefault(h.position_id, []).append({"row": h, "email": emails.get(h.user_id, "")})
    for rows in earlier.values():
        rows.sort(key=lambda h: h["row"].ends_on, reverse=True)
    rows = []
    tops = [u for u in units if u.kind in ("agency", "district")]
    for top in sorted(tops, key=lambda u: (ORDER[u.kind], u.name)):
        for unit in [top] + [u for u in units if u.parent_id == top.id and u.kind in ("section", "village")]:
            rows.append({"unit": unit, "inner": unit is not top, "positions": [
                {"position": p, "holders": held.get(p.id, []), "earlier": earlier.get(p.id, [])}
                for p in positions if p.unit_id == unit.id]})
    return rows


def _page(error: str | None = None, status: int = 200):
    return render_template("admin/organisation.html", rows=_tree(), error=error), status


@bp.route("/organisation")
@requires("core.admin")
def organisation():
    return _page()


@bp.route("/organisation/units/<int:unit_id>/positions", methods=["POST"])
@requires("core.admin")
def add_position(unit_id: int):
    unit = db.session.execute(db.select(OrgUnit).where(OrgUnit.id == unit_id, OrgUnit.active.is_(True))).scalar()
    if unit is None:
        abort(404)
    try:
        jabatan.add_position(g.tenant, unit, request.form.get("code", ""), request.form.get("name", ""),
                             request.form.get("head") == "1", _actor())
        db.session.commit()
    except PamongError as exc:
        db.session.rollback()
        return _page(_message(exc), 400)
    flash(_("Position added."))
    return redirect(url_for("admin.organisation"))


@bp.route("/organisation/positions/<code>/holders", methods=["POST"])
@requires("core.admin")
def assign_holder(code: str):
    position = jabatan.find_position(g.tenant, code)
    if position is None:
        abort(404)
    try:
        start, until = _day("from"), _day("until")
        jabatan.assign_holder(g.tenant, position, request.form.get("email", ""), _actor(),
                              acting=_acting(request.form.get("acting", "")), start=start, until=until)
        db.session.commit()
    except PamongError as exc:
        db.session.rollback()
        return _page(_message(exc), 400)
    flash(_("Holder assigned."))
    return redirect(url_for("admin.organisation"))


@bp.route("/organisation/holders/<int:holder_id>/remove", methods=["POST"])
@requires("core.admin")
def remove_holder(holder_id: int):
    holder = db.session.execute(db.select(PositionHolder).where(PositionHolder.id == holder_id)).scalar()
    if holder is None:
        abort(404)
    try:
        kept = jabatan.remove_holder(g.tenant, holder, _actor(), last_day=_day("last_day"))
        db.session.commit()
    except PamongError as exc:
        db.session.rollback()
        return _page(_message(exc), 400)
    flash(_("Holding ended and kept in the history.") if kept else _("Holder removed."))
    return redirect(url_for("admin.organisation"))


def _acting(value: str):
    """The form's acting kind: ``""`` definitive, ``plt``/``plh``/``pj``/``pjs`` (``1``, the old checkbox: ``plt``)."""
    value = value.strip()
    return "plt" if value == "1" else value or False


def _day(name: str):
    raw = request.form.get(name, "").strip()
    if not raw:
        return None
    try:
        return parse_date(raw)
    except OutOfBounds as exc:
        raise ValidationError(exc.message, where=name, code="bad_date") from None


def _message(exc: PamongError) -> str:
    """The refusal in the person's language where the core knows the kind."""
    if exc.code == "holder_not_member":
        return _("%(email)s has no role in this tenant: grant them a role on the users page first.",
                 email=request.form.get("email", "").strip().lower())
    if exc.code == "duplicate_position":
        return _("The position code %(code)s is already used in this tenant.", code=request.form.get("code", "").strip())
    known = {
        "bad_code": _("Code: letters, digits, '.', '_' or '-', at most 32 characters."),
        "bad_name": _("Name: 1 to 200 characters."),
        "second_head": _("This unit already has a head position."),
        "head_first": _("A unit's first position is its head: tick 'Head of the unit'."),
        "acting_needs_start": _("An acting holder (Plt.) needs a start date."),
        "bad_acting_kind": _("Acting: choose Plt., Plh., Pj. or Pjs."),
        "period_backwards": _("The end date is before the start date."),
        "bad_date": _("Dates are written as YYYY-MM-DD."),
        "holding_ended": _("This holding had already ended by that day."),
    }
    if exc.code not in known and exc.local:  # the service's own words in the reader's language
        return str(exc.local)
    return known.get(exc.code) or (f"{exc.where}: {exc.message}" if exc.where else exc.message)
