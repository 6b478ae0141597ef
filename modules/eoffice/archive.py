"""The archive (issue 14.6): every signed letter is filed (pemberkasan) in the dossier of its
classification code, issuing unit and year; the records unit closes a dossier, and the
classification's retention schedule (JRA, Permendagri 83/2022: active years, inactive years, then
``permanen`` or ``musnah``) gives the day it becomes inactive and the day it is due for review.
Functions of ``(tenant, actor, ...)`` in the caller's transaction; audited (``eoffice.dossier.*``)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, or_

from core.kit import NotFound, ValidationError, audit, db, for_change, lazy_gettext as _l, local_date, tenant_scope, utcnow, write_lock

from . import kka
from .models import Dossier, Filing, Letter
from .settings import classifications, require_classification

OPEN, ACTIVE, INACTIVE, REVIEW_DUE = "open", "active", "inactive", "review_due"
TRANSFERRED, DESTROYED = "transferred", "destroyed"  # a review's outcome (appraisal.py)


def add_years(day: date, years: int) -> date:
    """``day`` ``years`` later; 29 February becomes 28 February in a year without it."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def retention(closed_on: date, active_years: int, inactive_years: int) -> tuple[date, date]:
    """``(inactive_on, review_on)`` of a dossier closed on ``closed_on``: active for
    ``active_years`` (kept by the unit), then inactive for ``inactive_years`` (the records
    centre), then due for its final disposition (JRA)."""
    if active_years < 0 or inactive_years < 0:
        raise ValidationError("retention years cannot be negative", where="retention")
    inactive_on = add_years(closed_on, active_years)
    return inactive_on, add_years(inactive_on, inactive_years)


def state(dossier: Dossier, today: date) -> str:
    """``open`` (still filing), ``active``, ``inactive`` or ``review_due`` on ``today``; after its
    review, its outcome (``transferred``, ``destroyed``)."""
    if dossier.outcome:
        return dossier.outcome
    if dossier.closed_on is None:
        return OPEN
    if today >= dossier.review_on:
        return REVIEW_DUE
    return INACTIVE if today >= dossier.inactive_on else ACTIVE


def known_code(tenant, code: str) -> str | None:
    """``code`` if it is one of the tenant's classification codes, else its nearest ancestor that
    is (a letter from another tenant may carry a code the receiver has not declared), else None."""
    known = classifications(tenant)
    while code and code not in known:
        code = kka.parent_of(code)
    return code or None


def file_letter(tenant, actor, letter: Letter, classification: str | None = None) -> Dossier:
    """File ``letter`` (signed here, or received) in the open dossier of its classification (or
    ``classification``, a known code it falls under), unit and year (made when missing). A letter
    is filed once; a closed dossier takes no more letters (a new year's or a reopened series goes
    to a new dossier code with a suffix)."""
    code = classification or letter.classification
    entry = require_classification(tenant, code)
    base = f"{code}/{letter.unit_code}/{letter.year}"
    with tenant_scope(tenant):
        if db.session.execute(db.select(Filing.id).where(Filing.letter_id == letter.id)).first():
            raise ValidationError("already filed", where="letter", code="already_filed")
        # one filer at a time per series (PostgreSQL: an advisory lock to the commit; SQLite: the
        # writer already): two letters signed at once must not both open the missing dossier
        write_lock(db.session, key=f"eoffice-dossier:{tenant.id}:{base}")
        dossiers = list(db.session.execute(for_change(
            db.select(Dossier).where(Dossier.code.like(f"{base}%")).order_by(Dossier.id), Dossier)).scalars())
        dossier = next((d for d in dossiers if d.closed_on is None and d.code.split("#")[0] == base), None)
        if dossier is None:
            code = base if not dossiers else f"{base}#{len(dossiers) + 1}"
            dossier = Dossier(code=code, classification=base.split("/")[0], unit_code=letter.unit_code,
                              title=f"{entry['name']} {letter.unit_code} {letter.year}",
                              opened_on=local_date(tenant, utcnow()), final=entry["final"])
            db.session.add(dossier)
            db.session.flush()
            audit(tenant, actor, "eoffice.dossier.open", "dossier", dossier.id, after={"code": code})
        db.session.add(Filing(dossier_id=dossier.id, letter_id=letter.id, filed_by=str(actor)[:254]))
        audit(tenant, actor, "eoffice.letter.file", "letter", letter.id, after={"dossier": dossier.code})
        db.session.flush()
    return dossier


