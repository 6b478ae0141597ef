"""complaints: the word index asked one complaint at a time (issue 20.2, issue 11)

``ix_complaint_words_tenant_complaint_word`` on (tenant_id, complaint_id, word) replaces
``ix_complaint_words_tenant_complaint`` (tenant_id, complaint_id). The queue asks a common word of
each row it walks (``words.probe``: ``complaint_id = complaints.id AND word >= :w AND word <
:next``) and stops at its page; with the word in the index each ask is an index-only look, where the
old index read the complaint's every word from the table to test it. It still finds one complaint's
words to rewrite them. At 100,000 complaints in a tenant, 'truk sampah' in an agency's open queue
counted to 201 (1,136 rows walked, 1,338 looks) in ~10-12 ms instead of ~16 ms (EXPLAIN ANALYZE as
the app role on bench/complaints.py's database; 4-5 index pages a look, no table page).

Revision ID: 5b8e2f4c7a91
Revises: 3ee0bca68847
Create Date: 2026-12-03 11:00:00
"""
from alembic import op


revision = '5b8e2f4c7a91'
down_revision = '3ee0bca68847'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_complaint_words_tenant_complaint_word", "complaint_words",
                    ["tenant_id", "complaint_id", "word"])
    op.drop_index("ix_complaint_words_tenant_complaint", table_name="complaint_words")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ANALYZE complaint_words")


def downgrade():
    op.create_index("ix_complaint_words_tenant_complaint", "complaint_words", ["tenant_id", "complaint_id"])
    op.drop_index("ix_complaint_words_tenant_complaint_word", table_name="complaint_words")
