"""Accounts people can get (issue 19.1): invitations, "forgot password", self-registration with a
verified address; single-use, expiring links per tenant (core/auth/tokens.py), through the outbox."""
import re

import pytest

from cli import cli
from core.auth.models import Membership, User
from core.extensions import db
from core.testing import PASSWORD, unique

NEW = "a-long-new-password-19"


def english(client):
    """``client`` reading pages in English (the tests assert on English text; Indonesian is the default)."""
    client.set_cookie("pamong_locale", "en")
    return client


def user_row(app, email):
    with app.app_context():
        user = db.session.execute(db.select(User).where(User.email == email)).scalar_one_or_none()
        if user is not None:
            db.session.expunge(user)
        return user


def token_of(message) -> str:
    """The token at the end of the one link in a message."""
    links = re.findall(r"https?://\S+", message["body"])
    assert len(links) == 1, message["body"]
    return links[0].rstrip("/").rsplit("/", 1)[-1]


def link_path(message) -> str:
    """The link's path in the tenant's URL space (the tests' tenants have a domain: host mode)."""
    link = re.findall(r"https?://\S+", message["body"])[0]
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


def admin_client(app, tenant, create_user, login):
    admin = create_user(tenant, "admin")
    client = app.test_client()
    login(client, admin, tenant)
    return client, admin


def grant(client, tenant, email, role="citizen", **extra):
    return client.post(f"/t/{tenant.slug}/admin/users", data={"email": email, "role": role, **extra})


def sign_in(client, tenant, email, password):
    return client.post(f"/t/{tenant.slug}/login", data={"email": email, "password": password})


# -- Invitation ------------------------------------------------------------------------------------

def test_admin_grant_sends_an_invitation_that_sets_a_password_once(app, create_tenant, create_user, login,
                                                                   outbox, audit_entries):
    tenant = create_tenant()
    client, admin = admin_client(app, tenant, create_user, login)
    email = f"{unique('new')}@example.test"
    assert grant(client, tenant, email, "auditor").status_code == 302
    [message] = [m for m in outbox(tenant, "email") if m["recipient"] == email]
    assert message["ref"].startswith("auth:invite:")
    assert link_path(message).startswith("/invitation/")
    assert f"https://{tenant.slug}.example.test/invitation/" in message["body"]  # core/links.py, not the request
    sent = audit_entries(tenant, "auth.invitation_sent")
    assert sent[-1]["object_id"] == email and sent[-1]["actor"] == admin and sent[-1]["summary"]["channel"] == "email"

    person = app.test_client()
    token = token_of(message)
    page = person.get(f"/t/{tenant.slug}/invitation/{token}")
    assert page.status_code == 200 and email in page.get_data(as_text=True)
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert sign_in(person, tenant, email, NEW).status_code == 200  # no password yet
    done = person.post(f"/t/{tenant.slug}/invitation/{token}", data={"new": NEW, "confirm": NEW})
    assert done.status_code == 302 and done.headers["Location"].endswith("/login")
    assert sign_in(person, tenant, email, NEW).status_code == 302
    assert audit_entries(tenant, "auth.password_set")[-1]["actor"] == email

    again = english(app.test_client()).post(f"/t/{tenant.slug}/invitation/{token}", data={"new": "x" * 12, "confirm": "x" * 12})
    assert again.status_code == 400 and "used" in again.get_data(as_text=True)
    assert sign_in(app.test_client(), tenant, email, NEW).status_code == 302  # nothing changed


def test_sms_invitation_and_a_bad_phone_changes_nothing(app, create_tenant, create_user, login, outbox, audit_entries):
    tenant = create_tenant()
    client, _admin = admin_client(app, tenant, create_user, login)
    email = f"{unique('sms')}@example.test"
    bad = grant(client, tenant, email, phone="12ab")
    assert bad.status_code == 400 and "12ab" in bad.get_data(as_text=True)
    assert user_row(app, email) is None and not outbox(tenant, "sms")
    assert grant(client, tenant, email, phone="0812-3456-7890").status_code == 302
    [sms] = outbox(tenant, "sms")
    assert sms["recipient"] == "+6281234567890" and "/invitation/" in sms["body"] and len(sms["body"]) < 480
    assert "0812" not in str(audit_entries(tenant, "auth.invitation_sent"))  # the channel, never the number


