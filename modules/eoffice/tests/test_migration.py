"""The module's migration 0006 (type names sent between tenants, the registered letter's date,
follow-up reports, dossier reviews) goes up, down to 0005 and up again, on both databases."""
from alembic import command
from sqlalchemy import inspect

from core import create_app, migrate
from core.extensions import db
from tests.test_tenant_keys_upgrade import scratch_url  # noqa: F401 - a fixture

BEFORE = "5e0ff1ce0005"
ADDED = {"eoffice_letters": {"origin_type_name", "origin_date"},
         "eoffice_dispositions": {"report_key", "report_name"},
         "eoffice_dossiers": {"outcome", "outcome_on", "outcome_ref"}}


def _columns(app) -> dict[str, set[str]]:
    with app.app_context():
        found = inspect(db.engine)
        columns = {table: {c["name"] for c in found.get_columns(table)} for table in ADDED}
        db.session.remove()
        db.engine.dispose()
    return columns


def _down(app, revision: str) -> None:
    engine = migrate.owner_engine(app)
    try:
        with engine.begin() as conn:
            for unit in migrate.units(app.extensions["pamong"]):
                if unit.name == "eoffice":
                    command.downgrade(migrate._config(unit, conn), revision)
    finally:
        engine.dispose()


def test_up_down_and_up_again(scratch_url, tmp_path):  # noqa: F811
    app = create_app({"DATABASE_URL": scratch_url, "SECRET_KEY": "x", "INSTANCE_DIR": str(tmp_path / "instance")})
    try:
        migrate.upgrade(app)
        assert all(ADDED[t] <= cols for t, cols in _columns(app).items())
        _down(app, BEFORE)
        after_down = _columns(app)
        assert not any(ADDED[t] & cols for t, cols in after_down.items())
        assert {"origin_ref", "origin_number"} <= after_down["eoffice_letters"]  # 0005 and before kept
        migrate.upgrade(app)
        assert all(ADDED[t] <= cols for t, cols in _columns(app).items())
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_0007_keeps_the_drafting_unit_apart_and_goes_down_and_up(scratch_url, tmp_path):  # noqa: F811
    """0007 (the issuing unit decided at signing) adds the drafting unit, copied from the unit of
    the letters already there, and goes down to 0006 and up again."""
    app = create_app({"DATABASE_URL": scratch_url, "SECRET_KEY": "x", "INSTANCE_DIR": str(tmp_path / "instance")})
    added = {"drafting_unit_code", "drafting_unit_name"}
    try:
        migrate.upgrade(app)
        assert added <= _columns(app)["eoffice_letters"]
        _down(app, "5e0ff1ce0006")
        assert not added & _columns(app)["eoffice_letters"]
        migrate.upgrade(app)
        assert added <= _columns(app)["eoffice_letters"]
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_0008_keeps_a_timeline_entrys_facts_apart_and_goes_down_and_up(scratch_url, tmp_path):  # noqa: F811
    """0008 (a disposition's entry keeps its due date as data, formatted where shown) adds
    ``eoffice_events.data``, and goes down to 0007 and up again."""
    app = create_app({"DATABASE_URL": scratch_url, "SECRET_KEY": "x", "INSTANCE_DIR": str(tmp_path / "instance")})

    def events():
        with app.app_context():
            found = {c["name"] for c in inspect(db.engine).get_columns("eoffice_events")}
            db.session.remove()
            db.engine.dispose()
        return found

    try:
        migrate.upgrade(app)
        assert {"data", "note"} <= events()
        _down(app, "5e0ff1ce0007")
        assert "data" not in events() and "note" in events()
        migrate.upgrade(app)
        assert "data" in events()
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_0009_keeps_a_senders_revocation_and_goes_down_and_up(scratch_url, tmp_path):  # noqa: F811
    """0009 (an incoming letter its sender revoked, trial t14h) adds ``origin_revoked_at`` and
    ``origin_revoked_reason`` to ``eoffice_letters``, and goes down to 0008 and up again."""
    app = create_app({"DATABASE_URL": scratch_url, "SECRET_KEY": "x", "INSTANCE_DIR": str(tmp_path / "instance")})
    added = {"origin_revoked_at", "origin_revoked_reason"}

    def letters():
        with app.app_context():
            found = {c["name"] for c in inspect(db.engine).get_columns("eoffice_letters")}
            db.session.remove()
            db.engine.dispose()
        return found

    try:
        migrate.upgrade(app)
        assert added <= letters()
        _down(app, "5e0ff1ce0008")
        assert not added & letters() and "origin_date" in letters()
        migrate.upgrade(app)
        assert added <= letters()
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
