"""complaints: following without an account (a phone or e-mail confirmed with a single-use code),
the filer's rating of the handling once it closed (SP4N-LAPOR!), and the filer's language (so the
messages they receive are in it).

complaint_contact_followers.contact holds Fernet ciphertext (core.crypto.EncryptedText, stored as
text) with a keyed hash beside it. Both new tables are tenant-owned ((tenant_id, id) keys, composite
foreign key to complaints); Row Level Security is applied to every tenant_id table by core.rls.

Revision ID: f1e7c0a2b3d4
Revises: b7f3c2a91e64
Create Date: 2026-11-30 18:00:00
"""
import sqlalchemy as sa
from alembic import op

from core.kit import create_tenant_table, tenant_fk

revision = 'f1e7c0a2b3d4'
down_revision = 'b7f3c2a91e64'
branch_labels = None
depends_on = None


def upgrade():
    create_tenant_table(
        "complaint_contact_followers",
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(8), nullable=False),
        sa.Column("contact", sa.Text(), nullable=False),
        sa.Column("contact_hash", sa.String(64), nullable=False),
        sa.Column("locale", sa.String(8), nullable=False, server_default=""),
        sa.Column("code_hash", sa.String(64), nullable=False, server_default=""),
        sa.Column("code_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("tries", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("tenant_id", "complaint_id", "contact_hash", name="uq_complaint_contact_followers_contact"),
        tenant_fk("complaint_id", "complaints", ondelete="CASCADE"),
    )
    op.create_index("ix_complaint_contact_followers_tenant_complaint", "complaint_contact_followers",
                    ["tenant_id", "complaint_id"])
    create_tenant_table(
        "complaint_ratings",
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("comment", sa.String(1000), nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("tenant_id", "complaint_id", name="uq_complaint_ratings_tenant_complaint"),
        sa.CheckConstraint("score BETWEEN 1 AND 5", name="ck_complaint_ratings_score"),
        tenant_fk("complaint_id", "complaints", ondelete="CASCADE"),
    )
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.add_column(sa.Column("filer_locale", sa.String(8), nullable=False, server_default=""))


def downgrade():
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.drop_column("filer_locale")
    op.drop_table("complaint_ratings")
    op.drop_index("ix_complaint_contact_followers_tenant_complaint", table_name="complaint_contact_followers")
    op.drop_table("complaint_contact_followers")
