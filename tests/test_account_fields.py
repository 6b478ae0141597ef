"""What browsers and phones need from the account forms (issue 19, people 3 and 5): password
managers fill the sign-in's current password and offer a new one where one is chosen, phones show
the number pad for the SMS code and can fill it from the message, and an e-mail address that is
not one is called not valid (not "Enter an e-mail address")."""
import re

from core.testing import unique
from tests.accounts_helpers import NEW, admin_client, english, grant, token_of


def outbox_token(messages, recipient):
    return token_of([m for m in messages if m["recipient"] == recipient][-1])


def _attrs(html, name):
    tag = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', html)
    assert tag, name
    return tag.group(0)


def test_password_fields_say_which_password_they_hold(app, client, create_tenant, create_user, login, outbox):
    tenant = create_tenant(accounts={"self_registration": True})
    sign_in = client.get(f"/t/{tenant.slug}/login").get_data(as_text=True)
    assert 'autocomplete="current-password"' in _attrs(sign_in, "password")
    register = client.get(f"/t/{tenant.slug}/register").get_data(as_text=True)
    assert 'autocomplete="new-password"' in _attrs(register, "password")
    assert 'autocomplete="new-password"' in _attrs(register, "confirm")
    assert 'autocomplete="email"' in _attrs(register, "email")

    admin, _ = admin_client(app, tenant, create_user, login)
    email = f"{unique('inv')}@example.test"
    grant(admin, tenant, email)
    invitation = app.test_client().get(f"/t/{tenant.slug}/invitation/{outbox_token(outbox(tenant, 'email'), email)}")
    page = invitation.get_data(as_text=True)
    assert invitation.status_code == 200
    assert 'autocomplete="new-password"' in _attrs(page, "new") and 'autocomplete="new-password"' in _attrs(page, "confirm")

    person = create_user(tenant, "citizen")
    app.test_client().post(f"/t/{tenant.slug}/password/forgot", data={"email": person})
    reset = app.test_client().get(f"/t/{tenant.slug}/password/reset/{outbox_token(outbox(tenant, 'email'), person)}")
    page = reset.get_data(as_text=True)
    assert reset.status_code == 200
    assert 'autocomplete="new-password"' in _attrs(page, "new") and 'autocomplete="new-password"' in _attrs(page, "confirm")

    signed_in = app.test_client()
    login(signed_in, person, tenant)
    change = signed_in.get(f"/t/{tenant.slug}/password").get_data(as_text=True)
    assert 'autocomplete="current-password"' in _attrs(change, "current")
    assert 'autocomplete="new-password"' in _attrs(change, "new")


def test_the_sms_code_field_opens_the_number_pad_and_takes_the_code_from_the_message(app, create_tenant):
    tenant = create_tenant(accounts={"self_registration": True})
    client = app.test_client()
    sent = client.post(f"/t/{tenant.slug}/register", data={
        "name": "Warga", "email": f"{unique('sms')}@example.test", "phone": "0812-3456-7890",
        "password": NEW, "confirm": NEW})
    assert sent.status_code == 302
    page = client.get(sent.headers["Location"]).get_data(as_text=True)
    code = _attrs(page, "code")
    assert 'inputmode="numeric"' in code and 'autocomplete="one-time-code"' in code


def test_an_address_that_is_not_one_is_called_not_valid(app, create_tenant):
    tenant = create_tenant(accounts={"self_registration": True}, locales=["en", "id"])
    client = english(app.test_client())
    bad = client.post(f"/t/{tenant.slug}/register", data={"name": "Warga", "email": "warga@desa",
                                                          "password": NEW, "confirm": NEW})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "This is not a valid e-mail address." in html
    assert "Enter an e-mail address." not in html
    empty = client.post(f"/t/{tenant.slug}/register", data={"name": "Warga", "email": "", "password": NEW, "confirm": NEW})
    assert empty.status_code == 400 and "This is not a valid e-mail address." not in empty.get_data(as_text=True)
