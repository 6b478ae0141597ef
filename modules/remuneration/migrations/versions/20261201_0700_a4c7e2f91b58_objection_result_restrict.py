"""an objection's result can no longer be deleted under it: the reference objection -> result is
ON DELETE RESTRICT (was CASCADE), so an objection never vanishes with a result (a run again of an
open month already keeps an objected result; this makes the database refuse it too)

SQLite: the table is recreated (batch, foreign keys off while migrating, as ``pamong db upgrade``
leaves them); PostgreSQL: the constraint is dropped and made again. Same name, same columns
(``(tenant_id, result_id) -> remuneration_results (tenant_id, id)``), only ON DELETE changes.

Revision ID: a4c7e2f91b58
Revises: 5d1e9c7b2a40
Create Date: 2026-12-01 07:00
"""
import sqlalchemy as sa
from alembic import op

revision = "a4c7e2f91b58"
down_revision = "5d1e9c7b2a40"
branch_labels = None
depends_on = None

TABLE, PARENT = "remuneration_objections", "remuneration_results"
NAME = f"fk_{TABLE}_result_id_{PARENT}"


def _set(ondelete: str) -> None:
    bind = op.get_bind()
    found = [fk for fk in sa.inspect(bind).get_foreign_keys(TABLE) if fk["referred_table"] == PARENT]
    columns = found[0]["constrained_columns"] if found else ["tenant_id", "result_id"]
    referred = found[0]["referred_columns"] if found else ["tenant_id", "id"]
    name = (found[0].get("name") if found else None) or NAME
    if bind.dialect.name == "sqlite":
        with op.batch_alter_table(TABLE, recreate="always") as batch:
            if found and found[0].get("name"):
                batch.drop_constraint(name, type_="foreignkey")
            batch.create_foreign_key(NAME, PARENT, columns, referred, ondelete=ondelete)
        broken = bind.exec_driver_sql(f"PRAGMA foreign_key_check({TABLE})").all()
        if broken:
            raise RuntimeError(f"{len(broken)} objection(s) refer to no result after the change")
    else:
        if found:
            op.drop_constraint(name, TABLE, type_="foreignkey")
        op.create_foreign_key(NAME, TABLE, PARENT, columns, referred, ondelete=ondelete)


def upgrade():
    _set("RESTRICT")


def downgrade():
    _set("CASCADE")
