"""Read-only lists: the office's queue (paginated, by stage, overdue, searched by reference, permit
number or the applicant's name/NIK/NIB) and the public register of issued permits (no personal data:
the number, type, business name, dates and status only). Pages are read with ``LIMIT n+1`` so a page
never counts the whole table (``bench/permits.py`` measures both at 100,000 applications)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import false, func, or_

from core.kit import IdentityError, db, identity_lookup, tenant_scope, utcnow

from . import names
from .models import CLOSED, ISSUED, OPEN, SUBMITTED, Application, Event
from .oss import NOT_A_STATUS

PER_PAGE = 25


@dataclass
class Page:
    items: list
    number: int
    has_next: bool


def _page(query, page: int, per_page: int) -> Page:
    rows = list(db.session.execute(query.limit(per_page + 1).offset((page - 1) * per_page)).scalars())
    return Page(rows[:per_page], page, len(rows) > per_page)


def _search(query, q: str):
    """A number with '/' is a reference or permit number (exact, by their unique keys); 13 or 16
    digits a NIB or NIK (by its keyed hash); anything else words that start words of the applicant's
    or business name (``names.matching``: indexed under Row Level Security)."""
    q = " ".join((q or "").split())[:100]
    if not q:
        return query
    if "/" in q:
        # the (at most two) rows first, by the unique keys; then the page by their ids: asked in one
        # query the planner may walk the queue's due-date index over every row instead (SQLite did:
        # 0.3 s at 100,000 applications, bench/permits.py)
        ids = db.session.execute(db.select(Application.id).where(
            or_(Application.reference == q.upper(), Application.permit_number.in_({q, q.upper()}))).limit(2)
        ).scalars().all()
        return query.where(Application.id.in_(ids)) if ids else query.where(false())
    digits = q.replace(" ", "").replace(".", "")
    if digits.isdigit():
        terms = []
        for kind, column in (("nik", Application.nik_hash), ("nib", Application.nib_hash)):
            try:
                terms.append(column == identity_lookup(kind, digits))
            except IdentityError:
                pass
        return query.where(or_(*terms)) if terms else query.where(false())
    return query.where(names.matching(q))


def queue(tenant, page: int = 1, stage: int | None = None, overdue: bool = False, q: str = "",
          type_code: str = "", per_page: int = PER_PAGE, status: str = "") -> Page:
    """Open applications, the oldest deadline first (those without one, waiting on the applicant,
    last). ``stage``: only those awaiting that stage; ``overdue``: only those past their deadline;
    ``status``: only those in that status, open (e.g. ``awaiting_payment`` for the cashier,
    ``approved`` for the signer) or closed (``issued``, ``rejected``, ``withdrawn``: listed only when
    asked; another value is ignored, the page refuses it). A reference or permit number in ``q``
    (with '/') finds its application whatever its status (never a draft)."""
    with tenant_scope(tenant):
        if status in OPEN or status in CLOSED:
            statuses = (status,)
        else:
            statuses = OPEN + CLOSED if "/" in (q or "") else OPEN
        query = db.select(Application).where(Application.status.in_(statuses))
        if stage is not None:
            query = query.where(Application.status == SUBMITTED, Application.stage == stage)
        if overdue:
            query = query.where(Application.due_at < utcnow())
        if type_code:
            query = query.where(Application.type_code == type_code)
        # ascending with NULLs last: the order of the index (tenant_id, due_at, id) on PostgreSQL and SQLite
        query = _search(query, q).order_by(Application.due_at.asc().nulls_last(), Application.id)
        return _page(query, page, per_page)


def mine(tenant, user_id: int) -> list[Application]:
    with tenant_scope(tenant):
        return list(db.session.execute(db.select(Application).where(Application.applicant_id == user_id)
                                       .order_by(Application.id.desc()).limit(200)).scalars())


def register(tenant, page: int = 1, q: str = "", type_code: str = "", per_page: int = PER_PAGE) -> Page:
    """Issued permits, newest first; ``q`` finds a permit number (whole, in any case, spaces around
    ignored) or words of a business name (never the applicant's: the register shows no personal data)."""
    with tenant_scope(tenant):
        query = db.select(Application).where(Application.status == ISSUED)
        if type_code:
            query = query.where(Application.type_code == type_code)
        q = " ".join((q or "").split())[:100]
        if q:
            # the permit number as typed, in any case (the number itself, whole)
            query = query.where(or_(func.upper(Application.permit_number) == q.upper(),
                                    names.matching(q, (names.BUSINESS,))))
        return _page(query.order_by(Application.issued_at.desc(), Application.id.desc()), page, per_page)


def last_change(tenant, application_id: int):
    """The application's latest timeline line that records a change of its state (not an escalation,
    an expiry reminder or the fiktif-positif note, ``oss.NOT_A_STATUS``), or None: what an officer's
    form was opened on (``views_office.seen_mark``)."""
    with tenant_scope(tenant):
        return db.session.execute(db.select(Event).where(Event.application_id == application_id,
                                                         Event.action.not_in(NOT_A_STATUS))
                                  .order_by(Event.id.desc()).limit(1)).scalar_one_or_none()
