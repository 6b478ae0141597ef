"""complaints: the keyword search's word index (complaint_words), backfilled from every complaint

One row per tenant, word and complaint (``modules/complaints/words.py``): the words of the tracking
number and the description, cleaned (``core.text.clean``), case-folded, split on anything not a
letter or digit, at least 2 characters, each cut to 64, each once, the first 200 of a complaint.
``word`` is ``COLLATE "C"`` on PostgreSQL, so the unique btree ``uq_complaint_words_tenant_word``
(tenant_id, word, complaint_id) serves the search's range ``word >= :w AND word < :next`` (LEAKPROOF
operators: usable under Row Level Security, which ``LIKE`` is not); a plain index on SQLite.
``ix_complaint_words_tenant_complaint`` finds one complaint's words to rewrite them. Row Level
Security is applied to the new table by core.rls, as to every tenant_id table.

The backfill goes tenant by tenant (``core.kit.each_tenant``), each query naming the tenant, and
splits words as ``words.py`` does at this revision (copied here, so that a later change there does not
change what this revision wrote). Downgrade drops the table.

Revision ID: 3ee0bca68847
Revises: d2a7c5e83f19
Create Date: 2026-12-03 07:30:00
"""
import re

import sqlalchemy as sa
from alembic import op

from core.kit import clean_text, create_tenant_table, each_tenant, tenant_fk


revision = '3ee0bca68847'
down_revision = 'd2a7c5e83f19'
branch_labels = None
depends_on = None

SPLIT = re.compile(r"[\W_]+")
complaints = sa.table("complaints", sa.column("id", sa.Integer), sa.column("tenant_id", sa.Integer),
                      sa.column("number", sa.String), sa.column("description", sa.Text))
words = sa.table("complaint_words", sa.column("tenant_id", sa.Integer), sa.column("complaint_id", sa.Integer),
                 sa.column("word", sa.Text))


def _fold(text):
    found = (w[:64] for w in SPLIT.split(clean_text(text or "").casefold()))
    return list(dict.fromkeys(w for w in found if len(w) >= 2))


def _words_of(number, description):
    return list(dict.fromkeys(_fold(number) + _fold(description)))[:200]


def upgrade():
    postgres = op.get_bind().dialect.name == "postgresql"
    create_tenant_table(
        "complaint_words",
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("word", sa.Text(collation="C") if postgres else sa.Text(), nullable=False),
        tenant_fk("complaint_id", "complaints", ondelete="CASCADE"),
    )
    op.create_index("uq_complaint_words_tenant_word", "complaint_words", ["tenant_id", "word", "complaint_id"],
                    unique=True)
    op.create_index("ix_complaint_words_tenant_complaint", "complaint_words", ["tenant_id", "complaint_id"])
    bind = op.get_bind()
    each_tenant(bind, lambda tenant: _backfill(bind, tenant))
    if postgres:
        op.execute("ANALYZE complaint_words")


def _backfill(bind, tenant: int) -> int:
    """The words of ``tenant``'s complaints, 2,000 complaints at a time; how many words were written."""
    written, last = 0, 0
    while True:
        batch = bind.execute(sa.select(complaints.c.id, complaints.c.number, complaints.c.description)
                             .where(complaints.c.tenant_id == tenant, complaints.c.id > last)
                             .order_by(complaints.c.id).limit(2000)).all()
        if not batch:
            return written
        rows = [{"tenant_id": tenant, "complaint_id": cid, "word": w}
                for cid, number, description in batch for w in _words_of(number, description)]
        for start in range(0, len(rows), 5000):
            bind.execute(words.insert(), rows[start:start + 5000])
        written, last = written + len(rows), batch[-1][0]


def downgrade():
    op.drop_index("ix_complaint_words_tenant_complaint", table_name="complaint_words")
    op.drop_index("uq_complaint_words_tenant_word", table_name="complaint_words")
    op.drop_table("complaint_words")
