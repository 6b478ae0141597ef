"""Password guessing per account (issue 10.10) and sign-in timing (10.9).

Wrong passwords for one account from any number of addresses make it wait, growing; the right
password after the wait works; the person is told once per window. Every sign-in costs one argon2
verification, whether or not the e-mail has an account.
"""
from datetime import timedelta

import pytest

from core.auth import passwords, throttle
from core.auth.models import User
from core.extensions import db
from core.testing import PASSWORD

WRONG = "Wrong e-mail address, mobile number or password."  # asked for in English (Accept-Language)


def attempt(client, tenant, email, password, address="10.1.0.1"):
    return client.post(f"/t/{tenant.slug}/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address}, headers={"Accept-Language": "en"})


def warnings_for(app, tenant, email):
    from core.notify import OutboxMessage
    from core.tenancy.scope import tenant_scope

    with app.app_context(), tenant_scope(tenant):
        uid = db.session.execute(db.select(User.id).where(User.email == email)).scalar_one()
        return db.session.execute(
            db.select(OutboxMessage).where(OutboxMessage.ref == f"auth:throttle:{uid}")
        ).scalars().all()


@pytest.fixture
def clock(monkeypatch):
    """The throttle's clock, stopped (a slow machine must not let waits run out between attempts);
    ``clock.advance(seconds)`` moves it forward."""
    start = throttle.now()

    class Clock:
        offset = timedelta()

        def advance(self, seconds):
            self.offset += timedelta(seconds=seconds)

    c = Clock()
    monkeypatch.setattr(throttle, "now", lambda: start + c.offset)
    return c


def test_46_wrong_guesses_over_3_addresses_delay_the_right_password(app, client, create_tenant, create_user, clock):
    """The probe's case: after 46 wrong guesses the account still signed in at once."""
    tenant = create_tenant()
    email = create_user(tenant, "citizen")
    answers = [attempt(client, tenant, email, f"guess-{i}", address=f"10.46.0.{i % 3 + 1}") for i in range(46)]
    assert all(a.status_code == 200 and WRONG in a.get_data(as_text=True) for a in answers)

    delayed = attempt(client, tenant, email, PASSWORD, address="10.46.0.9")
    assert delayed.status_code == 200 and WRONG in delayed.get_data(as_text=True)  # same answer as a wrong one

    clock.advance(app.config["PAMONG_LOGIN_ACCOUNT_MAX_DELAY"] + 1)
    after = attempt(client, tenant, email, PASSWORD, address="10.46.0.9")
    assert after.status_code == 302  # not a lockout: the right password after the wait works

    (warning,) = warnings_for(app, tenant, email)  # written once, not per attempt
    assert warning.channel == "email" and warning.recipient == email
    assert tenant.name in warning.body


def test_the_wait_grows_with_each_wrong_password(app, client, create_tenant, create_user, clock):
    tenant = create_tenant()
    email = create_user(tenant, "citizen")
    threshold = app.config["PAMONG_LOGIN_ACCOUNT_FAILURES"]
    for i in range(threshold - 1):
        attempt(client, tenant, email, f"wrong-{i}")
    assert attempt(client, tenant, email, PASSWORD).status_code == 302  # below the threshold: no wait
    client.post(f"/t/{tenant.slug}/logout")

    waits = []
    for i in range(threshold + 3):
        attempt(client, tenant, email, f"wrong-again-{i}")
        with app.app_context():
            uid = db.session.execute(db.select(User.id).where(User.email == email)).scalar_one()
            row = db.session.get(throttle.LoginThrottle, uid)
            until = throttle._aware(row.blocked_until)
            waits.append(round((until - throttle.now()).total_seconds()) if until else 0)
        clock.advance(waits[-1] + 1)  # past the wait, so the next wrong password counts
    assert waits[:threshold - 1] == [0] * (threshold - 1)
    grown = waits[threshold - 1:]
    assert grown[0] > 0 and all(b == 2 * a for a, b in zip(grown, grown[1:])), waits


def test_a_refused_attempt_does_not_count_nor_extend_the_wait(app, client, create_tenant, create_user, clock):
    tenant = create_tenant()
    email = create_user(tenant, "citizen")
    for i in range(app.config["PAMONG_LOGIN_ACCOUNT_FAILURES"]):
        attempt(client, tenant, email, f"wrong-{i}")
    for i in range(20):
        attempt(client, tenant, email, f"during-the-wait-{i}")
    clock.advance(app.config["PAMONG_LOGIN_ACCOUNT_DELAY"] + 1)
    assert attempt(client, tenant, email, PASSWORD).status_code == 302


def wait_out(app, email, clock):
    """Move the clock past the account's current wait (if any)."""
    with app.app_context():
        uid = db.session.execute(db.select(User.id).where(User.email == email)).scalar_one()
        row = db.session.get(throttle.LoginThrottle, uid)
        until = throttle._aware(row.blocked_until) if row is not None else None
    if until is not None:
        clock.advance((until - throttle.now()).total_seconds() + 1)


def test_the_owner_is_told_again_only_in_a_new_window(app, client, create_tenant, create_user, clock):
    tenant = create_tenant()
    email = create_user(tenant, "citizen")
    n, window = app.config["PAMONG_LOGIN_ACCOUNT_FAILURES"], app.config["PAMONG_LOGIN_ACCOUNT_WINDOW"]
    for i in range(n + 4):  # every one counted (each after the previous wait), well within the window
        attempt(client, tenant, email, f"wrong-{i}")
        wait_out(app, email, clock)
    assert len(warnings_for(app, tenant, email)) == 1
    clock.advance(window + 1)
    for i in range(n):
        attempt(client, tenant, email, f"later-{i}")
        wait_out(app, email, clock)
    assert len(warnings_for(app, tenant, email)) == 2


def test_the_warning_is_in_the_persons_language(app, client, create_tenant, create_user, clock):
    tenant = create_tenant()
    email = create_user(tenant, "citizen")
    for i in range(app.config["PAMONG_LOGIN_ACCOUNT_FAILURES"]):
        attempt(client, tenant, email, f"wrong-{i}")
    (warning,) = warnings_for(app, tenant, email)
    from flask_babel import force_locale, gettext

    with app.test_request_context(), force_locale("id"):
        expected = gettext("Repeated failed sign-ins to your account")
    assert warning.subject == expected


def test_unknown_addresses_are_answered_the_same(app, client, create_tenant, clock):
    tenant = create_tenant()
    for i in range(8):
        page = attempt(client, tenant, "nobody-here@example.test", f"guess-{i}")
        assert page.status_code == 200 and WRONG in page.get_data(as_text=True)


# -- 10.9: the same work whether or not the e-mail has an account ---------------------------------

class CountingHasher:
    def __init__(self, real):
        self.real, self.verified = real, 0

    def verify(self, hash_, password):
        self.verified += 1
        return self.real.verify(hash_, password)

    def __getattr__(self, name):
        return getattr(self.real, name)


@pytest.fixture
def hasher(monkeypatch):
    counting = CountingHasher(passwords._hasher)
    monkeypatch.setattr(passwords, "_hasher", counting)
    return counting


def _inactive(app, email):
    with app.app_context():
        db.session.execute(db.update(User).where(User.email == email).values(active=False))
        db.session.commit()


@pytest.mark.parametrize("case", ["no account", "wrong password", "right password", "inactive account",
                                  "account waiting"])
def test_every_sign_in_costs_one_argon2_verification(app, client, create_tenant, create_user, hasher, clock,
                                                     case):
    tenant = create_tenant()
    email = create_user(tenant, "citizen")
    password = PASSWORD if case in ("right password", "inactive account", "account waiting") else "wrong password!"
    if case == "no account":
        email = "nobody-at-all@example.test"
    if case == "inactive account":
        _inactive(app, email)
    if case == "account waiting":
        for i in range(app.config["PAMONG_LOGIN_ACCOUNT_FAILURES"]):
            attempt(client, tenant, email, f"wrong-{i}")
    hasher.verified = 0
    response = attempt(client, tenant, email, password)
    assert hasher.verified == 1, case
    assert response.status_code == (302 if case == "right password" else 200)


def test_wrong_passwords_from_many_workers_at_once_all_count(app, create_tenant, create_user, clock):
    """The count lives in the shared database and is bumped by one UPDATE: nothing is lost when
    several processes or threads record failures of one account at the same moment."""
    import threading

    tenant = create_tenant()
    email = create_user(tenant, "citizen")
    errors, start = [], threading.Barrier(8)

    def worker():
        try:
            with app.app_context():
                from core.auth.service import find_user

                user = find_user(email)
                start.wait(timeout=30)
                throttle.record_failure(user, None)
                db.session.remove()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    with app.app_context():
        uid = db.session.execute(db.select(User.id).where(User.email == email)).scalar_one()
        assert db.session.get(throttle.LoginThrottle, uid).failures == 8
    assert len(warnings_for(app, tenant, email)) == 1