def test_no_invitation_for_someone_who_has_a_password(app, create_tenant, create_user, login, outbox):
    tenant = create_tenant()
    client, _admin = admin_client(app, tenant, create_user, login)
    known = create_user()
    assert grant(client, tenant, known, "auditor").status_code == 302
    assert not [m for m in outbox(tenant) if m["recipient"] == known]


def test_resend_from_the_users_page(app, create_tenant, create_user, login, outbox):
    tenant = create_tenant()
    client, _admin = admin_client(app, tenant, create_user, login)
    email = f"{unique('again')}@example.test"
    grant(client, tenant, email)
    page = client.get(f"/t/{tenant.slug}/admin/users").get_data(as_text=True)
    uid = user_row(app, email).id
    assert f"/admin/users/{uid}/invite" in page
    assert client.post(f"/t/{tenant.slug}/admin/users/{uid}/invite").status_code == 302
    first, second = [m for m in outbox(tenant, "email") if m["recipient"] == email]
    # both links work until one is used; then both die (one nonce per person)
    person = app.test_client()
    assert person.post(f"/t/{tenant.slug}/invitation/{token_of(second)}", data={"new": NEW, "confirm": NEW}).status_code == 302
    assert person.get(f"/t/{tenant.slug}/invitation/{token_of(first)}").status_code == 400
    # someone without a role in this tenant: not found; an officer: refused
    stranger = user_row(app, create_user()).id
    assert client.post(f"/t/{tenant.slug}/admin/users/{stranger}/invite").status_code == 404
    officer = app.test_client()
    login(officer, create_user(tenant, "citizen"), tenant)
    assert officer.post(f"/t/{tenant.slug}/admin/users/{uid}/invite").status_code == 403


def test_expired_invitation_changes_nothing(app, create_tenant, create_user, login, outbox, frozen_clock):
    tenant = create_tenant()
    client, _admin = admin_client(app, tenant, create_user, login)
    email = f"{unique('late')}@example.test"
    grant(client, tenant, email)
    token = token_of([m for m in outbox(tenant) if m["recipient"] == email][0])
    frozen_clock.advance(days=7, minutes=1)
    response = english(app.test_client()).post(f"/t/{tenant.slug}/invitation/{token}", data={"new": NEW, "confirm": NEW})
    assert response.status_code == 400 and "expired" in response.get_data(as_text=True)
    assert user_row(app, email).password_hash == ""


def test_invitation_for_another_tenant_or_altered_or_of_another_kind(app, create_tenant, create_user, login, outbox):
    tenant, other = create_tenant(), create_tenant()
    client, _admin = admin_client(app, tenant, create_user, login)
    email = f"{unique('elsewhere')}@example.test"
    grant(client, tenant, email)
    token = token_of([m for m in outbox(tenant) if m["recipient"] == email][0])
    person = english(app.test_client())
    elsewhere = person.post(f"/t/{other.slug}/invitation/{token}", data={"new": NEW, "confirm": NEW})
    assert elsewhere.status_code == 400 and "another service" in elsewhere.get_data(as_text=True)
    altered = person.post(f"/t/{tenant.slug}/invitation/{token[:-2]}xy", data={"new": NEW, "confirm": NEW})
    assert altered.status_code == 400
    as_reset = person.post(f"/t/{tenant.slug}/password/reset/{token}", data={"new": NEW, "confirm": NEW})
    assert as_reset.status_code == 400  # a salt per purpose
    assert user_row(app, email).password_hash == ""
    short = person.post(f"/t/{tenant.slug}/invitation/{token}", data={"new": "short", "confirm": "short"})
    assert short.status_code == 400 and user_row(app, email).password_hash == ""  # the link still works
    assert person.post(f"/t/{tenant.slug}/invitation/{token}", data={"new": NEW, "confirm": NEW}).status_code == 302


