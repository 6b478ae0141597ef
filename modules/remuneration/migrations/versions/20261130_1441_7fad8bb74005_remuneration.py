"""remuneration: employees and their history, attendance, excuses, activities, sanctions, runs, results, objections, adjustments

The module's first revision: it starts the module's own branch (remuneration), tracked in its own
version table (alembic_version_remuneration).

Revision ID: 7fad8bb74005
Revises:
Create Date: 2026-11-30 14:41
"""
import sqlalchemy as sa
from alembic import op

from core.kit import create_tenant_table, tenant_fk

revision = "7fad8bb74005"
down_revision = None
branch_labels = ("remuneration",)
depends_on = None

EMPLOYEE = "remuneration_employees"


def _employee():
    return [sa.Column("employee_id", sa.Integer(), nullable=False), tenant_fk("employee_id", EMPLOYEE, ondelete="CASCADE")]


def upgrade():
    create_tenant_table(
        EMPLOYEE,
        sa.Column("nip", sa.Text(), nullable=False),
        sa.Column("nip_hash", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("agency", sa.String(length=32), nullable=False),
        sa.Column("position_class", sa.String(length=32), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("supervisor_email", sa.String(length=254), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("tenant_id", "nip_hash", name="uq_remuneration_employees_tenant_nip"),
    )
    op.create_index("ix_remuneration_employees_tenant_agency", EMPLOYEE, ["tenant_id", "agency"])
    create_tenant_table(
        "remuneration_changes", *_employee(),
        sa.Column("field", sa.String(length=32), nullable=False),
        sa.Column("before", sa.String(length=254), nullable=False),
        sa.Column("after", sa.String(length=254), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
    )
    op.create_index("ix_remuneration_changes_tenant_employee", "remuneration_changes",
                    ["tenant_id", "employee_id"])
    create_tenant_table(
        "remuneration_punches", *_employee(),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.UniqueConstraint("tenant_id", "employee_id", "at", "kind", name="uq_remuneration_punches_once"),
    )
    op.create_index("ix_remuneration_punches_tenant_at", "remuneration_punches", ["tenant_id", "at"])
    create_tenant_table(
        "remuneration_excuses", *_employee(),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
    )
    op.create_index("ix_remuneration_excuses_tenant_employee", "remuneration_excuses",
                    ["tenant_id", "employee_id", "first_day"])
    create_tenant_table(
        "remuneration_activities", *_employee(),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("approved", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_remuneration_activities_tenant_employee_day", "remuneration_activities",
                    ["tenant_id", "employee_id", "day"])
    create_tenant_table(
        "remuneration_sanctions", *_employee(),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("first_month", sa.Date(), nullable=False),
        sa.Column("last_month", sa.Date(), nullable=False),
    )
    op.create_index("ix_remuneration_sanctions_tenant_employee", "remuneration_sanctions", ["tenant_id", "employee_id"])
    create_tenant_table(
        "remuneration_runs",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("rules_from", sa.Date(), nullable=True),
        sa.Column("rules", sa.Text(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("tenant_id", "year", "month", name="uq_remuneration_runs_tenant_month"),
    )
    create_tenant_table(
        "remuneration_results",
        sa.Column("run_id", sa.Integer(), nullable=False),
        tenant_fk("run_id", "remuneration_runs", ondelete="CASCADE"),
        *_employee(),
        sa.Column("agency", sa.String(length=32), nullable=False),
        sa.Column("position_class", sa.String(length=32), nullable=False),
        sa.Column("ceiling", sa.Integer(), nullable=False),
        sa.Column("tpp", sa.Integer(), nullable=False),
        sa.Column("performance_bp", sa.Integer(), nullable=False),
        sa.Column("deduction_bp", sa.Integer(), nullable=False),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.UniqueConstraint("tenant_id", "run_id", "employee_id", name="uq_remuneration_results_once"),
    )
    op.create_index("ix_remuneration_results_tenant_run_agency", "remuneration_results", ["tenant_id", "run_id", "agency"])
    create_tenant_table(
        "remuneration_objections",
        sa.Column("result_id", sa.Integer(), nullable=False),
        tenant_fk("result_id", "remuneration_results", ondelete="CASCADE"),
        *_employee(),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("decision", sa.Text(), nullable=False),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_remuneration_objections_tenant_status", "remuneration_objections", ["tenant_id", "status"])
    create_tenant_table(
        "remuneration_adjustments", *_employee(),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("source_year", sa.Integer(), nullable=False),
        sa.Column("source_month", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_remuneration_adjustments_tenant_month", "remuneration_adjustments", ["tenant_id", "year", "month"])


def downgrade():
    for table in ("remuneration_adjustments", "remuneration_objections", "remuneration_results", "remuneration_runs", "remuneration_sanctions", "remuneration_activities",
                  "remuneration_excuses", "remuneration_punches", "remuneration_changes", EMPLOYEE):
        op.drop_table(table)
