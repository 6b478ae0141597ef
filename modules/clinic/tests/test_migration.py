"""The clinic's latest revisions (the SMS codes to mask, with their partial index; the practitioners'
NIKs and IHS numbers) go up, down to the one before them and up again, on both databases."""
from alembic import command
from sqlalchemy import inspect

from core import create_app, migrate
from core.extensions import db
from tests.test_tenant_keys_upgrade import scratch_url  # noqa: F401 - a fixture

BEFORE = "c1a1c0de0003"  # before the SMS codes (0004) and the practitioners (0005)


def _codes_table(app) -> set[str] | None:
    """The index names of ``clinic_sms_codes``, None without the table (``clinic_practitioners``
    with it or without it too)."""
    with app.app_context():
        found = inspect(db.engine)
        tables = set(found.get_table_names())
        assert ("clinic_sms_codes" in tables) == ("clinic_practitioners" in tables), tables
        indexes = ({i["name"] for i in found.get_indexes("clinic_sms_codes")}
                   if "clinic_sms_codes" in tables else None)
        db.session.remove()
        db.engine.dispose()
    return indexes


def test_up_down_and_up_again(scratch_url, tmp_path):  # noqa: F811
    app = create_app({"DATABASE_URL": scratch_url, "SECRET_KEY": "x", "INSTANCE_DIR": str(tmp_path / "instance")})
    try:
        migrate.upgrade(app)
        assert "ix_clinic_sms_codes_unmasked" in _codes_table(app)
        engine = migrate.owner_engine(app)
        try:
            with engine.begin() as conn:
                for unit in migrate.units(app.extensions["pamong"]):
                    if unit.name == "clinic":
                        command.downgrade(migrate._config(unit, conn), BEFORE)
        finally:
            engine.dispose()
        assert _codes_table(app) is None
        migrate.upgrade(app)
        assert "ix_clinic_sms_codes_unmasked" in _codes_table(app)
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