def test_cli_user_add_sends_an_invitation(app, create_tenant, outbox):
    tenant = create_tenant()
    email = f"{unique('cli')}@example.test"
    result = app.test_cli_runner().invoke(cli, ["user", "add", email, "--tenant", tenant.slug, "--role", "citizen"])
    assert result.exit_code == 0, result.output
    assert "invitation" in result.output
    assert [m for m in outbox(tenant, "email") if m["recipient"] == email]
    sms = f"{unique('clisms')}@example.test"
    result = app.test_cli_runner().invoke(cli, ["user", "add", sms, "--tenant", tenant.slug, "--role", "citizen",
                                                "--invite-sms", "081234567891"])
    assert result.exit_code == 0, result.output
    assert [m for m in outbox(tenant, "sms") if m["recipient"] == "+6281234567891"]
    quiet = f"{unique('quiet')}@example.test"
    result = app.test_cli_runner().invoke(cli, ["user", "add", quiet, "--tenant", tenant.slug, "--role", "citizen",
                                                "--no-invite"])
    assert result.exit_code == 0 and not [m for m in outbox(tenant) if m["recipient"] == quiet]
    bad = app.test_cli_runner().invoke(cli, ["user", "add", f"{unique('b')}@example.test", "--tenant", tenant.slug,
                                             "--role", "citizen", "--invite-sms", "nope"])
    assert bad.exit_code == 2 and len(bad.output.strip().splitlines()) == 1


# -- Forgot password -------------------------------------------------------------------------------

def test_forgot_password_same_answer_and_a_reset_ends_every_session(app, create_tenant, create_user, outbox,
                                                                     audit_entries):
    tenant = create_tenant()
    email = create_user(tenant, "admin")
    unknown = f"{unique('nobody')}@example.test"
    browser = app.test_client()
    assert sign_in(browser, tenant, email, PASSWORD).status_code == 302
    assert browser.get(f"/t/{tenant.slug}/admin/users").status_code == 200

    asker = app.test_client()
    known_page = asker.post(f"/t/{tenant.slug}/password/forgot", data={"email": email})
    unknown_page = asker.post(f"/t/{tenant.slug}/password/forgot", data={"email": unknown})
    assert known_page.status_code == unknown_page.status_code == 200
    assert (known_page.get_data(as_text=True).replace(email, "X")
            == unknown_page.get_data(as_text=True).replace(unknown, "X"))
    assert not [m for m in outbox(tenant) if m["recipient"] == unknown]
    [message] = [m for m in outbox(tenant, "email") if m["ref"] and m["ref"].startswith("auth:reset:")]
    assert message["recipient"] == email and link_path(message).startswith("/password/reset/")
    # asked again at once: same answer, no second message
    asker.post(f"/t/{tenant.slug}/password/forgot", data={"email": email})
    assert len([m for m in outbox(tenant) if (m["ref"] or "").startswith("auth:reset:")]) == 1

    token = token_of(message)
    assert asker.post(f"/t/{tenant.slug}/password/reset/{token}", data={"new": NEW, "confirm": NEW}).status_code == 302
    assert browser.get(f"/t/{tenant.slug}/admin/users").status_code == 302  # signed out everywhere
    assert sign_in(app.test_client(), tenant, email, PASSWORD).status_code == 200
    assert sign_in(app.test_client(), tenant, email, NEW).status_code == 302
    assert asker.get(f"/t/{tenant.slug}/password/reset/{token}").status_code == 400  # once
    assert [e["action"] for e in audit_entries(tenant) if e["object_id"] == email][-2:] == [
        "auth.password_reset", "auth.login"]


