"""The notification outbox: written in the caller's transaction, delivered after commit, retried."""
import logging
from datetime import timedelta

import pytest
from sqlalchemy import text

from core.crypto import keyed_hash
from core.errors import ValidationError
from core.extensions import db
from core.kit import notify, tenant_scope
from core.notify import (
    FAILED, PENDING, SENT, DeliveryError, OutboxMessage, clear_console, console_messages, deliver,
    due_messages, register_provider, sweep,
)
from core.notify.providers import PROVIDERS
from core.tenancy.models import utcnow

PHONE = "0812-3456-7890"
E164 = "+6281234567890"


@pytest.fixture(autouse=True)
def _console():
    clear_console()
    yield
    clear_console()


def mine(tenant, ref):
    return [m for m in console_messages() if m.tenant_id == tenant.id and m.ref == ref]


def load(tenant, message_id) -> OutboxMessage:
    with tenant_scope(tenant):
        row = db.session.get(OutboxMessage, message_id, populate_existing=True)
        db.session.expunge(row)  # a snapshot: later commits do not expire it
        return row


def test_commit_delivers_through_the_console_provider(app_ctx, create_tenant):
    tenant = create_tenant()
    message = notify(tenant, "sms", PHONE, "Aduan 2026/1 sudah selesai.", ref="complaints:1")
    message_id = message.id
    assert mine(tenant, "complaints:1") == []  # nothing leaves before the commit
    db.session.commit()
    sent = mine(tenant, "complaints:1")
    assert [(m.to, m.body, m.channel) for m in sent] == [(E164, "Aduan 2026/1 sudah selesai.", "sms")]
    row = load(tenant, message_id)
    assert (row.status, row.attempts, row.provider) == (SENT, 1, "console")
    assert row.sent_at is not None and row.last_error is None


def test_rollback_takes_the_message_with_it(app_ctx, create_tenant):
    tenant = create_tenant()
    notify(tenant, "email", "Warga@Example.COM", "Halo", subject="Status", ref="rolled:1")
    db.session.rollback()
    db.session.commit()
    assert mine(tenant, "rolled:1") == []
    with tenant_scope(tenant):
        assert db.session.execute(db.select(OutboxMessage)).scalars().all() == []


def test_email_address_is_normalised_and_subject_kept(app_ctx, create_tenant):
    tenant = create_tenant()
    notify(tenant, "email", " Warga@Example.COM ", "Isi", subject="Subjek  baru", ref="mail:1")
    db.session.commit()
    (sent,) = mine(tenant, "mail:1")
    assert (sent.to, sent.subject, sent.channel) == ("Warga@example.com", "Subjek baru", "email")


@pytest.mark.parametrize("channel, to, body, where", [
    ("sms", "12345", "hi", "to"),
    ("sms", "not a number", "hi", "to"),
    ("email", "warga@", "hi", "to"),
    ("fax", PHONE, "hi", "channel"),
    ("sms", PHONE, "   ", "body"),
    ("sms", PHONE, "x" * 1601, "body"),
])
def test_bad_input_is_a_validation_error_and_adds_nothing(app_ctx, create_tenant, channel, to, body, where):
    tenant = create_tenant()
    with pytest.raises(ValidationError) as exc:
        notify(tenant, channel, to, body)
    assert exc.value.where == where
    db.session.commit()
    with tenant_scope(tenant):
        assert db.session.execute(db.select(OutboxMessage)).scalars().all() == []


def test_recipient_is_encrypted_at_rest_and_never_logged(app_ctx, create_tenant, caplog):
    tenant = create_tenant()
    caplog.set_level(logging.DEBUG)
    message_id = notify(tenant, "sms", PHONE, "Rahasia", ref="enc:1").id
    db.session.commit()
    with tenant_scope(tenant):
        raw, digest = db.session.execute(
            text("SELECT recipient, recipient_hash FROM outbox_messages WHERE id = :id"), {"id": message_id}
        ).one()
    db.session.rollback()
    assert "81234567890" not in raw and raw.startswith("gAAAA")  # a Fernet token
    assert digest == keyed_hash(E164)
    assert load(tenant, message_id).recipient == E164
    assert caplog.records, "delivery is logged"
    assert "81234567890" not in caplog.text and "Rahasia" not in caplog.text


def test_another_tenant_does_not_see_the_message(app_ctx, create_tenant):
    owner, other = create_tenant(), create_tenant()
    message_id = notify(owner, "sms", PHONE, "Milik owner").id
    db.session.commit()
    with tenant_scope(other):
        assert db.session.get(OutboxMessage, message_id) is None
        assert db.session.execute(db.select(OutboxMessage)).scalars().all() == []


class Flaky:
    """A provider that fails ``failures`` times (per message), then succeeds."""

    name = "flaky"
    failures = 1
    permanent = False
    calls: list = []

    def __init__(self, config):
        pass

    def send(self, message):
        Flaky.calls.append(message.id)
        if Flaky.calls.count(message.id) <= Flaky.failures:
            raise DeliveryError(f"gateway said no to {message.to}", permanent=Flaky.permanent)
        return "flaky-ok"


