"""Invitations (issue 19.1): an admin's grant, the users page and `pamong user add` send a single-use,
expiring link to set a password (core/auth/tokens.py), by e-mail or SMS through the outbox."""
from cli import cli
from core.auth.models import Membership
from core.extensions import db
from core.testing import unique
from tests.accounts_helpers import NEW, admin_client, english, grant, link_path, sign_in, token_of, user_row


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


def test_resend_goes_the_way_the_first_invitation_went_unless_the_admin_chooses(app, create_tenant, create_user, login,
                                                                                outbox, audit_entries):
    """Issue 19, people 4: invited by SMS, the "send again" went by e-mail."""
    tenant = create_tenant()
    client, _admin = admin_client(app, tenant, create_user, login)
    email = f"{unique('bysms')}@example.test"
    assert grant(client, tenant, email, phone="0812-3456-7890").status_code == 302
    uid = user_row(app, email).id
    page = english(client).get(f"/t/{tenant.slug}/admin/users").get_data(as_text=True)
    assert "Send the invitation again by SMS" in page and "Send it by e-mail instead" in page
    assert client.post(f"/t/{tenant.slug}/admin/users/{uid}/invite").status_code == 302  # the plain button
    assert client.post(f"/t/{tenant.slug}/admin/users/{uid}/invite", data={"channel": "sms"}).status_code == 302
    assert [m["recipient"] for m in outbox(tenant, "sms")] == ["+6281234567890"] * 3
    assert not [m for m in outbox(tenant, "email") if m["recipient"] == email]
    assert client.post(f"/t/{tenant.slug}/admin/users/{uid}/invite", data={"channel": "email"}).status_code == 302
    assert len([m for m in outbox(tenant, "email") if m["recipient"] == email]) == 1
    channels = [e["summary"]["channel"] for e in audit_entries(tenant, "auth.invitation_sent") if e["object_id"] == email]
    assert channels == ["sms", "sms", "sms", "email"]
    # invited by e-mail: the page offers only the e-mail button, and it goes by e-mail again
    other = f"{unique('bymail')}@example.test"
    grant(client, tenant, other)
    row = user_row(app, other).id
    page = english(client).get(f"/t/{tenant.slug}/admin/users").get_data(as_text=True)
    assert "Send the invitation again by SMS" not in page.split(other)[1].split("</tr>")[0]
    assert client.post(f"/t/{tenant.slug}/admin/users/{row}/invite").status_code == 302
    assert len([m for m in outbox(tenant, "email") if m["recipient"] == other]) == 2
