"""Listing complaints: an agency's work queue, the coordinator's and auditor's views, the API list.

A list pays per page, not per row (issue 11.4): one statement for the page's rows (the filer's
encrypted name, phone and e-mail deferred: no list shows them), one for the total, and the page's
assignees in one statement (``assignee_names``). The officer's queue counts each row's photos in
its rows' statement (``queue_rows.PHOTOS``); the API counts a page's in one (``photo_counts``).

Keyword search (issue 20.2) matches by word start: every word of ``q`` must begin a word of the
tracking number or the description ("samp" finds "sampah"; "ampah" does not), looked up in the
word index ``complaint_words`` (``words.py``). A query that looks like a tracking number, or is the
filer's phone or e-mail, keeps its exact meaning (``lookup.search_condition``).

How it stays fast on PostgreSQL at 100,000 complaints in a tenant (measured with
``bench/complaints.py``): the list walks an index whose leading columns are the tenant and the
agency in the list's order and stops after its page. Each query word is ``complaints.id IN
(SELECT complaint_id FROM complaint_words WHERE word >= :w AND word < :next)``: a range on the word
index (LEAKPROOF operators, so Row Level Security lets the planner use it, where ``ILIKE`` on the
description could use no index). Which plan is fast depends on how common the word is, which the
planner misjudges (it divides the word's matches by the ids of every tenant: "sampah", in a third of
a tenant's 100,000 complaints, was estimated at 1.7 %), so the queue asks first, in one statement
reading the word index only (``words.rare_words``). A common word is asked of each row the list
walks (``words.probe``: a correlated ``coalesce((SELECT true ... LIMIT 1), false)``, an index-only
look in (tenant_id, complaint_id, word)), so the page stops after its rows and the capped count
after ``KEYWORD_COUNT_CAP`` + 1 matches ('truk sampah', open, 100,000 complaints in the tenant:
the count's 1,136 rows walked and probed in ~9 ms; hashing every id of both words first, as the
earlier ``coalesce(id IN (...), false)`` did, took ~27 ms, and ~38 ms for 'sampah' where the probe
takes ~5 ms). Where few rows of the list have the word, the probe walks the whole list as the hash
did, but pays ~5 us more a row (an agency's 35,000 rows and no match: ~300 ms against ~120 ms):
both read every row of the list, and an officer narrows it by a filter. A rare word
(fewer than ``words.RARE`` matches) is left plain: the planner then reads its few complaints from
the word index and sorts them ('kambing', no match: 0.4 ms, where walking the agency's list with
an empty hash read all its rows, 287 ms). The total is counted after the page, and not at all when
the page already shows where the list ends (``search``), and a keyword search only up to
``KEYWORD_COUNT_CAP``: past it the page asks for another word or a filter. The officer's keyword
page inside the cap shares one walk with its count (``WITH hits AS (the first cap + 1 matches,
numbered)``: the page is read from it by primary key; 'truk sampah', open: ~10 ms against ~12 ms
for the page and the count walking apart, EXPLAIN ANALYZE). The count walks the rows
in the list's order too: unordered, the same estimate of one half let the planner expect the cap
within the first pages of the whole table and scan it sequentially (every tenant's rows: 18,000
read for 201 of one agency's, ~17 ms; walking the agency's index, ~600 rows, ~1 ms:
bench/complaints.py).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.kit import User, ValidationError, custom_plans, db, tenant_scope

from .disclosure import PUBLIC
from .access import contact_hashes
from .lookup import NUMBER, search_condition
from .models import OPEN_STATUSES, STATUSES, Complaint, ComplaintPhoto, without_filer
from .words import conditions, probe, query_words, rare_words

MAX_PER_PAGE = 200
# counting stops here: past it the page says "more than 1000" (20 pages of 50). A count reads one
# heap page per match (an agency's rows lie among every tenant's): at 100,000 complaints in a tenant
# a keyword found in a third of an agency's 35,000 rows read ~5,400 pages to count 2,000 of them
# (bench/complaints.py). An officer narrows the list instead; an agency's working queue (a few
# hundred) is counted exactly.
COUNT_CAP = 1000
# a keyword search is counted to a smaller cap: its count is the expensive one (each word is looked
# for in every row the filters leave, on the heap, with no index to help under Row Level Security:
# module docstring). Past it the page says "more than 200" and asks for another word or a filter.
KEYWORD_COUNT_CAP = 200
MATCHING = "matching"  # the column of a listed row that carries the capped count (``search`` with ``columns``)
# the sortable columns (an allow-list: the query string never names a column itself)
SORTS = {
    "due": (Complaint.resolution_due_at, Complaint.id),
    "filed": (Complaint.created_at, Complaint.id),
    "number": (Complaint.year, Complaint.seq),
    "status": (Complaint.status, Complaint.resolution_due_at, Complaint.id),
    "category": (Complaint.category_code, Complaint.resolution_due_at, Complaint.id),
}
SORT_KEYS = tuple(SORTS) + tuple(f"-{k}" for k in SORTS)
ASSIGNEE_ANY, ASSIGNEE_ME, ASSIGNEE_NONE = "", "me", "none"


@dataclass
class Page:
    """One page of a list. ``total`` is None where it was not counted (the JSON API); ``page`` may
    be lower than asked: a page past the last is the last (``clamped``)."""

    items: list
    page: int
    per_page: int
    has_next: bool
    total: int | None = None
    clamped: bool = False
    capped: bool = False  # more than the cap matched; ``total`` is the cap
    keyword: bool = False  # words were looked for (counted to ``KEYWORD_COUNT_CAP``)

    @property
    def pages(self) -> int:
        """How many pages there are (at least 1, even when nothing matched)."""
        if self.total is None:
            return self.page + (1 if self.has_next else 0)
        return max(1, math.ceil(self.total / self.per_page))


@dataclass
class Filters:
    """What an officer narrows the queue to. Codes are the tenant's (category code, district and
    village org-unit codes); dates are the tenant's local dates of filing, both ends included;
    ``assignee`` is ``""`` (anyone), ``"me"``, ``"none"`` (nobody yet) or a user id as text."""

    status: str = "open"
    category: str = ""
    district: str = ""
    village: str = ""
    filed_from: date | None = None
    filed_to: date | None = None
    assignee: str = ASSIGNEE_ANY
    overdue_at: datetime | None = None
    unread_only: bool = False
    q: str = ""
    sort: str = ""


def keyword_condition(q: str, rare: set[str] = frozenset()):
    """Every word of ``q`` begins a word of the number or the description (``words.conditions``:
    case-folded, at most ``words.MAX_QUERY_WORDS`` words); None for no words. The words in
    ``rare`` (``words.rare_words``) are left as plain conditions (read from the word index first),
    the others asked row by row (``words.probe``; module docstring): the same rows either way."""
    found = conditions(q)
    if not found:
        return None
    return db.and_(*(part if word in rare else probe(word) for word, part in zip(query_words(q), found)))


def _text_condition(tenant, q: str, coordinator: bool):
    """(condition or None, words): a tracking number, a phone or an e-mail keeps its exact meaning
    (``lookup``; no words); other text is searched as words in the number and the description."""
    text = (q or "").strip()
    if not text:
        return None, False
    if NUMBER.match(text.upper()) or any(contact_hashes(text)):
        return search_condition(text, coordinator), False
    found = keyword_condition(text, rare_words(tenant, query_words(text)))
    return found, found is not None


def _unit_id(tenant, kind: str, code: str, where: str) -> int:
    from core.kit import OrgUnit

    with tenant_scope(tenant):
        found = db.session.execute(
            db.select(OrgUnit.id).where(OrgUnit.kind == kind, OrgUnit.code == code)
        ).scalar_one_or_none()
    if found is None:
        raise ValidationError(f"unknown {kind} '{code}'", where=where, code=f"unknown_{kind}")
    return found


def _local_midnight(tenant, day: date) -> datetime:
    return datetime.combine(day, time(0), ZoneInfo(tenant.timezone)).astimezone(ZoneInfo("UTC"))


def _filtered(tenant, query, f: Filters, actor_id: int | None, known_categories: set[str] | None,
              known_assignees: set[int] | None = None):
    """``query`` narrowed by ``f``; ValidationError (``where``: the parameter) on an unknown value."""
    if f.status not in STATUSES + ("open", "all"):
        raise ValidationError(f"unknown status '{f.status}'", where="status", code="invalid_status")
    if f.status == "open":
        query = query.where(_open())
    elif f.status != "all":
        query = query.where(Complaint.status == f.status)
    if f.category:
        if known_categories is not None and f.category not in known_categories:
            raise ValidationError(f"unknown category '{f.category}'", where="category", code="unknown_category")
        query = query.where(Complaint.category_code == f.category)
    if f.district:
        query = query.where(Complaint.district_id == _unit_id(tenant, "district", f.district, "district"))
    if f.village:
        query = query.where(Complaint.village_id == _unit_id(tenant, "village", f.village, "village"))
    if f.filed_from and f.filed_to and f.filed_from > f.filed_to:
        raise ValidationError("the first date is after the last", where="filed_from", code="invalid_date_range")
    if f.filed_from:
        query = query.where(Complaint.created_at >= _local_midnight(tenant, f.filed_from))
    if f.filed_to:
        query = query.where(Complaint.created_at < _local_midnight(tenant, f.filed_to + timedelta(days=1)))
    if f.assignee == ASSIGNEE_NONE:
        query = query.where(Complaint.assignee_id.is_(None))
    elif f.assignee == ASSIGNEE_ME:
        query = query.where(Complaint.assignee_id == (actor_id if actor_id is not None else -1))
    elif f.assignee:
        if not f.assignee.isdigit() or len(f.assignee) > 12:
            raise ValidationError(f"unknown assignee '{f.assignee}'", where="assignee", code="unknown_assignee")
        if known_assignees is not None and int(f.assignee) not in known_assignees:
            raise ValidationError(f"unknown assignee '{f.assignee}'", where="assignee", code="unknown_assignee")
        query = query.where(Complaint.assignee_id == int(f.assignee))
    if f.unread_only:
        query = query.where(Complaint.unread_updates > 0)
    if f.overdue_at is not None:
        query = query.where(
            _open(),
            db.or_(
                db.and_(Complaint.status == "submitted", Complaint.response_due_at < f.overdue_at),
                Complaint.resolution_due_at < f.overdue_at,
            ),
        )
    return query


def _open():
    """``status IN (the open statuses)`` with the values written into the SQL, so PostgreSQL matches
    it to the partial index on open complaints even in a generic (prepared) plan."""
    return Complaint.status.in_(db.bindparam("open_statuses", list(OPEN_STATUSES), expanding=True,
                                             literal_execute=True))


def _order(f: Filters):
    key = f.sort or ("due" if f.status == "open" else "-filed")
    if key not in SORT_KEYS:
        raise ValidationError(f"cannot sort by '{key}'", where="sort", code="invalid_sort")
    columns = SORTS[key.lstrip("-")]
    return [c.desc() for c in columns] if key.startswith("-") else list(columns)


def search(tenant, *, agency_ids: set[int] | None = None, status: str = "open", category: str = "",
           overdue_at: datetime | None = None, page: int = 1, per_page: int = 50, q: str = "",
           coordinator: bool = False, unread_only: bool = False, public_only: bool = False,
           filters: Filters | None = None, actor_id: int | None = None,
           known_categories: set[str] | None = None, known_assignees: set[int] | None = None,
           count: bool = False, clamp: bool = False,
           columns: tuple | None = None) -> Page:
    """Complaints of ``tenant`` (of some agencies, if given), oldest due first.

    ``filters`` (a ``Filters``) narrows the list; without it the keyword arguments ``status``
    (one status, "open" or "all"), ``category``, ``overdue_at`` (past a target at that time),
    ``q`` and ``unread_only`` do. ``q`` is a tracking number (or part), the filer's phone or
    e-mail (*anonim* filers only for a ``coordinator``), or words looked for in the number and
    the description. ``public_only`` leaves out *rahasia* complaints (for the JSON API);
    ``actor_id`` is whom ``assignee="me"`` means; ``known_categories`` and ``known_assignees`` (user
    ids), when given, are checked.

    ``count`` also counts the matches (``Page.total``, at most ``COUNT_CAP``, or
    ``KEYWORD_COUNT_CAP`` when words are looked for (``Page.keyword``): ``Page.capped`` says there
    are more); ``clamp`` (needs ``count``) turns a page past the last into the last.
    ``columns`` reads only those (``Page.items`` are then rows, not complaints: see
    ``queue_rows.COLUMNS``; with ``count``, each row also carries the capped count as ``MATCHING``,
    read in the same statement). Unknown values raise ``ValidationError`` with ``where`` naming
    the parameter and a stable ``code`` (``invalid_status``, ``unknown_category``,
    ``unknown_district``, ``unknown_village``, ``unknown_assignee``, ``invalid_date_range``,
    ``invalid_sort``, ``invalid_page``, ``invalid_page_size``).
    """
    f = filters or Filters(status=status, category=category, overdue_at=overdue_at, q=q, unread_only=unread_only)
    if page < 1:
        raise ValidationError("must be 1 or more", where="page", code="invalid_page")
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise ValidationError(f"must be between 1 and {MAX_PER_PAGE}", where="per_page", code="invalid_page_size")
    query = db.select(*columns) if columns else db.select(Complaint)
    if agency_ids is not None:
        query = query.where(Complaint.agency_id.in_(sorted(agency_ids)))
    query = _filtered(tenant, query, f, actor_id, known_categories, known_assignees)
    found, words = _text_condition(tenant, f.q, coordinator)
    cap = KEYWORD_COUNT_CAP if words else COUNT_CAP
    if found is not None:
        query = query.where(found)
    if public_only:
        query = query.where(PUBLIC)
    order = _order(f)
    if columns:
        listed = query.order_by(*order)
    else:
        listed = query.options(*without_filer()).order_by(*order)

    # SELECT count(*) FROM (SELECT 1 FROM complaints WHERE ... ORDER BY <the list's> LIMIT cap + 1):
    # in the list's order, so it walks the list's own index and stops at the cap (module docstring)
    matching = query.with_only_columns(db.literal(1), maintain_column_froms=True).order_by(*order)
    counted = db.select(db.func.count()).select_from(matching.limit(cap + 1).subquery())
    if count and columns:  # the count rides with the page's rows: one round trip, not two
        listed = listed.add_columns(counted.scalar_subquery().label(MATCHING))

    shared = None
    if count and columns and words:  # a keyword page inside the cap: the page and its count from one walk
        hits = (query.with_only_columns(Complaint.id, db.func.row_number().over(order_by=order).label("n"),
                                        maintain_column_froms=True).order_by(*order).limit(cap + 1).cte("hits"))
        shared = (db.select(*columns, db.select(db.func.count()).select_from(hits).scalar_subquery().label(MATCHING))
                  .select_from(Complaint).join(hits, Complaint.id == hits.c.id).order_by(hits.c.n), hits.c.n)

    def rows_of(number: int) -> list:
        first = (number - 1) * per_page
        if shared is not None and first + per_page <= cap:  # WITH hits AS (the first cap + 1, numbered)
            statement, n = shared
            return list(db.session.execute(statement.where(n > first, n <= first + per_page + 1)).all())
        found = db.session.execute(listed.offset(first).limit(per_page + 1))
        return list(found.all() if columns else found.scalars())

    with tenant_scope(tenant):
        custom_plans(db.session)  # the plan for this tenant's size, not an average tenant's
        total = None
        clamped = False
        capped = False
        rows = rows_of(page)
        if count and rows and len(rows) <= per_page:
            total = (page - 1) * per_page + len(rows)  # this page is the last: nothing to count
            capped = total > cap
            total = min(total, cap)
        elif count and not rows and page == 1:
            total = 0
        elif count:
            total = getattr(rows[0], MATCHING) if rows and columns else db.session.execute(counted).scalar_one()
            capped = total > cap
            total = min(total, cap)
            last = max(1, math.ceil(total / per_page))
            if clamp and page > last and not capped:  # past the last page: the last one instead
                page, clamped = last, True
                rows = rows_of(page)
    return Page(rows[:per_page], page, per_page, len(rows) > per_page, total, clamped, capped, words)


def photo_counts(tenant, complaints: list) -> dict[int, int]:
    """{complaint id: its visible (not hidden) photos} for a page of complaints, in one statement."""
    ids = sorted({c.id for c in complaints})
    if not ids:
        return {}
    with tenant_scope(tenant):
        rows = db.session.execute(
            db.select(ComplaintPhoto.complaint_id, db.func.count())
            .where(ComplaintPhoto.complaint_id.in_(ids), ComplaintPhoto.hidden.is_(False))
            .group_by(ComplaintPhoto.complaint_id)
        ).all()
    return {complaint_id: n for complaint_id, n in rows}


def assignee_names(complaints: list) -> dict[int, str]:
    """{user id: name (or e-mail)} of the page's assignees, in one statement."""
    ids = sorted({c.assignee_id for c in complaints if c.assignee_id is not None})
    if not ids:
        return {}
    rows = db.session.execute(db.select(User.id, User.name, User.email).where(User.id.in_(ids))).all()
    return {uid: (name or email) for uid, name, email in rows}
