"""`pamong db upgrade`: every unit to head, idempotent; a removed module leaves nothing behind."""
from sqlalchemy import create_engine, inspect

from core import create_app, migrate


def test_upgrade_is_idempotent_and_reports_each_unit(app):
    assert migrate.upgrade(app)[0] == "core"
    state = migrate.current(app)
    assert state["core"][0] == state["core"][1] is not None
    assert state["notes"][0] == state["notes"][1] == "7ac000a58c09"


def test_each_unit_has_its_own_version_table(app):
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert {"alembic_version_core", "alembic_version_notes"} <= tables


def test_a_deployment_without_the_module_still_upgrades(app):
    """The notes module 'removed' (not loaded): its table and version row stay, nothing breaks."""
    without = create_app({"DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": "x"})
    assert "notes" not in without.extensions["pamong"].modules
    units = migrate.upgrade(without)
    assert units[0] == "core" and "notes" not in units
    with without.app_context():
        assert without.test_client().get("/").status_code == 200


def test_sqlite_database_from_scratch(tmp_path):
    fresh = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.db'}", "SECRET_KEY": "x"})
    names = migrate.upgrade(fresh)
    assert names[0] == "core"
    engine = create_engine(fresh.config["SQLALCHEMY_DATABASE_URI"])
    assert {"tenants", "audit_entries", "memberships"} <= set(inspect(engine).get_table_names())
    engine.dispose()
