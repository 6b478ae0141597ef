"""eoffice: letters between tenants (a city writes to its province)

An addressee may be another tenant (``eoffice_recipients.tenant_slug``, with the outbox post that
carries the letter: ``post_id``); the receiving tenant keeps its own incoming letter
(``eoffice_letters.origin_*``: the sender's slug, name, number, verification address, the signed
PDF copied into its storage, and the post's reference ``origin_ref``, unique per tenant so that a
post delivered twice makes one letter).

Revision ID: 5e0ff1ce0004
Revises: 5e0ff1ce0003
Create Date: 2026-12-01 00:30
"""
import sqlalchemy as sa
from alembic import op

revision = "5e0ff1ce0004"
down_revision = "5e0ff1ce0003"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("eoffice_recipients") as batch:
        batch.add_column(sa.Column("tenant_slug", sa.String(64), nullable=True))
        batch.add_column(sa.Column("post_id", sa.Integer(), nullable=True))
    with op.batch_alter_table("eoffice_letters") as batch:
        batch.add_column(sa.Column("origin_tenant", sa.String(64), nullable=True))
        batch.add_column(sa.Column("origin_name", sa.String(200), nullable=False, server_default=""))
        batch.add_column(sa.Column("origin_number", sa.String(100), nullable=True))
        batch.add_column(sa.Column("origin_ref", sa.String(40), nullable=True))
        batch.add_column(sa.Column("origin_pdf_key", sa.String(120), nullable=True))
        batch.add_column(sa.Column("origin_verify_url", sa.String(300), nullable=True))
        batch.create_unique_constraint("uq_eoffice_letters_tenant_origin_ref", ["tenant_id", "origin_ref"])


def downgrade():
    with op.batch_alter_table("eoffice_letters") as batch:
        batch.drop_constraint("uq_eoffice_letters_tenant_origin_ref", type_="unique")
        for name in ("origin_verify_url", "origin_pdf_key", "origin_ref", "origin_number", "origin_name",
                     "origin_tenant"):
            batch.drop_column(name)
    with op.batch_alter_table("eoffice_recipients") as batch:
        batch.drop_column("post_id")
        batch.drop_column("tenant_slug")
