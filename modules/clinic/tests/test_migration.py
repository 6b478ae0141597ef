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


def test_the_backfill_runs_under_row_level_security_tenant_by_tenant(app, create_tenant):
    """Revision c1a1c0de0004's backfill goes tenant by tenant (``core.kit.each_tenant``), as the
    core's and the complaints' backfills do (``tests/test_each_tenant.py``). On PostgreSQL it runs as
    the app's role, held by the FORCEd policies as the owner that migrates in production is (the
    tests' superuser is not): with two tenants, the old backfill's list of every tenant showed no
    rows; tenant by tenant each tenant's replies are noted. SQLite has no policies: the same walk."""
    import importlib.util
    from datetime import timedelta
    from pathlib import Path

    from sqlalchemy import text

    from core.kit import keyed_hash, notify, tenant_scope, utcnow
    from tests.test_each_tenant import EVERY, held_by_rls

    from ..models import Patient, Visit
    from .fixtures import MONDAY, NIK_A, SETTINGS

    path = next((Path(__file__).parents[1] / "migrations" / "versions").glob("*_c1a1c0de0004_*.py"))
    spec = importlib.util.spec_from_file_location("clinic_c1a1c0de0004", path)
    revision = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(revision)
    visits = {}
    for code in ("ABCDEFGHJK", "KMNPQRSTUV"):
        tenant = create_tenant(modules={"clinic": SETTINGS})
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
            visits[tenant.id] = visit.id
    with held_by_rls(app) as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text(EVERY))  # the old backfill's setting: no row at all
            assert conn.execute(text("SELECT count(*) FROM outbox_messages")).scalar_one() == 0
        assert revision.note_codes(conn, utcnow() - timedelta(days=2)) >= 2
        if conn.dialect.name == "postgresql":
            assert conn.execute(text("SELECT current_setting('pamong.tenant_ids')")).scalar_one() == ""
            conn.execute(text("RESET ROLE"))
        notes = conn.execute(text("SELECT tenant_id, visit_id, recipient_hash FROM clinic_sms_codes "
                                  "WHERE tenant_id IN (:a, :b) ORDER BY tenant_id"),
                             dict(zip("ab", sorted(visits)))).all()
        with app.app_context():
            phone = keyed_hash("+6281234567890")
        assert [tuple(n) for n in notes] == [(tid, vid, phone) for tid, vid in sorted(visits.items())]
