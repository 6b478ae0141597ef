"""The name search's words (issue 15, Pages: the queue searchable by applicant, the register by
business name): each application's names as case-folded words in ``NameWord``, and the condition
that finds the applications whose words start with every word asked for.

Why not ``ILIKE '%...%'`` with pg_trgm: the app reads applications under PostgreSQL's Row Level
Security, where a condition is used in an index only when its operator is LEAKPROOF; ``ILIKE``
is not, so the trigram indexes of migration 9d4b6e2f7a18 were never used by the app's role (EXPLAIN
in migration 6b2d9e4f1c83). ``word >= 'andi' AND word < 'andj'`` is (``text_ge``/``text_lt``).
A search matches words from their start ("andi" finds "Andi", "Andika"; "ndi" finds neither).
"""
from __future__ import annotations

import re

from sqlalchemy import and_, any_, false, func, intersect

from core.kit import db, tenant_scope

from .models import Application, NameWord

APPLICANT, BUSINESS = "a", "b"
WORD = re.compile(r"\w+")
MAX_WORD, MAX_TERMS = 64, 6


def words(text: str) -> list[str]:
    """``text``'s words, case-folded, each at most 64 characters, once each, in order."""
    seen: dict[str, None] = {}
    for match in WORD.findall((text or "").casefold()):
        seen.setdefault(match[:MAX_WORD], None)
    return list(seen)


def index(application) -> None:
    """Write ``application``'s words (after its names changed; in its tenant's scope, flushed)."""
    wanted = {(APPLICANT, w) for w in words(application.applicant_name)} | \
             {(BUSINESS, w) for w in words(application.business_name)}
    rows = db.session.execute(db.select(NameWord).where(NameWord.application_id == application.id)).scalars().all()
    have = {(r.kind, r.word): r for r in rows}
    for key, row in have.items():
        if key not in wanted:
            db.session.delete(row)
    for kind, word in wanted - set(have):
        db.session.add(NameWord(application_id=application.id, kind=kind, word=word))


def _after(prefix: str) -> str:
    """The first text after every text that starts with ``prefix`` (its last character + 1)."""
    last = ord(prefix[-1])
    return prefix[:-1] + chr(last + 1) if last < 0x10FFFF else prefix + "\U0010ffff"


def matching(q: str, kinds: tuple[str, ...] = (APPLICANT, BUSINESS)):
    """The condition on ``Application``: every word of ``q`` (at most six) starts a word of its names
    of ``kinds``; false when ``q`` has no word (a lone ``%`` finds nothing)."""
    terms = words(q)[:MAX_TERMS]
    if not terms:
        return false()
    found = [db.select(NameWord.application_id).where(
        NameWord.word >= term, NameWord.word < _after(term), NameWord.kind.in_(kinds)) for term in terms]
    if db.session.get_bind().dialect.name == "postgresql":
        # the ids matching every word (INTERSECT), as one array: looked up by the key (tenant_id, id),
        # not a hash join over the tenant's applications (two ``= ANY`` would probe their product)
        ids = found[0] if len(found) == 1 else intersect(*found)
        return Application.id == any_(func.array(ids.scalar_subquery()))
    return and_(*(Application.id.in_(f) for f in found))


def reindex_tenant(tenant) -> int:
    """Write the words of every application of ``tenant`` (data loaded in bulk, e.g. a benchmark);
    returns how many applications. The caller commits."""
    with tenant_scope(tenant):
        apps = db.session.execute(db.select(Application)).scalars().all()
        for application in apps:
            index(application)
        db.session.flush()
    return len(apps)
