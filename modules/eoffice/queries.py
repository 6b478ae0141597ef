"""What the officer's pages read: the home counters SRIKANDI users expect, the lists (paginated,
searchable by number, subject and sender) and a letter's timeline. Reads only."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_

from core.kit import approvals, db, documents, local_date, tenant_scope, utcnow

from .access import Who, may_read
from .models import OPEN, REVIEW, SENT, SIGNED, Disposition, Event, Letter, Recipient

ACTION_ORDER = ("start", "approve", "return")


def _pending_chains(tenant) -> dict[str, object]:
    """The open review chains of the tenant's letters, by object id (``"<letter id>.<revision>"``)."""
    with tenant_scope(tenant):
        rows = db.session.execute(db.select(approvals.ApprovalChain).where(
            approvals.ApprovalChain.module == "eoffice", approvals.ApprovalChain.kind == "letter",
            approvals.ApprovalChain.status == approvals.PENDING)).scalars()
        return {c.object_id: c for c in rows}


def awaiting_me(tenant, me: Who) -> tuple[list[Letter], list[Letter]]:
    """Letters in review whose current step is a position ``me`` holds: ``(to verify, to sign)``;
    not the letters ``me`` drafted awaiting a paraf (the drafter may not give it)."""
    chains = _pending_chains(tenant)
    verify, sign = [], []
    if not me.positions:
        return verify, sign
    with tenant_scope(tenant):
        letters = db.session.execute(db.select(Letter).where(Letter.status == REVIEW).order_by(Letter.submitted_at))
        for letter in letters.scalars():
            chain = chains.get(letter.chain_id)
            if chain is None or chain.current >= len(chain.steps):
                continue
            if chain.steps[chain.current].get("position") in me.positions:
                last = chain.current == len(chain.steps) - 1
                if not last and letter.drafter_id is not None and letter.drafter_id == me.user_id:
                    continue  # their own draft: another holder gives the paraf (review.own_draft)
                (sign if last else verify).append(letter)
    return verify, sign


def _ours(me: Who):
    """Letters of ``me``'s units (issuing, or drafted there) or drafted by ``me``."""
    return or_(Letter.unit_id.in_(me.unit_ids), Letter.drafting_unit_code.in_(me.unit_codes),
               Letter.drafter_id == me.user_id)


def _mine(me: Who):
    """The recipient rows addressed to ``me`` (their units, their positions)."""
    conds = []
    if me.unit_codes:
        conds.append(Recipient.unit_code.in_(me.unit_codes))
    if me.positions:
        conds.append(Recipient.position_code.in_(me.positions))
    return or_(*conds) if conds else None


def counters(tenant, me: Who) -> dict[str, int]:
    """``{"to_sign", "to_verify", "signed_not_sent", "unread", "open_dispositions", "overdue_dispositions"}``."""
    verify, sign = awaiting_me(tenant, me)
    today = local_date(tenant, utcnow())
    with tenant_scope(tenant):
        codes = db.session.execute(db.select(Letter.document_code).where(
            Letter.status == SIGNED, _ours(me))).scalars().all()
        # a revoked letter is never sent: it is not waiting to be (the core's register says which)
        not_sent = len(codes) - len(documents.revoked(tenant, codes))
        mine = _mine(me)
        unread = 0 if mine is None else db.session.execute(
            db.select(func.count(func.distinct(Recipient.letter_id))).join(Letter, Letter.id == Recipient.letter_id)
            .where(Letter.status == SENT, Recipient.read_at.is_(None), mine)).scalar()
        open_q = db.select(func.count(Disposition.id)).where(Disposition.to_id == me.user_id, Disposition.status == OPEN)
        open_count = db.session.execute(open_q).scalar()
        overdue = db.session.execute(open_q.where(Disposition.due_on < today)).scalar()
    return {"to_sign": len(sign), "to_verify": len(verify), "signed_not_sent": not_sent, "unread": unread,
            "open_dispositions": open_count, "overdue_dispositions": overdue}


