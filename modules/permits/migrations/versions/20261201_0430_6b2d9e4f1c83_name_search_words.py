"""permits: the name search by indexed words; the trigram indexes of 9d4b6e2f7a18 dropped

The trigram GIN indexes on ``applicant_name`` and ``business_name`` were never used by the app:
it reads applications under Row Level Security, where PostgreSQL uses an index only for a
condition whose operator is LEAKPROOF, and ``ILIKE`` (``texticlike``) is not (as found for the
complaints, migration c4d9e1f27a63). EXPLAIN ANALYZE of the queue's name search at 100,000
applications in one tenant (PostgreSQL, this repository's ``bench/permits.py`` rows), 2026-12-01:

- as the app's role (``pamong_app``, RLS): ``Seq Scan on permits_applications``, filter
  ``applicant_name ~~* '%Besse Tenri%' OR business_name ~~* ...``, 99,938 rows removed, 108 ms
  ("Mallarangeng", 3,339 matches: 359 ms); the register's business-name search: a bitmap scan of
  the tenant's 10,000 issued permits with the ``ILIKE`` as a filter, 11.6 ms;
- as a superuser (no RLS): ``Bitmap Index Scan on ix_permits_applications_applicant_name_trgm``,
  3.5 ms. Only a role that bypasses RLS used them, while every draft saved paid to update them.

Instead ``permits_name_words`` holds each application's names as case-folded words (``kind`` ``a``
applicant, ``b`` business), indexed ``(tenant_id, word, kind, application_id)`` (and by application,
for rewriting an application's words); a search asks that
every word given starts a word of the names: ``word >= 'besse' AND word < 'bessf'``, whose
operators (``text_ge``, ``text_lt``) are LEAKPROOF, so the range is an index condition under RLS
(``modules/permits/names.py``). On PostgreSQL ``word`` is ``COLLATE "C"`` (a prefix range by code
point, as SQLite's BINARY order), and the ids matching every word (``INTERSECT``) are given as one
array, so the applications are read by their key ``(tenant_id, id)``. The same EXPLAIN ANALYZE, same
rows, as the app's role under RLS: "Besse Tenri" 11.6 ms (``Index Only Scan using
ix_permits_name_words_tenant_word``, ``Index Cond: (tenant_id = ...) AND (word >= 'besse') AND
(word < 'bessf')``, then ``Index Scan using pk_permits_applications``, ``id = ANY ($0)``),
"Mallarangeng" 26.9 ms. A word that starts most names (the bench's "Usaha" in every business name,
66,666 words) costs its matches: the register's "Usaha Baso" took 66.7 ms, against 11.6 ms for the
ILIKE over the 10,000 issued permits. The words of the applications already stored are written here,
one tenant at a time (each in its own ``pamong.tenant_ids`` scope, as Row Level Security asks:
``core.kit.each_tenant``).

Revision ID: 6b2d9e4f1c83
Revises: 3f8a6c1d2e57
Create Date: 2026-12-01 04:30
"""
import re

import sqlalchemy as sa
from alembic import op

from core.kit import create_tenant_table, each_tenant, tenant_fk

revision = "6b2d9e4f1c83"
down_revision = "3f8a6c1d2e57"
branch_labels = None
depends_on = None

WORD = re.compile(r"\w+")
BATCH = 2_000


def _words(text):   # as modules/permits/names.py's ``words`` (a migration keeps its own copy)
    seen = {}
    for match in WORD.findall((text or "").casefold()):
        seen.setdefault(match[:64], None)
    return list(seen)


def upgrade():
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    create_tenant_table(
        "permits_name_words",
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=1), nullable=False),
        sa.Column("word", sa.String(length=64, collation="C") if postgres else sa.String(length=64), nullable=False),
        tenant_fk("application_id", "permits_applications", ondelete="CASCADE"),
    )
    op.create_index("ix_permits_name_words_tenant_word", "permits_name_words",
                    ["tenant_id", "word", "kind", "application_id"])
    op.create_index("ix_permits_name_words_tenant_app", "permits_name_words", ["tenant_id", "application_id"])
    if postgres:
        op.execute("DROP INDEX IF EXISTS ix_permits_applications_applicant_name_trgm")
        op.execute("DROP INDEX IF EXISTS ix_permits_applications_business_name_trgm")
    apps = sa.table("permits_applications", sa.column("id"), sa.column("tenant_id"), sa.column("applicant_name"),
                    sa.column("business_name"))
    words = sa.table("permits_name_words", sa.column("tenant_id"), sa.column("application_id"), sa.column("kind"),
                     sa.column("word"))
    each_tenant(bind, lambda tenant_id: _write_words(bind, apps, words, tenant_id))


def _write_words(bind, apps, words, tenant_id: int) -> int:
    """The words of ``tenant_id``'s applications; how many were written."""
    last, written = 0, 0
    while True:
        rows = bind.execute(sa.select(apps.c.id, apps.c.applicant_name, apps.c.business_name)
                            .where(apps.c.tenant_id == tenant_id, apps.c.id > last)
                            .order_by(apps.c.id).limit(BATCH)).all()
        if not rows:
            return written
        batch = [{"tenant_id": tenant_id, "application_id": i, "kind": kind, "word": w}
                 for i, applicant, business in rows
                 for kind, text in (("a", applicant), ("b", business)) for w in _words(text)]
        if batch:
            bind.execute(words.insert(), batch)
            written += len(batch)
        last = rows[-1][0]


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE INDEX IF NOT EXISTS ix_permits_applications_applicant_name_trgm ON permits_applications "
                   "USING gin (applicant_name gin_trgm_ops)")
        op.execute("CREATE INDEX IF NOT EXISTS ix_permits_applications_business_name_trgm ON permits_applications "
                   "USING gin (business_name gin_trgm_ops)")
    op.drop_index("ix_permits_name_words_tenant_app", table_name="permits_name_words")
    op.drop_index("ix_permits_name_words_tenant_word", table_name="permits_name_words")
    op.drop_table("permits_name_words")
