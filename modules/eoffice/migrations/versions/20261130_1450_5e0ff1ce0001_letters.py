"""eoffice: letters, recipients, dispositions, timeline events

The module's first revision: it starts its own branch (eoffice), tracked in its own version table
(alembic_version_eoffice). Tenant keys (DESIGN §4) through create_tenant_table / tenant_fk.

Revision ID: 5e0ff1ce0001
Revises:
Create Date: 2026-11-30 14:50
"""
import sqlalchemy as sa
from alembic import op

from core.kit import create_tenant_table, tenant_fk

revision = "5e0ff1ce0001"
down_revision = None
branch_labels = ("eoffice",)
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade():
    create_tenant_table(
        "eoffice_letters",
        sa.Column("letter_type", sa.String(10), nullable=False),
        sa.Column("classification", sa.String(24), nullable=False),
        sa.Column("security", sa.String(10), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("unit_code", sa.String(32), nullable=False),
        sa.Column("unit_name", sa.String(200), nullable=False),
        sa.Column("drafter_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["drafter_id"], ["users.id"], name="fk_eoffice_letters_drafter_id_users",
                                ondelete="SET NULL"),
        sa.Column("drafter", sa.String(254), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("steps", sa.JSON(), nullable=False),
        sa.Column("on_behalf", sa.String(200), nullable=False),
        sa.Column("via", sa.String(200), nullable=False),
        sa.Column("number", sa.String(100), nullable=True),
        sa.Column("serial", sa.Integer(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("signer_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["signer_id"], ["users.id"], name="fk_eoffice_letters_signer_id_users",
                                ondelete="SET NULL"),
        sa.Column("signer_name", sa.String(200), nullable=False),
        sa.Column("signature", sa.JSON(), nullable=False),
        sa.Column("document_code", sa.String(64), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("submitted_at", TZ, nullable=True),
        sa.Column("signed_at", TZ, nullable=True),
        sa.Column("sent_at", TZ, nullable=True),
        sa.Column("updated_at", TZ, nullable=False),
        tenant_fk("unit_id", "org_units"),
        sa.UniqueConstraint("tenant_id", "year", "number", name="uq_eoffice_letters_tenant_year_number"),
    )
    op.create_index("ix_eoffice_letters_tenant_status", "eoffice_letters", ["tenant_id", "status", "updated_at"])
    op.create_index("ix_eoffice_letters_tenant_unit", "eoffice_letters", ["tenant_id", "unit_id", "created_at"])

    create_tenant_table(
        "eoffice_recipients",
        sa.Column("letter_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(2), nullable=False),
        sa.Column("unit_code", sa.String(32), nullable=True),
        sa.Column("position_code", sa.String(32), nullable=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("read_at", TZ, nullable=True),
        sa.Column("read_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["read_by"], ["users.id"], name="fk_eoffice_recipients_read_by_users",
                                ondelete="SET NULL"),
        tenant_fk("letter_id", "eoffice_letters", ondelete="CASCADE"),
    )
    op.create_index("ix_eoffice_recipients_tenant_letter", "eoffice_recipients", ["tenant_id", "letter_id"])
    op.create_index("ix_eoffice_recipients_tenant_unit", "eoffice_recipients", ["tenant_id", "unit_code", "read_at"])

    create_tenant_table(
        "eoffice_dispositions",
        sa.Column("letter_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("from_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["from_id"], ["users.id"], name="fk_eoffice_dispositions_from_id_users",
                                ondelete="SET NULL"),
        sa.Column("from_name", sa.String(254), nullable=False),
        sa.Column("to_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["to_id"], ["users.id"], name="fk_eoffice_dispositions_to_id_users",
                                ondelete="CASCADE"),
        sa.Column("to_name", sa.String(254), nullable=False),
        sa.Column("instruction", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("follow_up", sa.Text(), nullable=False),
        sa.Column("followed_up_at", TZ, nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        tenant_fk("letter_id", "eoffice_letters", ondelete="CASCADE"),
        tenant_fk("parent_id", "eoffice_dispositions", ondelete="SET NULL"),
    )
    op.create_index("ix_eoffice_dispositions_tenant_to", "eoffice_dispositions",
                    ["tenant_id", "to_id", "status", "due_on"])
    op.create_index("ix_eoffice_dispositions_tenant_letter", "eoffice_dispositions", ["tenant_id", "letter_id"])

    create_tenant_table(
        "eoffice_events",
        sa.Column("letter_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(24), nullable=False),
        sa.Column("actor", sa.String(254), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("at", TZ, nullable=False),
        tenant_fk("letter_id", "eoffice_letters", ondelete="CASCADE"),
    )
    op.create_index("ix_eoffice_events_tenant_letter", "eoffice_events", ["tenant_id", "letter_id", "id"])

def downgrade():
    for table in ("eoffice_events", "eoffice_dispositions", "eoffice_recipients", "eoffice_letters"):
        op.drop_table(table)
