"""Migration f1e7c0a2b3d4 (followers without an account, ratings, the filer's language) goes up,
down to 5d1c7e2a9f40 and up again on both databases, and the new tables carry the tenant keys."""
from alembic import command
from sqlalchemy import inspect

from core import create_app, migrate
from core.extensions import db
from tests import testmodule
from tests.test_tenant_keys_upgrade import scratch_url  # noqa: F401 - a fixture

NEW = ("complaint_contact_followers", "complaint_ratings")


def _tables(app):
    with app.app_context():
        found = inspect(db.engine)
        names = set(found.get_table_names())
        columns = {c["name"] for c in found.get_columns("complaints")}
        return names, columns


def test_up_down_and_up_again(scratch_url, tmp_path):  # noqa: F811
    app = create_app({"DATABASE_URL": scratch_url, "SECRET_KEY": "x", "INSTANCE_DIR": str(tmp_path / "instance")},
                     extra_plugins=[testmodule])
    try:
        migrate.upgrade(app)
        names, columns = _tables(app)
        assert set(NEW) <= names and "filer_locale" in columns
        with app.app_context():
            for table in NEW:
                keys = inspect(db.engine).get_pk_constraint(table)["constrained_columns"]
                uniques = inspect(db.engine).get_unique_constraints(table)
                assert keys in (["id"], ["tenant_id", "id"]) and all(u["column_names"][0] == "tenant_id" for u in uniques)
            db.session.remove()
            db.engine.dispose()
        engine = migrate.owner_engine(app)
        try:
            with engine.begin() as conn:
                for unit in migrate.units(app.extensions["pamong"]):
                    if unit.name == "complaints":
                        command.downgrade(migrate._config(unit, conn), "5d1c7e2a9f40")
        finally:
            engine.dispose()
        names, columns = _tables(app)
        assert not set(NEW) & names and "filer_locale" not in columns
        migrate.upgrade(app)
        names, columns = _tables(app)
        assert set(NEW) <= names and "filer_locale" in columns
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
