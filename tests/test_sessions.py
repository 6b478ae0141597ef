"""Sessions end for real (issue 10.2): sign-out, a password change and "sign out everywhere" (admin
page and CLI) end every session cookie and remember cookie of the person, on every device."""
import pytest

from cli import cli
from core.auth.models import User
from core.extensions import db
from core.testing import PASSWORD

NEW_PASSWORD = "another-long-password-42"


def sign_in(client, email, tenant, remember=True):
    response = client.post(f"/t/{tenant.slug}/login",
                           data={"email": email, "password": PASSWORD, **({"remember": "y"} if remember else {})})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return response


def cookies_of(client) -> dict:
    out = {}
    for name in ("session", "remember_token"):
        cookie = client.get_cookie(name)
        if cookie is not None:
            out[name] = cookie.value
    return out


def signed_in_with(app, tenant, **cookies) -> bool:
    """A fresh browser holding only ``cookies``: does the admin page open for it?"""
    other = app.test_client()
    for name, value in cookies.items():
        other.set_cookie(name, value)
    response = other.get(f"/t/{tenant.slug}/admin/users")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def user_id(app, email) -> int:
    with app.app_context():
        return db.session.execute(db.select(User.id).where(User.email == email)).scalar_one()


def _sign_out(app, client, tenant, email):
    assert client.post(f"/t/{tenant.slug}/logout").status_code == 302


def _password_change(app, client, tenant, email):
    result = app.test_cli_runner().invoke(cli, ["user", "password", email], input=NEW_PASSWORD + "\n")
    assert result.exit_code == 0, result.output


def _password_change_by_user_add(app, client, tenant, email):
    result = app.test_cli_runner().invoke(cli, ["user", "add", email, "--tenant", tenant.slug, "--role", "admin",
                                                "--password-stdin"], input=NEW_PASSWORD + "\n")
    assert result.exit_code == 0, result.output


def _admin_button(app, client, tenant, email):
    from core.testing import unique

    admin = app.test_client()
    admin_email = f"{unique('adm')}@example.test"
    with app.app_context():
        from core.auth import service
        from core.tenancy.models import Tenant

        service.grant_role(db.session.get(Tenant, tenant.id), service.create_user(admin_email, password=PASSWORD),
                           "admin", "test")
        db.session.commit()
    sign_in(admin, admin_email, tenant, remember=False)
    page = admin.get(f"/t/{tenant.slug}/admin/users").get_data(as_text=True)
    action = f"/t/{tenant.slug}/admin/users/{user_id(app, email)}/sign-out-everywhere"
    assert action in page  # the button is on the Users page
    assert admin.post(action).status_code == 302
    assert signed_in_with(app, tenant, **cookies_of(admin))  # the admin stays signed in


def _cli(app, client, tenant, email):
    result = app.test_cli_runner().invoke(cli, ["user", "signout-all", email])
    assert result.exit_code == 0 and "signed out everywhere" in result.output, result.output


@pytest.mark.parametrize("end", [_sign_out, _password_change, _password_change_by_user_add, _admin_button, _cli],
                         ids=["sign-out", "password-change", "password-by-user-add", "admin-sign-out-everywhere",
                              "cli-signout-all"])
def test_every_session_and_remember_cookie_ends(app, create_tenant, create_user, end):
    tenant = create_tenant()
    email = create_user(tenant, "admin")
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, email, tenant)
    sign_in(phone, email, tenant)
    taken = {"laptop": cookies_of(laptop), "phone": cookies_of(phone)}
    for device in taken.values():
        assert set(device) == {"session", "remember_token"}
        # each alone signs in before (so the checks below can fail)
        assert signed_in_with(app, tenant, session=device["session"])
        assert signed_in_with(app, tenant, remember_token=device["remember_token"])

    end(app, laptop, tenant, email)

    for name, device in taken.items():
        assert not signed_in_with(app, tenant, session=device["session"]), name
        assert not signed_in_with(app, tenant, remember_token=device["remember_token"]), name
        assert not signed_in_with(app, tenant, **device), name
    assert phone.get(f"/t/{tenant.slug}/admin/users").status_code == 302  # the second device, as it is


def test_a_new_sign_in_after_sign_out_works_with_a_new_remember_cookie(app, client, create_tenant, create_user):
    tenant = create_tenant()
    email = create_user(tenant, "admin")
    sign_in(client, email, tenant)
    first = cookies_of(client)["remember_token"]
    client.post(f"/t/{tenant.slug}/logout")
    sign_in(client, email, tenant)
    second = cookies_of(client)["remember_token"]
    assert second != first
    assert signed_in_with(app, tenant, remember_token=second)
    assert not signed_in_with(app, tenant, remember_token=first)


def test_remember_cookie_is_samesite_httponly(client, create_tenant, create_user):
    tenant = create_tenant()
    email = create_user(tenant, "admin")
    headers = sign_in(client, email, tenant).headers.getlist("Set-Cookie")
    (remember,) = [h for h in headers if h.startswith("remember_token=")]
    assert "SameSite=Lax" in remember and "HttpOnly" in remember


def test_production_remember_cookie_settings(monkeypatch):
    from core.config import load_config

    monkeypatch.delenv("PAMONG_INSECURE_COOKIES", raising=False)
    config = load_config({"SECRET_KEY": "x", "DATABASE_URL": "sqlite://"})
    assert config["REMEMBER_COOKIE_SECURE"] and config["REMEMBER_COOKIE_HTTPONLY"]
    assert config["REMEMBER_COOKIE_SAMESITE"] == "Lax"
    monkeypatch.setenv("PAMONG_INSECURE_COOKIES", "1")
    assert not load_config({"SECRET_KEY": "x", "DATABASE_URL": "sqlite://"})["REMEMBER_COOKIE_SECURE"]