def close_dossier(tenant, actor, dossier_id, closed_on: date | None = None) -> Dossier:
    """The records unit closes a dossier on ``closed_on`` (default: the tenant's today; not in
    the future): its retention dates are computed from its classification's JRA."""
    today = local_date(tenant, utcnow())
    closed_on = closed_on or today
    if closed_on > today:
        raise ValidationError(_l("A dossier is not closed in the future."), where="closed_on")
    with tenant_scope(tenant):
        dossier = db.session.execute(for_change(db.select(Dossier).where(Dossier.id == int(dossier_id)), Dossier)) \
            .scalar_one_or_none()
        if dossier is None:
            raise NotFound("no such dossier", code="dossier_not_found")
        if dossier.closed_on is not None:
            raise ValidationError(_l("This dossier is already closed."), where="dossier", code="already_closed")
        entry = classifications(tenant).get(dossier.classification) or {"active_years": 2, "inactive_years": 3}
        dossier.closed_on = closed_on
        dossier.inactive_on, dossier.review_on = retention(closed_on, entry["active_years"], entry["inactive_years"])
        audit(tenant, actor, "eoffice.dossier.close", "dossier", dossier.id,
              after={"code": dossier.code, "closed_on": closed_on.isoformat(),
                     "inactive_on": dossier.inactive_on.isoformat(), "review_on": dossier.review_on.isoformat(),
                     "final": dossier.final})
        db.session.flush()
    return dossier


def records(tenant, only: str = "", q: str = "") -> list[tuple[Dossier, str, int]]:
    """The records unit's list: ``(dossier, state, letters filed)``, the ones due for review first;
    ``only`` a state (``archive.STATES``) or all; ``q`` part of the dossier's code or title."""
    today = local_date(tenant, utcnow())
    query = db.select(Dossier).order_by(Dossier.review_on.is_(None), Dossier.review_on, Dossier.code, Dossier.id)
    q = (q or "").strip()
    if q:
        # the words as typed: % and _ are letters here, not wildcards
        query = query.where(or_(*(column.icontains(q, autoescape=True) for column in (
            Dossier.code, Dossier.title))))
    with tenant_scope(tenant):
        counts = dict(db.session.execute(db.select(Filing.dossier_id, func.count(Filing.id)).group_by(Filing.dossier_id)).all())
        rows = list(db.session.execute(query).scalars())
    out = [(d, state(d, today), counts.get(d.id, 0)) for d in rows]
    return [r for r in out if not only or r[1] == only]


def records_page(tenant, only: str = "", q: str = "", page: int = 1, size: int = 20):
    """One page of ``records`` (``size`` rows; a page past the last shows the last): a
    ``queries.Page`` of ``(dossier, state, letters filed)``. The state is computed from the dates
    of today, so the list is filtered before it is cut into pages."""
    from .queries import Page

    rows = records(tenant, only, q)
    pages = max(1, -(-len(rows) // size))
    page = min(max(1, page), pages)
    return Page(rows[(page - 1) * size:page * size], page, pages, len(rows))


def unconfirmed(tenant) -> set[str]:
    """The classification codes whose retention is a built-in figure the tenant has not confirmed
    (set from its own JRA): the records unit checks them before a dossier is reviewed."""
    return {code for code, entry in classifications(tenant).items() if not entry["confirmed"]}


def contents(tenant, actor, dossier_id) -> tuple[Dossier, str, list[tuple[Letter, bool]]]:
    """A dossier's list of contents (daftar isi berkas), as filed: ``(dossier, state, [(letter,
    readable)])``, oldest filing first. ``readable``: ``actor`` may open the letter (its security
    classification, ``access.may_read``); the page shows a ``rahasia`` letter the reader may not
    open by its number and date only. ``NotFound`` (``dossier_not_found``) for none of the tenant's."""
    from .access import may_read, who

    try:
        key = int(dossier_id)
    except (TypeError, ValueError):
        raise NotFound("no such dossier", code="dossier_not_found") from None
    with tenant_scope(tenant):
        dossier = db.session.execute(db.select(Dossier).where(Dossier.id == key)).scalar_one_or_none()
        if dossier is None:
            raise NotFound("no such dossier", code="dossier_not_found")
        letters = list(db.session.execute(db.select(Letter).join(Filing, Filing.letter_id == Letter.id)
                                          .where(Filing.dossier_id == dossier.id)
                                          .order_by(Filing.filed_at, Filing.id)).scalars())
    me = who(tenant, actor)
    return dossier, state(dossier, local_date(tenant, utcnow())), [(letter, may_read(tenant, letter, me)) for letter in letters]
