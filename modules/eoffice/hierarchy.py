"""Whom a disposition may go to: down the hierarchy of positions, never up, sideways or to oneself
(disposisi flows from a superior to subordinates, Permendagri 1/2023). One rule
(``subordinates``) gives both the letter page's choices and the service's check (``delivery``).

The core's organisation has units (with parents) and positions in them, one of them the unit's
head; positions name no superior of their own. So "below" is read from the units:

- the head of a unit is above the other positions of the unit, every position in the units under
  it (transitively: a bidang's head and its staff), and the officers of those units who hold no
  position (staff);
- the head of the receiving unit (``incoming_unit``, else the first agency by code) is also above
  the heads of the other agencies (not their people: each head disposes down in their own agency)
  only when that unit is the Setda: the unit of the Sekda's position (``sekretaris_daerah_position``),
  whose head passes a letter to the Kepala Dinas who handles it. A tenant with no Setda (Bandung's
  DLH receives) has no head above the other heads but the Kepala Daerah: its heads are peers;
- the Kepala Daerah's and the Wakil's positions (``kepala_daerah_position``,
  ``wakil_kepala_daerah_position``, declared in a unit, Makassar's in the Setda) have nobody of the
  tenant above them: the Kepala Daerah is above the Wakil, and both are above everyone their unit's
  head is above, that head too, and the heads of every agency;
- any other position is above the officers of its unit who hold no position;
- someone who holds no position is above nobody: they follow a disposition up, they do not pass
  it on.

Someone holding a position below the actor's but also one the actor is below (an acting holder of
a higher position) is not below them. Peers (two non-head positions of a unit, two holders of one
position) are not below each other."""
from __future__ import annotations

from dataclasses import dataclass

from core.kit import User, active_positions, db, holdings, members_of, org_units, positions_of, tenant_scope


@dataclass(frozen=True)
class Org:
    """The tenant's positions (``active_positions``), each unit's parent, the Kepala Daerah's and
    the Wakil's position codes (in that order, the ones set) and the receiving unit's code when it
    is the Setda (``setda_receives``), else None."""

    positions: tuple
    parents: dict
    leaders: tuple
    receiving: str | None


def org(tenant) -> Org:
    from .crossing import receiving_unit_code
    from .settings import settings_of

    settings = settings_of(tenant)
    leaders = tuple(code for code in (settings.get("kepala_daerah_position") or "",
                                      settings.get("wakil_kepala_daerah_position") or "") if code)
    positions = tuple(active_positions(tenant))
    receiving = receiving_unit_code(tenant)
    return Org(positions, {u.id: u.parent_id for u in org_units(tenant)}, leaders,
               receiving if setda_receives(positions, settings, receiving) else None)


def setda_receives(positions, settings: dict, receiving: str | None) -> bool:
    """Whether the receiving unit (code ``receiving``) is the Setda: the unit the Sekda's position
    (the setting ``sekretaris_daerah_position``) sits in. False with no Sekda named, or when letters
    from outside land at an agency (Bandung's DLH): its head is then one head among peers."""
    sekda = (settings.get("sekretaris_daerah_position") or "").strip()
    return bool(receiving and sekda) and any(p["code"] == sekda and p["unit_code"] == receiving for p in positions)


def _subtree(found: Org, unit_id) -> set:
    """``unit_id`` and every unit under it."""
    out, grew = {unit_id}, True
    while grew:
        more = {u for u, parent in found.parents.items() if parent in out} - out
        grew = bool(more)
        out |= more
    return out


def reach(found: Org, held) -> tuple[set[str], set[int]]:
    """What the positions ``held`` (codes) are above: the position codes, and the ids of the units
    whose officers without a position are below them (the module docstring's rule)."""
    by_code = {p["code"]: p for p in found.positions}
    codes, staff = set(), set()
    for code in held:
        mine = by_code.get(code)
        if mine is None:
            continue
        leader = code in found.leaders
        if not (mine["is_head"] or leader):
            staff.add(mine["unit_id"])
            continue
        under = _subtree(found, mine["unit_id"])
        staff |= under
        higher = set(found.leaders[:found.leaders.index(code) + 1]) if leader else set(found.leaders)
        for p in found.positions:
            if p["code"] == code or p["code"] in higher:
                continue
            if p["unit_id"] in under:
                if leader or p["unit_id"] != mine["unit_id"] or not p["is_head"]:
                    codes.add(p["code"])  # the unit's others (a leader: its head too) and all under it
            elif p["is_head"] and p["unit_kind"] == "agency" and (leader or mine["unit_code"] == found.receiving):
                codes.add(p["code"])  # the heads of the other agencies
    return codes, staff


def subordinates(tenant, actor) -> list[User]:
    """The people ``actor`` may dispose to, in the organisation's order (positions by unit and
    code, then the staff by name): holders of a position below one of theirs, and officers without
    a position of the units whose staff is below them; never themselves, nor anyone above them.
    [] for someone who holds no position."""
    user = getattr(actor, "user", None)
    uid = getattr(user, "id", None)
    held = {p["code"] for p in positions_of(tenant, user)} if uid else set()
    if not held:
        return []
    found = org(tenant)
    codes, staff_units = reach(found, held)
    holding: dict[str, set[str]] = {}
    for row in holdings(tenant):
        holding.setdefault(row["email"], set()).add(row["code"])
    wanted = [email for email, theirs in holding.items() if theirs & codes]
    with tenant_scope(tenant):
        users = {u.email: u for u in db.session.execute(db.select(User).where(User.email.in_(wanted))).scalars()} \
            if wanted else {}
    out: dict[int, User] = {}
    for p in found.positions:
        if p["code"] not in codes:
            continue
        for email in sorted(e for e in wanted if p["code"] in holding[e]):
            person = users.get(email)
            if person is not None and not held & reach(found, holding[email])[0]:  # not above the actor
                out.setdefault(person.id, person)
    staff = {u.id: u for unit_id in sorted(staff_units) for u in members_of(tenant, "officer", unit_id)
             if u.email not in holding}
    for person in sorted(staff.values(), key=lambda u: ((u.name or u.email).lower(), u.id)):
        out.setdefault(person.id, person)
    out.pop(uid, None)
    return list(out.values())


def known_person(tenant, user_id) -> User | None:
    """The tenant's officer or position holder with this id (to name them in a refusal), else None."""
    try:
        key = int(user_id)
    except (TypeError, ValueError):
        return None
    person = db.session.get(User, key)
    if person is None:
        return None
    if person.email in {row["email"] for row in holdings(tenant)} or \
            any(u.id == key for u in members_of(tenant, "officer")):
        return person
    return None
