"""eoffice: attachments of letters sent to other tenants

A letter's attachments travel to the receiving tenant as posts of their own, each checked against
the letter's list of attachments (``eoffice_letters.origin_attachments``: file name, size and
SHA-256 as the sender listed them). Every attachment keeps its SHA-256 (``sha256``); one received
from another tenant keeps the post it came in (``origin_ref``, unique per tenant, so that a post
delivered twice stores one file). The sender keeps, per addressed tenant, the posts that carry
the attachments (``eoffice_recipients.attachment_posts``) to show their delivery with the letter's.

Revision ID: 5e0ff1ce0005
Revises: 5e0ff1ce0004
Create Date: 2026-12-01 04:15
"""
import sqlalchemy as sa
from alembic import op

revision = "5e0ff1ce0005"
down_revision = "5e0ff1ce0004"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("eoffice_attachments") as batch:
        batch.add_column(sa.Column("sha256", sa.String(64), nullable=True))
        batch.add_column(sa.Column("origin_ref", sa.String(40), nullable=True))
        batch.create_unique_constraint("uq_eoffice_attachments_tenant_origin_ref", ["tenant_id", "origin_ref"])
    with op.batch_alter_table("eoffice_letters") as batch:
        batch.add_column(sa.Column("origin_attachments", sa.JSON(), nullable=True))
    with op.batch_alter_table("eoffice_recipients") as batch:
        batch.add_column(sa.Column("attachment_posts", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("eoffice_recipients") as batch:
        batch.drop_column("attachment_posts")
    with op.batch_alter_table("eoffice_letters") as batch:
        batch.drop_column("origin_attachments")
    with op.batch_alter_table("eoffice_attachments") as batch:
        batch.drop_constraint("uq_eoffice_attachments_tenant_origin_ref", type_="unique")
        batch.drop_column("origin_ref")
        batch.drop_column("sha256")