def test_a_password_change_kills_outstanding_reset_links(app, create_tenant, create_user, outbox, login):
    tenant = create_tenant()
    email = create_user(tenant, "citizen")
    app.test_client().post(f"/t/{tenant.slug}/password/forgot", data={"email": email})
    token = token_of([m for m in outbox(tenant) if m["recipient"] == email][-1])
    client = app.test_client()
    login(client, email, tenant)
    changed = client.post(f"/t/{tenant.slug}/password", data={"current": PASSWORD, "new": NEW, "confirm": NEW})
    assert changed.status_code == 302
    assert app.test_client().get(f"/t/{tenant.slug}/password/reset/{token}").status_code == 400


def test_forgot_password_is_rate_limited(app, create_tenant):
    tenant = create_tenant()
    app.config["PAMONG_LOGIN_RATE"] = "3 per minute"
    try:
        codes = [app.test_client().post(f"/t/{tenant.slug}/password/forgot", data={"email": "x@example.test"},
                                        environ_base={"REMOTE_ADDR": "10.19.1.1"}).status_code for _ in range(4)]
    finally:
        app.config["PAMONG_LOGIN_RATE"] = "10000 per minute"
    assert codes == [200, 200, 200, 429]


def test_pages_need_a_tenant_and_bad_input_is_shown(app, create_tenant):
    tenant = create_tenant()
    client = app.test_client()
    assert client.get("/password/forgot").status_code == 404
    bad = client.post(f"/t/{tenant.slug}/password/forgot", data={"email": "not an address"})
    assert bad.status_code == 400 and 'name="email"' in bad.get_data(as_text=True)
    login_page = client.get(f"/t/{tenant.slug}/login").get_data(as_text=True)
    assert "/password/forgot" in login_page and "/register" not in login_page


# -- Self-registration ------------------------------------------------------------------------------

def test_registration_is_closed_by_default(app, create_tenant):
    tenant = create_tenant()
    client = app.test_client()
    assert client.get(f"/t/{tenant.slug}/register").status_code == 404
    assert client.post(f"/t/{tenant.slug}/register", data={"name": "A", "email": "a@example.test",
                                                           "password": NEW, "confirm": NEW}).status_code == 404


def test_registration_needs_a_verified_address_before_signing_in(app, create_tenant, outbox, audit_entries):
    tenant = create_tenant(accounts={"self_registration": True})
    client = app.test_client()
    assert "/register" in client.get(f"/t/{tenant.slug}/login").get_data(as_text=True)
    email = f"{unique('citizen')}@example.test"
    page = client.post(f"/t/{tenant.slug}/register", data={"name": "Warga", "email": email,
                                                           "password": NEW, "confirm": NEW})
    assert page.status_code == 200 and email in page.get_data(as_text=True)
    assert user_row(app, email).needs_verification
    assert audit_entries(tenant, "auth.register")[-1]["object_id"] == email
    [message] = [m for m in outbox(tenant, "email") if m["recipient"] == email]
    assert link_path(message).startswith("/register/verify/")

    refused = sign_in(client, tenant, email, NEW)
    assert refused.status_code == 200  # the form again: not signed in
    assert client.get(f"/t/{tenant.slug}/password").status_code == 302  # so a signed-in page sends to the login

    token = token_of(message)
    assert client.get(f"/t/{tenant.slug}/register/verify/{token}").status_code == 200
    assert user_row(app, email).needs_verification  # opening the link changes nothing
    assert client.post(f"/t/{tenant.slug}/register/verify/{token}").status_code == 302
    assert not user_row(app, email).needs_verification
    assert audit_entries(tenant, "auth.verified")[-1]["actor"] == email
    assert sign_in(client, tenant, email, NEW).status_code == 302
    assert client.post(f"/t/{tenant.slug}/register/verify/{token}").status_code == 400  # once