@pytest.fixture
def flaky(app, monkeypatch):
    register_provider("flaky", Flaky)
    Flaky.calls, Flaky.failures, Flaky.permanent = [], 1, False
    monkeypatch.setitem(app.config, "PAMONG_SMS_PROVIDER", "flaky")
    monkeypatch.setitem(app.config, "PAMONG_NOTIFY_RETRY_BASE", 60)
    monkeypatch.setitem(app.config, "PAMONG_NOTIFY_MAX_ATTEMPTS", 3)
    yield Flaky
    PROVIDERS.pop("flaky", None)


def test_a_failed_attempt_is_retried_with_exponential_backoff(app_ctx, create_tenant, flaky):
    flaky.failures = 2
    tenant = create_tenant()
    message_id = notify(tenant, "sms", PHONE, "Coba lagi").id
    db.session.commit()  # first attempt, right after the commit: fails
    row = load(tenant, message_id)
    assert (row.status, row.attempts) == (PENDING, 1)
    assert row.last_error == "gateway said no to <recipient>"  # the recipient is redacted
    first_retry = row.next_attempt_at.replace(tzinfo=None)
    expected = utcnow().replace(tzinfo=None) + timedelta(seconds=60)
    assert abs((first_retry - expected).total_seconds()) < 5

    assert (tenant.id, message_id) not in due_messages()  # not yet due
    assert deliver(tenant.id, message_id) is None  # nor deliverable early
    later = utcnow() + timedelta(seconds=61)
    assert (tenant.id, message_id) in due_messages(later)
    sweep(later)  # second attempt fails: the wait doubles
    row = load(tenant, message_id)
    assert (row.status, row.attempts) == (PENDING, 2)
    wait = row.next_attempt_at.replace(tzinfo=None) - later.replace(tzinfo=None)
    assert abs(wait.total_seconds() - 120) < 1
    even_later = later + timedelta(seconds=121)
    sweep(even_later)
    row = load(tenant, message_id)
    assert (row.status, row.attempts, row.provider_ref, row.last_error) == (SENT, 3, "flaky-ok", None)
    assert flaky.calls == [message_id] * 3
    sweep(even_later + timedelta(hours=1))
    assert flaky.calls == [message_id] * 3  # a sent message is never sent again


def test_after_the_last_attempt_the_message_is_dead(app_ctx, create_tenant, flaky):
    flaky.failures = 99
    tenant = create_tenant()
    message_id = notify(tenant, "sms", PHONE, "Tidak akan sampai").id
    db.session.commit()
    now = utcnow()
    for _ in range(5):
        now += timedelta(hours=7)
        sweep(now)
    row = load(tenant, message_id)
    assert (row.status, row.attempts) == (FAILED, 3)
    assert flaky.calls == [message_id] * 3


def test_a_permanent_error_fails_at_once(app_ctx, create_tenant, flaky):
    flaky.permanent = True
    tenant = create_tenant()
    message_id = notify(tenant, "sms", PHONE, "Nomor ditolak").id
    db.session.commit()
    row = load(tenant, message_id)
    assert (row.status, row.attempts) == (FAILED, 1)


def test_a_message_is_claimed_once(app_ctx, create_tenant):
    tenant = create_tenant()
    message_id = notify(tenant, "sms", PHONE, "Sekali saja", ref="once:1").id
    db.session.commit()
    assert deliver(tenant.id, message_id) is None  # already sent by the task queued after commit
    assert len(mine(tenant, "once:1")) == 1


def test_a_misconfigured_provider_keeps_the_message_pending(app_ctx, create_tenant, monkeypatch):
    monkeypatch.setitem(app_ctx.config, "PAMONG_SMS_PROVIDER", "pigeon")
    tenant = create_tenant()
    message_id = notify(tenant, "sms", PHONE, "Menunggu").id
    db.session.commit()
    row = load(tenant, message_id)
    assert row.status == PENDING and "unknown provider 'pigeon'" in row.last_error



def test_raw_sql_without_a_tenant_sees_no_outbox_rows_on_postgresql(app_ctx, create_tenant):
    if not app_ctx.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("Row Level Security is a PostgreSQL feature")
    tenant = create_tenant()
    notify(tenant, "sms", PHONE, "Terlindung RLS")
    db.session.commit()
    assert db.session.execute(text("SELECT count(*) FROM outbox_messages")).scalar_one() == 0
    db.session.rollback()


def test_data_key_rotation_keeps_old_values_readable(app_ctx, monkeypatch):
    from core.crypto import DecryptionError, decrypt, encrypt

    monkeypatch.setitem(app_ctx.config, "PAMONG_DATA_KEY", "old passphrase")
    token = encrypt("+6281234567890")
    old_hash = keyed_hash("+6281234567890")
    monkeypatch.setitem(app_ctx.config, "PAMONG_DATA_KEY", "new passphrase, old passphrase")
    assert decrypt(token) == "+6281234567890"  # the old key still decrypts
    assert decrypt(encrypt("x")) == "x" and keyed_hash("+6281234567890") != old_hash
    monkeypatch.setitem(app_ctx.config, "PAMONG_DATA_KEY", "new passphrase")
    with pytest.raises(DecryptionError):
        decrypt(token)  # dropped from the list: unreadable, and said so
