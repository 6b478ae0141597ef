"""create {{ cookiecutter.module_name }}_entries

The module's first revision: it starts the module's own branch ({{ cookiecutter.module_name }}), tracked in
its own version table (alembic_version_{{ cookiecutter.module_name }}), so removing the module leaves no
revision Alembic cannot locate. Next revisions: pamong db revision {{ cookiecutter.module_name }} -m "..."

Revision ID: {{ cookiecutter.__revision }}
Revises:
Create Date: {{ cookiecutter.__created }}
"""
import sqlalchemy as sa
from alembic import op

from core.kit import create_tenant_table

revision = "{{ cookiecutter.__revision }}"
down_revision = None
branch_labels = ("{{ cookiecutter.module_name }}",)
depends_on = None


def upgrade():
    # id, tenant_id and the keys of DESIGN §4 on both databases; a reference to another tenant-owned
    # table is an item tenant_fk("book_id", "{{ cookiecutter.module_name }}_books", ondelete="CASCADE")
    create_tenant_table(
        "{{ cookiecutter.module_name }}_entries",
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.UniqueConstraint("tenant_id", "number", name="uq_{{ cookiecutter.module_name }}_entries_tenant_number"),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_{{ cookiecutter.module_name }}_entries_tenant_created", "{{ cookiecutter.module_name }}_entries",
                    ["tenant_id", "created_at"])


def downgrade():
    op.drop_index("ix_{{ cookiecutter.module_name }}_entries_tenant_created", table_name="{{ cookiecutter.module_name }}_entries")
    op.drop_table("{{ cookiecutter.module_name }}_entries")