def test_unverified_sign_in_is_refused_and_resends_the_link(app, create_tenant, outbox, frozen_clock):
    tenant = create_tenant(accounts={"self_registration": True})
    client = app.test_client()
    email = f"{unique('slow')}@example.test"
    client.post(f"/t/{tenant.slug}/register", data={"name": "Warga", "email": email, "password": NEW, "confirm": NEW})
    frozen_clock.advance(minutes=10)
    refused = sign_in(client, tenant, email, NEW)
    assert refused.status_code == 200 and 'class="error"' in refused.get_data(as_text=True)
    assert client.get(f"/t/{tenant.slug}/password").status_code == 302  # not signed in
    assert len([m for m in outbox(tenant) if m["recipient"] == email]) == 2
    wrong = sign_in(client, tenant, email, "a-wrong-password")  # a wrong password sends nothing
    assert wrong.status_code == 200 and len([m for m in outbox(tenant) if m["recipient"] == email]) == 2


def test_registering_a_known_address_changes_nothing_and_answers_the_same(app, create_tenant, create_user, outbox):
    tenant = create_tenant(accounts={"self_registration": True})
    known = create_user(tenant, "citizen")
    before = user_row(app, known)
    client = app.test_client()
    fresh = f"{unique('fresh')}@example.test"
    page_known = client.post(f"/t/{tenant.slug}/register", data={"name": "X", "email": known, "password": NEW,
                                                                 "confirm": NEW})
    page_new = client.post(f"/t/{tenant.slug}/register", data={"name": "X", "email": fresh, "password": NEW,
                                                               "confirm": NEW})
    assert page_known.status_code == page_new.status_code == 200
    assert (page_known.get_data(as_text=True).replace(known, "X")
            == page_new.get_data(as_text=True).replace(fresh, "X"))
    after = user_row(app, known)
    assert after.password_hash == before.password_hash and not after.needs_verification
    assert [m["ref"].split(":")[1] for m in outbox(tenant) if m["recipient"] == known] == ["reset"]


@pytest.mark.parametrize("data, field", [
    ({"name": "W", "email": "bad", "password": NEW, "confirm": NEW}, "email"),
    ({"name": "W", "email": "ok@example.test", "password": "short", "confirm": "short"}, "password"),
    ({"name": "W", "email": "ok@example.test", "password": NEW, "confirm": NEW + "x"}, "confirm"),
    ({"name": "", "email": "ok@example.test", "password": NEW, "confirm": NEW}, "name"),
])
def test_registration_bad_input_shows_the_form_and_creates_nothing(app, create_tenant, data, field):
    tenant = create_tenant(accounts={"self_registration": True})
    page = app.test_client().post(f"/t/{tenant.slug}/register", data=data)
    assert page.status_code == 400 and f'id="{field}-err"' in page.get_data(as_text=True)
    assert user_row(app, "ok@example.test") is None


def test_the_tenant_setting_is_validated_and_exported(app, create_tenant):
    from core.errors import ValidationError
    from core.tenancy import service
    from core.tenancy.models import Tenant
    from core.tenancy.schema import parse_tenant

    base = {"slug": "regtest", "name": "Kota R", "kind": "city", "timezone": "Asia/Makassar"}
    with pytest.raises(ValidationError) as wrong:
        parse_tenant({**base, "accounts": {"self_registration": "yes"}}, "regtest.toml")
    assert "accounts.self_registration" in str(wrong.value)
    with pytest.raises(ValidationError) as unknown:
        parse_tenant({**base, "accounts": {"open": True}}, "regtest.toml")
    assert "accounts.open: unknown key" in str(unknown.value)
    assert parse_tenant(base, "x").accounts.self_registration is False
    tenant = create_tenant(accounts={"self_registration": True})
    with app.app_context():
        doc = service.export_doc(db.session.get(Tenant, tenant.id))
    assert doc["accounts"] == {"self_registration": True}
    with app.app_context():
        assert "accounts" not in service.export_doc(db.session.get(Tenant, create_tenant().id))