def _search(query, q: str):
    q = (q or "").strip()
    if not q:
        return query
    # the words as typed: % and _ are letters here, not wildcards
    return query.where(or_(*(column.icontains(q, autoescape=True) for column in (
        Letter.number, Letter.origin_number, Letter.subject, Letter.unit_name, Letter.drafter, Letter.origin_name))))


@dataclass
class Page:
    rows: list
    page: int
    pages: int
    total: int


def _paged(query, page: int, size: int) -> Page:
    total = db.session.execute(db.select(func.count()).select_from(query.order_by(None).subquery())).scalar()
    pages = max(1, -(-total // size))
    page = min(max(1, page), pages)
    rows = list(db.session.execute(query.limit(size).offset((page - 1) * size)).all())
    return Page(rows, page, pages, total)


def inbox(tenant, me: Who, q: str = "", page: int = 1, size: int = 20) -> Page:
    """Sent letters addressed to ``me`` (``to`` and ``cc``) or disposed to ``me`` (a letter that
    reached them only through a disposition down the hierarchy), newest first: rows of
    ``(Letter, unread: bool)``; unread when a recipient row of ``me``'s is unread (a letter
    reached only through a disposition counts among the open dispositions, not the unread). Search
    by number (ours or the sender's), subject or sender (unit, drafter, or the sender of a letter
    that came in)."""
    mine = _mine(me)
    reached = []
    if mine is not None:
        reached.append(Letter.id.in_(db.select(Recipient.letter_id).where(mine)))
    if me.user_id is not None:
        reached.append(Letter.id.in_(db.select(Disposition.letter_id).where(Disposition.to_id == me.user_id)))
    with tenant_scope(tenant):
        if not reached:
            return Page([], 1, 1, 0)
        unread = db.literal(False) if mine is None else db.select(Recipient.id).where(
            Recipient.letter_id == Letter.id, Recipient.read_at.is_(None), mine).exists()
        query = (db.select(Letter, unread).where(Letter.status == SENT, or_(*reached))
                 .order_by(Letter.sent_at.desc(), Letter.id.desc()))
        result = _paged(_search(query, q), page, size)
    result.rows = [(letter, bool(flag)) for letter, flag in result.rows]
    return result


def outgoing(tenant, me: Who, q: str = "", page: int = 1, size: int = 20) -> Page:
    """Letters of ``me``'s units (issued by them, or drafted there for another office's signature) or
    drafted by ``me``, any status, newest change first: ``(Letter,)`` rows."""
    with tenant_scope(tenant):
        query = db.select(Letter).where(_ours(me),
                                        Letter.origin_name == "") \
            .order_by(Letter.updated_at.desc(), Letter.id.desc())
        return _paged(_search(query, q), page, size)


def ordinary(q: str = "", own_only: bool = False):
    """The register of ordinary (``biasa``) letters past signing (signed or sent), searchable as the
    lists are, unordered: what an overseer reads (``overseen``) and the API lists (``own_only``: the
    tenant's own letters, not those that came in)."""
    query = db.select(Letter).where(Letter.status.in_((SIGNED, SENT)), Letter.security == "biasa")
    return _search(query.where(Letter.origin_name == "") if own_only else query, q)


def any_ordinary(tenant) -> bool:
    """Whether the tenant has any ordinary letter past signing (its own or received): a province
    that writes none in e-office (its auditor reads its cities' figures) offers no empty list."""
    with tenant_scope(tenant):
        return db.session.execute(ordinary().limit(1)).first() is not None


def overseen(tenant, me: Who, q: str = "", page: int = 1, size: int = 20) -> Page:
    """The overseers' list (``eoffice.oversee``: an auditor): the tenant's ordinary letters, its own
    and those that came in, newest first: ``(Letter,)`` rows (``me`` unused: an overseer reads them all)."""
    with tenant_scope(tenant):
        newest = func.coalesce(Letter.sent_at, Letter.signed_at, Letter.updated_at)
        return _paged(ordinary(q).order_by(newest.desc(), Letter.id.desc()), page, size)


def dispositions_to(tenant, me: Who, open_only: bool = True) -> list[tuple[Disposition, Letter]]:
    with tenant_scope(tenant):
        query = db.select(Disposition, Letter).join(Letter, Letter.id == Disposition.letter_id) \
            .where(Disposition.to_id == me.user_id).order_by(Disposition.due_on, Disposition.id)
        if open_only:
            query = query.where(Disposition.status == OPEN)
        return list(db.session.execute(query).all())


def dispositions_from(tenant, me: Who) -> list[tuple[Disposition, Letter]]:
    """The open dispositions ``me`` gave (what they wait on: tindak lanjut not yet reported), the
    earliest due first: the head's watch over the follow-up of what they disposed."""
    with tenant_scope(tenant):
        query = db.select(Disposition, Letter).join(Letter, Letter.id == Disposition.letter_id) \
            .where(Disposition.from_id == me.user_id, Disposition.status == OPEN) \
            .order_by(Disposition.due_on, Disposition.id)
        return list(db.session.execute(query).all())


def letter_dispositions(tenant, letter: Letter) -> list[Disposition]:
    with tenant_scope(tenant):
        return list(db.session.execute(db.select(Disposition).where(Disposition.letter_id == letter.id)
                                       .order_by(Disposition.id)).scalars())


def disposition_chains(rows: list[Disposition]) -> list[tuple[Disposition, int]]:
    """``rows`` of one letter as its chains read: ``[(disposition, depth)]``, each followed by the
    ones passing it down (depth + 1), oldest first at every level."""
    ids = {d.id for d in rows}
    below: dict = {}
    for d in rows:
        below.setdefault(d.parent_id if d.parent_id in ids else None, []).append(d)
    out = []

    def walk(parent, depth):
        for d in below.get(parent, []):
            out.append((d, depth))
            walk(d.id, depth + 1)

    walk(None, 0)
    return out


def recipients(tenant, letter: Letter) -> list[Recipient]:
    with tenant_scope(tenant):
        return list(db.session.execute(db.select(Recipient).where(Recipient.letter_id == letter.id)
                                       .order_by(Recipient.kind.desc(), Recipient.id)).scalars())


def timeline(tenant, letter: Letter) -> list[dict]:
    """The letter's story, oldest first: its own events and every revision's review chain
    (``{"at", "actor", "action", "note", "data", "step_label"}``, ``actor`` the person's name, else their
    e-mail, as ``drafting.shown_name``; chain actions are ``paraf``, ``return``, ``start``)."""
    with tenant_scope(tenant):
        rows = [{"at": e.at, "actor": e.actor, "action": e.action, "note": e.note, "data": e.data, "step_label": "",
                 "order": (0, e.id)}
                for e in db.session.execute(db.select(Event).where(Event.letter_id == letter.id)).scalars()]
    for revision in range(1, letter.revision + 1):
        for n, h in enumerate(approvals.history(tenant, "eoffice", "letter", f"{letter.id}.{revision}")):
            if h["action"] == "start" or (h["action"] == "approve" and h["step"] == len(letter.steps) - 1):
                continue  # the signer's approval is the "signed" event
            action = {"approve": "paraf", "return": "returned_step"}.get(h["action"], h["action"])
            rows.append({"at": h["at"], "actor": h["actor_name"], "action": action, "note": h["note"],
                         "step_label": h["step_label"], "order": (1, n)})
    return sorted(rows, key=lambda r: (r["at"].replace(tzinfo=None), r["order"]))


def visible(tenant, me: Who, letters) -> list:
    return [letter for letter in letters if may_read(tenant, letter, me)]
