"""Who may read a letter (the security classification of Permendagri 1/2023 limits it) and who
the acting person is for the inbox (the units they are an officer of, the positions they hold).

- ``biasa``: everyone involved (drafter, the issuing and the drafting unit's officers, the review chain's position
  holders, addressees and copies, the dispositions' people) and, once signed or sent, overseers (``eoffice.oversee``);
- ``terbatas``: everyone involved, not overseers;
- ``rahasia``: the drafter, the review chain, direct addressees (not copies, not the unit's
  colleagues) and the dispositions' people.
"""
from __future__ import annotations

from dataclasses import dataclass

from core.kit import NotFound, OrgUnit, audit, db, for_change, positions_of, tenant_scope

from .models import SENT, SIGNED, TO, Disposition, Letter, Recipient

OVERSEE = "eoffice.oversee"


@dataclass(frozen=True)
class Who:
    """The acting person as the inbox sees them: ``user_id``, the codes and ids of the units they
    are an officer of, the codes of the positions they hold today."""

    user_id: int | None
    unit_ids: frozenset
    unit_codes: frozenset
    positions: frozenset
    oversees: bool


def who(tenant, actor) -> Who:
    """``actor`` as the inbox sees them. Their units: the agencies they are an officer of and the
    units of the positions they hold today (a head belongs to the unit they head)."""
    user = getattr(actor, "user", None)
    uid = getattr(user, "id", None)
    held = positions_of(tenant, user) if uid else []
    ids = (frozenset(actor.agency_ids) | {p["unit_id"] for p in held}) if uid else frozenset()
    with tenant_scope(tenant):
        codes = frozenset(db.session.execute(db.select(OrgUnit.code).where(OrgUnit.id.in_(ids))).scalars()) if ids \
            else frozenset()
    return Who(uid, ids, codes, frozenset(p["code"] for p in held), bool(actor.can(OVERSEE)))


def involvement(tenant, letter: Letter, me: Who) -> set[str]:
    """How ``me`` is involved: a set of ``drafter``, ``unit``, ``chain``, ``to``, ``cc``, ``disposition``."""
    found = set()
    if me.user_id is None:
        return found
    if letter.drafter_id == me.user_id:
        found.add("drafter")
    if letter.unit_id in me.unit_ids or (letter.drafting_unit_code and letter.drafting_unit_code in me.unit_codes):
        found.add("unit")  # the issuing unit's officers, and the drafting unit's (a letter drafted for the Wali Kota)
    if set(letter.steps or ()) & me.positions:
        found.add("chain")
    with tenant_scope(tenant):
        if letter.status == "sent":
            for r in db.session.execute(db.select(Recipient).where(Recipient.letter_id == letter.id)).scalars():
                if (r.unit_code and r.unit_code in me.unit_codes) or (r.position_code and r.position_code in me.positions):
                    found.add("to" if r.kind == TO else "cc")
        if db.session.execute(db.select(Disposition.id).where(
                Disposition.letter_id == letter.id,
                (Disposition.to_id == me.user_id) | (Disposition.from_id == me.user_id)).limit(1)).first():
            found.add("disposition")
    return found


def overseeable(letter: Letter) -> bool:
    """A letter an overseer reads without being involved: ``biasa`` and past signing (signed or
    sent: the list ``queries.ordinary`` shows), never a draft or a letter in review."""
    return letter.security == "biasa" and letter.status in (SIGNED, SENT)


def may_read(tenant, letter: Letter, me: Who) -> bool:
    how = involvement(tenant, letter, me)
    if letter.security == "rahasia":
        return bool(how & {"drafter", "chain", "to", "disposition"})
    if letter.security == "terbatas":
        return bool(how)
    return bool(how) or (me.oversees and overseeable(letter))


def by_oversight(tenant, letter: Letter, me: Who) -> bool:
    """``me`` reads ``letter`` as an overseer only (an auditor, the Inspektorat): a ``biasa`` letter
    past signing they are not involved in. They read it, never act on it (``eoffice.work`` acts, and
    every action needs an involvement)."""
    return me.oversees and overseeable(letter) and not involvement(tenant, letter, me)


def record_oversight_read(tenant, actor, letter: Letter, what: str) -> None:
    """An overseer read ``letter`` (``what``: its page, PDF, attachment, disposition sheet or a
    follow-up's report): audited ``eoffice.letter.read_by_overseer``, in the caller's transaction."""
    with tenant_scope(tenant):
        audit(tenant, actor, "eoffice.letter.read_by_overseer", "letter", letter.id,
              after={"number": letter.number, "what": what})


def get_letter(tenant, letter_id, *, change: bool = False) -> Letter:
    """The tenant's letter ``letter_id`` (read for a change under the write lock with ``change``);
    ``NotFound`` (``letter_not_found``) for a letter of another tenant or none."""
    try:
        letter_id = int(letter_id)
    except (TypeError, ValueError):
        raise NotFound("no such letter", code="letter_not_found") from None
    with tenant_scope(tenant):
        query = db.select(Letter).where(Letter.id == letter_id)
        letter = db.session.execute(for_change(query, Letter) if change else query).scalar_one_or_none()
    if letter is None:
        raise NotFound("no such letter", code="letter_not_found")
    return letter


def readable_letter(tenant, actor, letter_id, *, change: bool = False) -> tuple[Letter, Who]:
    """The letter if ``actor`` may read it, else ``NotFound`` (a letter one may not read is not
    shown to exist)."""
    letter = get_letter(tenant, letter_id, change=change)
    me = who(tenant, actor)
    if not may_read(tenant, letter, me):
        raise NotFound("no such letter", code="letter_not_found")
    return letter, me
