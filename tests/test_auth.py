"""Sign-in: argon2, rate limits, CSRF, cookies, and the audit of sign-ins."""
import pytest

from core.auth.models import User
from core.extensions import db
from core.testing import PASSWORD


def test_wrong_password_shows_the_form_again(client, create_tenant, create_user):
    tenant = create_tenant()
    email = create_user(tenant, "admin")
    page = client.post(f"/t/{tenant.slug}/login", data={"email": email, "password": "wrong password"})
    assert page.status_code == 200
    assert 'name="email"' in page.get_data(as_text=True) and "error" in page.get_data(as_text=True)


def test_password_is_stored_as_argon2(app, create_user):
    email = create_user()
    with app.app_context():
        user = db.session.execute(db.select(User).where(User.email == email)).scalar_one()
        assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash


def test_a_sign_in_upgrades_a_cheaper_hash_to_the_production_parameters(app, client, create_tenant, create_user):
    """Test accounts are hashed cheaply (core.testing); production's argon2 defaults take over
    at the next sign-in, as they would after a deployment raises its parameters."""
    from argon2 import PasswordHasher
    from argon2.profiles import CHEAPEST

    from core.auth import passwords

    tenant = create_tenant()
    email = create_user(tenant, "admin")
    try:
        passwords.use_parameters(None)
        response = client.post(f"/t/{tenant.slug}/login", data={"email": email, "password": PASSWORD})
        assert response.status_code == 302
    finally:
        passwords.use_parameters(CHEAPEST)
    with app.app_context():
        stored = db.session.execute(db.select(User.password_hash).where(User.email == email)).scalar_one()
    production = PasswordHasher()
    assert f"m={production.memory_cost},t={production.time_cost},p={production.parallelism}" in stored
    assert not production.check_needs_rehash(stored) and production.verify(stored, PASSWORD)


def test_login_then_next_keeps_the_tenant_prefix(client, create_tenant, create_user):
    tenant = create_tenant()
    email = create_user(tenant, "admin")
    response = client.post(f"/t/{tenant.slug}/login?next=/admin/users", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == f"/t/{tenant.slug}/admin/users"
    evil = client.post(f"/t/{tenant.slug}/login?next=//evil.example/x", data={"email": email, "password": PASSWORD})
    assert "evil.example" not in evil.headers["Location"]


def test_sign_in_is_audited(app, client, create_tenant, create_user, login):
    from core.audit import AuditEntry
    from core.tenancy.scope import tenant_scope

    tenant = create_tenant()
    email = create_user(tenant, "admin")
    login(client, email, tenant)
    with app.app_context(), tenant_scope(tenant):
        actions = db.session.execute(db.select(AuditEntry.action).where(AuditEntry.actor == email)).scalars().all()
    assert "auth.login" in actions


def test_login_is_rate_limited(app, client, create_tenant):
    tenant = create_tenant()
    app.config["PAMONG_LOGIN_RATE"] = "10 per minute"
    try:
        codes = [
            client.post(f"/t/{tenant.slug}/login", data={"email": "x@example.test", "password": "nope"},
                        environ_base={"REMOTE_ADDR": "10.9.8.7"}).status_code
            for _ in range(12)
        ]
        other_address = client.post(f"/t/{tenant.slug}/login", data={"email": "x@example.test", "password": "nope"},
                                    environ_base={"REMOTE_ADDR": "10.9.8.8"}).status_code
    finally:
        app.config["PAMONG_LOGIN_RATE"] = "10000 per minute"
    assert codes[:10] == [200] * 10 and codes[-1] == 429
    assert other_address == 200


def test_forms_need_a_csrf_token(app, client, create_tenant, create_user):
    tenant = create_tenant()
    email = create_user(tenant, "admin")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        refused = client.post(f"/t/{tenant.slug}/login", data={"email": email, "password": PASSWORD})
        assert refused.status_code == 400
        page = client.get(f"/t/{tenant.slug}/login").get_data(as_text=True)
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        accepted = client.post(f"/t/{tenant.slug}/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
        assert accepted.status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_production_cookies_are_secure(monkeypatch):
    from core.config import load_config

    monkeypatch.delenv("PAMONG_INSECURE_COOKIES", raising=False)
    config = load_config({"SECRET_KEY": "x", "DATABASE_URL": "sqlite://"})
    assert config["SESSION_COOKIE_SECURE"] and config["SESSION_COOKIE_HTTPONLY"]
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"


@pytest.mark.parametrize("path", ["/t/{slug}/admin/", "/t/{slug}/admin/users", "/t/{slug}/admin/audit"])
def test_admin_pages_redirect_anonymous_to_sign_in(client, create_tenant, path):
    tenant = create_tenant()
    response = client.get(path.format(slug=tenant.slug))
    assert response.status_code == 302 and f"/t/{tenant.slug}/login" in response.headers["Location"]
