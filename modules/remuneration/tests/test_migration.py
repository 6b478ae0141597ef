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


def test_approved_logs_are_marked_decided_in_every_tenant(scratch_url, tmp_path):  # noqa: F811
    """Revision 3b8e51d0c6a2 marks the approved logs of every tenant decided. On PostgreSQL it runs
    as production's owner (neither superuser nor BYPASSRLS, held by the FORCEd policies:
    ``core.testing_owner``), with two tenants: the old backfill named both at once in
    ``pamong.tenant_ids``, which shows that owner no row, so none was marked."""
    from datetime import date

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from core.testing_owner import plain_owner_config
    from tests.test_tenant_keys_upgrade import Rows

    instance = str(tmp_path / "instance")
    app = create_app({"DATABASE_URL": scratch_url, "SECRET_KEY": "x", "INSTANCE_DIR": instance})
    postgres = scratch_url.startswith("postgresql")
    owner_app = None
    try:
        engine = migrate.owner_engine(app)
        try:
            with engine.begin() as conn:
                for unit in migrate.units(app.extensions["pamong"]):
                    command.upgrade(migrate._config(unit, conn), FIRST if unit.name == "remuneration" else "heads")
                if postgres:
                    migrate.set_up_roles(app, conn)  # the policies the previous release left
            with engine.begin() as conn:
                rows, logs = Rows(conn), {}
                for slug in ("lama", "lain"):
                    tid = rows.add("tenants", kind="city", parent_id=None, slug=slug, timezone="Asia/Makassar")
                    employee = rows.add("remuneration_employees", tenant_id=tid, active=True)
                    logs[tid] = [rows.add("remuneration_activities", tenant_id=tid, employee_id=employee,
                                          day=date(2026, 11, 2), approved=approved) for approved in (True, False)]
        finally:
            engine.dispose()
        owner_app = create_app({**plain_owner_config(scratch_url), "SECRET_KEY": "x", "INSTANCE_DIR": instance})
        migrate.upgrade(owner_app)
        check = create_engine(scratch_url)  # the tests' own login: every tenant's rows
        try:
            with check.connect() as conn:
                if postgres:
                    assert conn.execute(text("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = :r"), {
                        "r": make_url(owner_app.config["PAMONG_DATABASE_OWNER_URI"]).username}).scalar_one() is False
                got = {(t, i): conn.execute(text("SELECT decided_by FROM remuneration_activities WHERE id = :i"),
                                            {"i": i}).scalar_one() for t, ids in logs.items() for i in ids}
        finally:
            check.dispose()
        assert got == {(t, ids[0]): "file:before-approval" for t, ids in logs.items()} | {
            (t, ids[1]): "" for t, ids in logs.items()}
    finally:
        for made in (app, owner_app):
            if made is not None:
                with made.app_context():
                    db.session.remove()
                    db.engine.dispose()
