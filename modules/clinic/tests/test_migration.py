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


def _downgrade(app, revision):
    engine = migrate.owner_engine(app)
    try:
        with engine.begin() as conn:
            for unit in migrate.units(app.extensions["pamong"]):
                if unit.name == "clinic":
                    command.downgrade(migrate._config(unit, conn), revision)
    finally:
        engine.dispose()


def test_the_upgrade_notes_the_codes_recent_replies_still_hold(scratch_url, tmp_path):  # noqa: F811
    """Revision c1a1c0de0004 notes the SMS replies of the last two days that still hold a booking
    code (the old job had not reached them), so the new job masks them once sent; an older reply and
    a masked one are not noted."""
    from datetime import timedelta

    from core.kit import OutboxMessage, keyed_hash, notify, tenant_scope, utcnow
    from core.testing import tenant_factory

    from .. import sms_secrets
    from ..models import Patient, SmsCode, Visit
    from .fixtures import MONDAY, NIK_A, SETTINGS

    app = create_app({"DATABASE_URL": scratch_url, "SECRET_KEY": "x", "INSTANCE_DIR": str(tmp_path / "instance")})
    try:
        migrate.upgrade(app)
        tenant = tenant_factory(app)(modules={"clinic": SETTINGS})
        with app.app_context(), tenant_scope(tenant):
            patient = Patient(nik=NIK_A, name="Budi")
            db.session.add(patient)
            db.session.flush()
            visit = Visit(patient_id=patient.id, active_patient=patient.id, clinic="PKM-A", poli="UMUM", day=MONDAY,
                          serial=1, number="A-001", booking_code="ABCDEFGHJK", channel="sms")
            db.session.add(visit)
            db.session.flush()
            recent = notify(tenant, "sms", "081234567890", "Antrean A-001. Kode booking ABCDEFGHJK.", ref="sms:1")
            old = notify(tenant, "sms", "081234567890", "Antrean A-001. Kode booking ABCDEFGHJK.", ref="sms:2")
            masked = notify(tenant, "sms", "081234567890", "Antrean A-001. Kode booking **********.", ref="sms:3")
            old.created_at = utcnow() - timedelta(days=3)
            for message in (recent, old, masked):
                message.status = "sent"
            db.session.commit()
            recent_id, visit_id = recent.id, visit.id
        _downgrade(app, BEFORE)
        migrate.upgrade(app)
        with app.app_context():
            with tenant_scope(tenant):
                notes = [(n.visit_id, n.recipient_hash, n.masked_at) for n in db.session.query(SmsCode)]
                assert notes == [(visit_id, keyed_hash("+6281234567890"), None)]
            assert sms_secrets.redact_sent(tenant) == 1
            with tenant_scope(tenant):
                assert "ABCDEFGHJK" not in db.session.get(OutboxMessage, recent_id).body
                db.session.commit()
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_the_backfill_runs_under_row_level_security_tenant_by_tenant(scratch_url, tmp_path):  # noqa: F811
    """PostgreSQL: the owner that migrates is held by the FORCEd policies as the app's role is (the
    tests' superuser is not, so the backfill runs here as the app's role, which cannot bypass them).
    With two tenants, the old backfill's list of every tenant showed no rows; tenant by tenant each
    tenant's replies are noted."""
    import importlib.util
    from datetime import timedelta
    from pathlib import Path

    import pytest
    from sqlalchemy import text

    from core.kit import keyed_hash, notify, tenant_scope, utcnow
    from core.testing import tenant_factory

    from ..models import Patient, SmsCode, Visit
    from .fixtures import MONDAY, NIK_A, SETTINGS

    if not scratch_url.startswith("postgresql"):
        pytest.skip("Row Level Security is PostgreSQL's")
    path = next((Path(__file__).parents[1] / "migrations" / "versions").glob("*_c1a1c0de0004_*.py"))
    spec = importlib.util.spec_from_file_location("clinic_c1a1c0de0004", path)
    revision = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(revision)
    app = create_app({"DATABASE_URL": scratch_url, "SECRET_KEY": "x", "INSTANCE_DIR": str(tmp_path / "instance")})
    try:
        migrate.upgrade(app)
        make_tenant = tenant_factory(app)
        visits = {}
        for code in ("ABCDEFGHJK", "KMNPQRSTUV"):
            tenant = make_tenant(modules={"clinic": SETTINGS})
            with app.app_context(), tenant_scope(tenant):
                patient = Patient(nik=NIK_A, name="Budi")
                db.session.add(patient)
                db.session.flush()
                visit = Visit(patient_id=patient.id, active_patient=patient.id, clinic="PKM-A", poli="UMUM",
                              day=MONDAY, serial=1, number="A-001", booking_code=code, channel="sms")
                db.session.add(visit)
                db.session.flush()
                notify(tenant, "sms", "081234567890", f"Antrean A-001. Kode booking {code}.", ref="sms:1")
                db.session.commit()
                visits[tenant.id] = (tenant, visit.id)
        role = app.config["PAMONG_DB_APP_ROLE"]
        engine = migrate.owner_engine(app)
        try:
            with engine.begin() as conn:
                conn.execute(text(f'SET LOCAL ROLE "{role}"'))
                assert conn.execute(text("SELECT rolsuper OR rolbypassrls FROM pg_roles "
                                         "WHERE rolname = current_user")).scalar_one() is False
                every = ",".join(str(i) for i in sorted(visits))  # the old backfill's setting
                conn.execute(text("SELECT set_config('pamong.tenant_ids', :ids, true)").bindparams(ids=every))
                assert conn.execute(text("SELECT count(*) FROM outbox_messages")).scalar_one() == 0
                assert revision.note_codes(conn, utcnow() - timedelta(days=2)) == 2
        finally:
            engine.dispose()
        with app.app_context():
            for tenant, visit_id in visits.values():
                with tenant_scope(tenant):
                    notes = [(n.visit_id, n.recipient_hash) for n in db.session.query(SmsCode)]
                    assert notes == [(visit_id, keyed_hash("+6281234567890"))]
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
