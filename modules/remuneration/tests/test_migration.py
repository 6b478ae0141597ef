"""The module's migrations after its first (activity decisions, the employee's core position, the
employment dates, the objection's result RESTRICT) go up, down to the first revision and up again,
on both databases."""
from alembic import command
from sqlalchemy import inspect

from core import create_app, migrate
from core.extensions import db
from tests.test_tenant_keys_upgrade import scratch_url  # noqa: F401 - a fixture

FIRST = "7fad8bb74005"
ADDED = {"remuneration_activities": {"logged_at", "decided_at", "decided_by", "reason"},
         "remuneration_employees": {"position_code", "started_on", "ended_on"}}


def _columns(app) -> dict[str, set[str]]:
    with app.app_context():
        found = inspect(db.engine)
        columns = {table: {c["name"] for c in found.get_columns(table)} for table in ADDED}
        columns["on delete"] = {(fk["options"].get("ondelete") or "").upper()
                                for fk in found.get_foreign_keys("remuneration_objections")
                                if fk["referred_table"] == "remuneration_results"}
        db.session.remove()
        db.engine.dispose()
    return columns


def test_up_down_and_up_again(scratch_url, tmp_path):  # noqa: F811
    app = create_app({"DATABASE_URL": scratch_url, "SECRET_KEY": "x", "INSTANCE_DIR": str(tmp_path / "instance")})
    try:
        migrate.upgrade(app)
        assert all(ADDED[t] <= cols for t, cols in _columns(app).items() if t in ADDED)
        assert _columns(app)["on delete"] == {"RESTRICT"}
        engine = migrate.owner_engine(app)
        try:
            with engine.begin() as conn:
                for unit in migrate.units(app.extensions["pamong"]):
                    if unit.name == "remuneration":
                        command.downgrade(migrate._config(unit, conn), FIRST)
        finally:
            engine.dispose()
        assert not any(ADDED[t] & cols for t, cols in _columns(app).items() if t in ADDED)
        assert _columns(app)["on delete"] == {"CASCADE"}
        migrate.upgrade(app)
        assert all(ADDED[t] <= cols for t, cols in _columns(app).items() if t in ADDED)
        assert _columns(app)["on delete"] == {"RESTRICT"}
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