def test_membership_is_not_granted_by_registration(app, create_tenant):
    tenant = create_tenant(accounts={"self_registration": True})
    email = f"{unique('plain')}@example.test"
    app.test_client().post(f"/t/{tenant.slug}/register", data={"name": "W", "email": email, "password": NEW,
                                                               "confirm": NEW})
    with app.app_context():
        uid = db.session.execute(db.select(User.id).where(User.email == email)).scalar_one()
        from core.tenancy.scope import tenant_scope

        with tenant_scope(tenant):
            assert not db.session.execute(db.select(Membership).where(Membership.user_id == uid)).first()


def test_an_admin_cannot_redirect_someone_elses_invitation_to_a_phone(app, create_tenant, create_user, login,
                                                                       outbox):
    """An account another tenant relies on gets its link only at its own address (no takeover)."""
    tenant, other = create_tenant(), create_tenant()
    client, _admin = admin_client(app, tenant, create_user, login)
    other_client, _other_admin = admin_client(app, other, create_user, login)
    email = f"{unique('shared')}@example.test"
    assert grant(other_client, other, email, "auditor").status_code == 302  # invited by the other tenant
    refused = grant(client, tenant, email, phone="0812-3456-7890")
    assert refused.status_code == 400 and not outbox(tenant, "sms")
    assert user_row(app, email).password_hash == ""
    uid = user_row(app, email).id
    with app.app_context():
        from core.tenancy.scope import tenant_scope

        with tenant_scope(tenant):
            assert not db.session.execute(db.select(Membership).where(Membership.user_id == uid)).first()
    assert grant(client, tenant, email).status_code == 302  # by e-mail: to the person's own address
    assert [m for m in outbox(tenant, "email") if m["recipient"] == email]
    resend = client.post(f"/t/{tenant.slug}/admin/users/{uid}/invite", data={"phone": "0812-3456-7890"})
    assert resend.status_code == 302 and not outbox(tenant, "sms")


def test_no_invitation_again_for_someone_with_a_password(app, create_tenant, create_user, login, outbox):
    tenant = create_tenant()
    client, _admin = admin_client(app, tenant, create_user, login)
    member = create_user(tenant, "citizen")
    uid = user_row(app, member).id
    assert f"/admin/users/{uid}/invite" not in client.get(f"/t/{tenant.slug}/admin/users").get_data(as_text=True)
    assert client.post(f"/t/{tenant.slug}/admin/users/{uid}/invite").status_code == 302
    assert not [m for m in outbox(tenant) if m["recipient"] == member]


def sms_code_of(message) -> str:
    return re.search(r"\b([0-9]{6})\b", message["body"]).group(1)


def test_registration_verified_by_an_sms_code(app, create_tenant, outbox, audit_entries):
    tenant = create_tenant(accounts={"self_registration": True})
    client = app.test_client()
    email = f"{unique('hp')}@example.test"
    bad = client.post(f"/t/{tenant.slug}/register", data={"name": "W", "email": email, "phone": "12ab",
                                                          "password": NEW, "confirm": NEW})
    assert bad.status_code == 400 and 'id="phone-err"' in bad.get_data(as_text=True)
    assert user_row(app, email) is None
    sent = client.post(f"/t/{tenant.slug}/register", data={"name": "W", "email": email, "phone": "0812 3456 7801",
                                                           "password": NEW, "confirm": NEW})
    assert sent.status_code == 302 and "/register/verify-sms/" in sent.headers["Location"]
    [sms] = [m for m in outbox(tenant, "sms") if m["recipient"] == "+6281234567801"]
    assert not [m for m in outbox(tenant, "email") if m["recipient"] == email]  # no e-mail link
    code = sms_code_of(sms)
    page = sent.headers["Location"]
    wrong = "000000" if code != "000000" else "111111"
    assert client.post(page, data={"code": wrong}).status_code == 400
    assert user_row(app, email).needs_verification
    assert sign_in(client, tenant, email, NEW).status_code == 200  # not yet
    # signing in sent an e-mail link, which is the other way; the SMS code still works too
    done = client.post(page, data={"code": code[:3] + " " + code[3:]})
    assert done.status_code == 302 and done.headers["Location"].endswith("/login")
    assert not user_row(app, email).needs_verification
    assert audit_entries(tenant, "auth.verified")[-1]["summary"] == {"channel": "sms"}
    assert sign_in(client, tenant, email, NEW).status_code == 302
    assert client.post(page, data={"code": code}).status_code == 400  # the page's token is spent


