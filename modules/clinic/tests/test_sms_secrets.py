"""The booking code an SMS reply carries is a bearer secret: once the outbox has handed the reply to
the gateway, its stored copy no longer holds the code (``sms_secrets.redact_sent``), while the SMS
sent did carry it; a reply still pending keeps it (new-user trial, item 3)."""
from datetime import timedelta

from core.kit import OutboxMessage, db, tenant_scope
from core.notify import console_messages

from .. import sms_secrets
from ..models import Visit
from .fixtures import NIK_A, NIK_B
from .test_queue_skipped import NIKS
from .test_sms import E164, send, tenant  # noqa: F401  (the fixture)


def _stored(app, tenant):
    with app.app_context(), tenant_scope(tenant):
        return [(m.status, m.body) for m in db.session.query(OutboxMessage).filter(
            OutboxMessage.channel == "sms").order_by(OutboxMessage.id)]


def test_the_stored_reply_loses_the_booking_code_once_sent(app, client, tenant, frozen_clock):
    send(client, tenant, frozen_clock, f"DAFTAR PKM-A UMUM 02-03-2026 {NIK_A}")
    frozen_clock.advance(seconds=5)
    with app.app_context(), tenant_scope(tenant):
        code = db.session.query(Visit).one().booking_code
    send(client, tenant, frozen_clock, f"BATAL {code}")
    sent = [m.body for m in console_messages("sms") if m.tenant_id == tenant.id and m.to == E164]
    assert len(sent) == 2 and all(code in body for body in sent)  # the patient got their code
    assert [status for status, _ in _stored(app, tenant)] == ["sent", "sent"]
    with app.app_context():
        assert sms_secrets.redact_sent(tenant) == 2
        assert sms_secrets.redact_sent(tenant) == 0  # nothing left to mask
    stored = [body for _, body in _stored(app, tenant)]
    assert all(code not in body and "**********" in body for body in stored), stored
    assert stored[0].startswith("Antrean A-001, Poli Umum Puskesmas Satu")  # the rest as it was


def test_a_reply_still_pending_keeps_its_code(app, client, tenant, frozen_clock):
    from core.kit import notify

    with app.app_context(), tenant_scope(tenant):
        send(client, tenant, frozen_clock, f"DAFTAR PKM-A UMUM 02-03-2026 {NIK_B}")
        code = db.session.query(Visit).one().booking_code
        row = db.session.query(OutboxMessage).one()
        row.status = "pending"  # the gateway has not taken it yet (a retry later: no other test's sweep sends it)
        row.next_attempt_at = frozen_clock.now + timedelta(days=365)
        other = notify(tenant, "sms", E164, "Kode ABCDEFGHJK bukan kode booking.", ref="sms:999")
        other.status = "sent"
        db.session.commit()
        assert sms_secrets.redact_sent(tenant) == 0
    stored = [body for _, body in _stored(app, tenant)]
    assert code in stored[0] and "ABCDEFGHJK" in stored[1]  # pending; and a word that is no booking code


def test_a_run_reads_only_what_is_not_yet_masked_so_a_second_run_touches_nothing(app, client, tenant, frozen_clock):
    """Each run's cost is flat (issue 17 leftovers, item 3): it reads the notes not yet masked (an
    indexed range), not days of SMS; after a run that masked everything, the next one reads no
    outbox row and writes nothing, however many SMS lie behind it."""
    from core.testing import sql_statements

    from ..models import SmsCode

    for i, nik in enumerate(NIKS[:6]):  # six bookings by SMS, six replies with their codes, all sent
        send(client, tenant, frozen_clock, f"DAFTAR PKM-A GIGI 02-03-2026 {nik}", sender=f"08123456789{i}")
        frozen_clock.advance(seconds=5)
    with app.app_context():
        with sql_statements(app) as first:
            assert sms_secrets.redact_sent(tenant) == 6
        with sql_statements(app) as second:
            assert sms_secrets.redact_sent(tenant) == 0
        with tenant_scope(tenant):
            assert db.session.query(SmsCode).filter(SmsCode.masked_at.is_(None)).count() == 0
    first = [" ".join(s.split()).upper() for s in first]
    second = [" ".join(s.split()).upper() for s in second]
    assert [s for s in first if s.startswith("UPDATE OUTBOX_MESSAGES")], first
    assert not [s for s in second if "OUTBOX_MESSAGES" in s or s.startswith(("UPDATE", "INSERT", "DELETE"))], second
    reads = [s for s in second if s.startswith("SELECT") and "CLINIC_SMS_CODES" in s]
    assert len(reads) == 1 and "MASKED_AT IS NULL" in reads[0], second  # the partial index's condition
    with app.app_context(), tenant_scope(tenant):
        codes = [v.booking_code for v in db.session.query(Visit)]
    stored = [body for _, body in _stored(app, tenant)]
    assert len(stored) == 6 and all("Kode booking **********" in body for body in stored)
    assert not [code for code in codes for body in stored if code in body]


def test_the_query_of_a_run_uses_the_partial_index(app, tenant):
    """The notes not yet masked are found through ``ix_clinic_sms_codes_unmasked`` (SQLite's plan)."""
    from sqlalchemy import text

    import pytest

    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("the plan read is SQLite's (EXPLAIN QUERY PLAN)")
        plan = " ".join(str(row[-1]) for row in db.session.execute(text(
            "EXPLAIN QUERY PLAN SELECT id FROM clinic_sms_codes WHERE tenant_id = 1 AND masked_at IS NULL")))
    assert "ix_clinic_sms_codes_unmasked" in plan, plan