def test_a_cookie_from_before_generations_is_refused(app, create_tenant, create_user):
    """The old format (a bare user id), signed with the right key, no longer signs anyone in."""
    from flask_login.utils import encode_cookie

    tenant = create_tenant()
    email = create_user(tenant, "admin")
    with app.test_request_context():
        old = encode_cookie(str(user_id(app, email)))
    assert not signed_in_with(app, tenant, remember_token=old)


def test_sign_out_everywhere_and_password_change_are_audited(app, create_tenant, create_user, audit_entries):
    tenant = create_tenant()
    email = create_user(tenant, "admin")
    runner = app.test_cli_runner()
    assert runner.invoke(cli, ["user", "signout-all", email]).exit_code == 0
    assert runner.invoke(cli, ["user", "password", email], input=NEW_PASSWORD + "\n").exit_code == 0
    actions = [(e["action"], e["object_id"]) for e in audit_entries(tenant)]
    assert ("auth.sign_out_everywhere", email) in actions and ("auth.password_change", email) in actions


def test_admin_button_is_audited_and_limited_to_the_tenants_people(app, client, create_tenant, create_user,
                                                                   login, audit_entries):
    tenant, other = create_tenant(), create_tenant()
    admin = create_user(tenant, "admin")
    member = create_user(tenant, "citizen")
    stranger = create_user(other, "citizen")
    login(client, admin, tenant)
    assert client.post(f"/t/{tenant.slug}/admin/users/{user_id(app, member)}/sign-out-everywhere").status_code == 302
    entry = [e for e in audit_entries(tenant, "auth.sign_out_everywhere")]
    assert entry and entry[-1]["actor"] == admin and entry[-1]["object_id"] == member
    refused = client.post(f"/t/{tenant.slug}/admin/users/{user_id(app, stranger)}/sign-out-everywhere")
    assert refused.status_code == 404


@pytest.mark.parametrize("args", [["signout-all"], ["password"]])
def test_cli_unknown_user_is_one_line_exit_2(app, args):
    result = app.test_cli_runner().invoke(cli, ["user", *args, "nobody@example.test"], input="long-enough-pass\n")
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == ["error: EMAIL: no user 'nobody@example.test'"]


def test_cli_short_password_is_refused_and_sessions_stay(app, client, create_tenant, create_user):
    tenant = create_tenant()
    email = create_user(tenant, "admin")
    sign_in(client, email, tenant)
    result = app.test_cli_runner().invoke(cli, ["user", "password", email], input="short\n")
    assert result.exit_code == 2 and result.output.startswith("error: password:")
    assert signed_in_with(app, tenant, **cookies_of(client))


def test_an_officer_cannot_sign_others_out(app, client, create_tenant, create_user, login):
    tenant = create_tenant()
    citizen = create_user(tenant, "citizen")
    other = create_user(tenant, "citizen")
    login(client, citizen, tenant)
    assert client.post(f"/t/{tenant.slug}/admin/users/{user_id(app, other)}/sign-out-everywhere").status_code == 403


# -- the person changes their own password on the web ------------------------------------------

def test_changing_ones_password_ends_the_other_devices_only(app, create_tenant, create_user, audit_entries):
    tenant = create_tenant()
    email = create_user(tenant, "admin")
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, email, tenant)
    sign_in(phone, email, tenant)
    phone_cookies = cookies_of(phone)
    assert laptop.get(f"/t/{tenant.slug}/password").status_code == 200
    changed = laptop.post(f"/t/{tenant.slug}/password",
                          data={"current": PASSWORD, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert changed.status_code == 302
    assert laptop.get(f"/t/{tenant.slug}/admin/users").status_code == 200  # this browser goes on
    assert signed_in_with(app, tenant, remember_token=cookies_of(laptop)["remember_token"])
    assert not signed_in_with(app, tenant, session=phone_cookies["session"])
    assert not signed_in_with(app, tenant, remember_token=phone_cookies["remember_token"])
    assert ("auth.password_change", email) in [(e["action"], e["object_id"]) for e in audit_entries(tenant)]
    fresh = app.test_client()
    assert fresh.post(f"/t/{tenant.slug}/login", data={"email": email, "password": NEW_PASSWORD}).status_code == 302


@pytest.mark.parametrize("data", [
    {"current": "not the password", "new": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    {"current": PASSWORD, "new": "short", "confirm": "short"},
    {"current": PASSWORD, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD + "x"},
    {"current": PASSWORD, "new": "", "confirm": ""},
])
def test_a_refused_password_change_shows_the_form_and_changes_nothing(app, create_tenant, create_user, data):
    tenant = create_tenant()
    email = create_user(tenant, "admin")
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, email, tenant)
    sign_in(phone, email, tenant)
    page = laptop.post(f"/t/{tenant.slug}/password", data=data)
    assert page.status_code == 200 and 'class="error"' in page.get_data(as_text=True)
    assert signed_in_with(app, tenant, **cookies_of(phone))  # nothing ended
    assert app.test_client().post(f"/t/{tenant.slug}/login",
                                  data={"email": email, "password": PASSWORD}).status_code == 302


def test_the_password_page_needs_a_signed_in_person(client, create_tenant):
    tenant = create_tenant()
    response = client.get(f"/t/{tenant.slug}/password")
    assert response.status_code == 302 and f"/t/{tenant.slug}/login" in response.headers["Location"]