def test_sms_code_guessing_is_slowed_down(app, create_tenant, outbox, frozen_clock):
    tenant = create_tenant(accounts={"self_registration": True})
    client = english(app.test_client())
    email = f"{unique('guess')}@example.test"
    page = client.post(f"/t/{tenant.slug}/register", data={"name": "W", "email": email, "phone": "081234567802",
                                                           "password": NEW, "confirm": NEW}).headers["Location"]
    code = sms_code_of([m for m in outbox(tenant, "sms") if m["recipient"] == "+6281234567802"][0])
    wrong = [f"{(int(code) + n) % 1_000_000:06d}" for n in range(1, 7)]
    answers = [client.post(page, data={"code": guess}).get_data(as_text=True) for guess in wrong]
    assert "Wait a few minutes" in answers[-1]
    assert "Wait a few minutes" in client.post(page, data={"code": code}).get_data(as_text=True)  # even the right one
    assert user_row(app, email).needs_verification
    frozen_clock.advance(minutes=20)
    assert client.post(page, data={"code": code}).status_code == 302


def test_an_sms_code_page_expires(app, create_tenant, outbox, frozen_clock):
    tenant = create_tenant(accounts={"self_registration": True})
    client = app.test_client()
    email = f"{unique('exp')}@example.test"
    page = client.post(f"/t/{tenant.slug}/register", data={"name": "W", "email": email, "phone": "081234567803",
                                                           "password": NEW, "confirm": NEW}).headers["Location"]
    code = sms_code_of([m for m in outbox(tenant, "sms") if m["recipient"] == "+6281234567803"][0])
    frozen_clock.advance(minutes=31)
    assert client.post(page, data={"code": code}).status_code == 400
    assert user_row(app, email).needs_verification


def test_registering_a_known_address_with_a_phone_answers_the_same_and_verifies_nothing(app, create_tenant,
                                                                                      create_user, outbox):
    tenant = create_tenant(accounts={"self_registration": True})
    known = create_user(tenant, "citizen")
    before = user_row(app, known)
    client = app.test_client()
    answer = client.post(f"/t/{tenant.slug}/register", data={"name": "X", "email": known, "phone": "081234567804",
                                                             "password": NEW, "confirm": NEW})
    assert answer.status_code == 302 and "/register/verify-sms/" in answer.headers["Location"]
    code = sms_code_of([m for m in outbox(tenant, "sms") if m["recipient"] == "+6281234567804"][0])
    assert client.post(answer.headers["Location"], data={"code": code}).status_code == 302
    after = user_row(app, known)
    assert (after.password_hash, after.needs_verification) == (before.password_hash, False)
    assert sign_in(app.test_client(), tenant, known, PASSWORD).status_code == 302


def test_no_two_routes_share_an_address(app):
    """A new page must not shadow another (the documents' ``/verify/<code>`` once met ours)."""
    seen = {}
    clashes = []
    for rule in app.url_map.iter_rules():
        shape = re.sub(r"<[^>]+>", "<>", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if (shape, method) in seen and seen[(shape, method)] != rule.endpoint:
                clashes.append((shape, method, seen[(shape, method)], rule.endpoint))
            seen[(shape, method)] = rule.endpoint
    assert not clashes
