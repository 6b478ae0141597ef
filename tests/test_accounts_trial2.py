"""Findings of a second accounts trial (issue 19): an unconfirmed phone-only account is told why it
lands on the code page and can ask for a new code; registering with a taken number sends its owner
one clear message and no code; the forgot-password and sign-in pages speak of numbers too; the
admin grants a role to a phone-only citizen; wording of the revoke link, the waits and the
registration form."""
from core.testing import unique
from tests.accounts_helpers import NEW, admin_client, english, grant, sign_in, sms_code_of, user_row

NUMBER = "+6281234567821"


def _register(client, tenant, **data):
    return client.post(f"/t/{tenant.slug}/register", data={"name": "Daeng", "password": NEW, "confirm": NEW, **data})


def _codes(outbox, tenant, number=NUMBER):
    return [m for m in outbox(tenant, "sms") if m["recipient"] == number and m["ref"].startswith("auth:sms-code:")]


def test_an_unconfirmed_phone_account_is_told_why_and_can_ask_for_a_new_code(app, create_tenant, outbox,
                                                                             frozen_clock):
    tenant = create_tenant(accounts={"self_registration": True}, locales=["en", "id"])
    client = english(app.test_client())
    page = _register(client, tenant, email="", phone="0812-3456-7821").headers["Location"]
    assert len(_codes(outbox, tenant)) == 1

    # signing in within 5 minutes: no new code, and the code page says so and when to ask again
    waiting = sign_in(client, tenant, "081234567821", NEW)
    assert waiting.status_code == 302 and "/register/verify-sms/" in waiting.headers["Location"]
    shown = client.get(waiting.headers["Location"]).get_data(as_text=True)
    assert "Your account is not confirmed yet: type the code we sent to your number recently" in shown
    assert "after 5 min" in shown and "Send the code again" in shown
    assert len(_codes(outbox, tenant)) == 1

    # "send the code again" inside the 5 minutes: refused, and said so
    early = client.post(f"{page}/resend", follow_redirects=True)
    assert "You can ask for a new one after" in early.get_data(as_text=True)
    assert len(_codes(outbox, tenant)) == 1

    # after the 5 minutes: a new code (only one), and signing in too would send one
    frozen_clock.advance(minutes=6)
    again = client.post(f"{page}/resend", follow_redirects=True)
    assert "A new code is on its way by SMS." in again.get_data(as_text=True)
    assert len(_codes(outbox, tenant)) == 2
    frozen_clock.advance(minutes=6)
    later = sign_in(client, tenant, NUMBER, NEW)
    assert "a new code is on its way to your number by SMS now" in client.get(
        later.headers["Location"]).get_data(as_text=True)
    newest = _codes(outbox, tenant)[-1]
    assert len(_codes(outbox, tenant)) == 3
    done = client.post(page, data={"code": sms_code_of(newest)})
    assert done.status_code == 302 and not user_row(app, NUMBER).needs_verification


def test_the_resend_goes_to_the_number_given_with_an_e_mail_address(app, create_tenant, outbox, frozen_clock):
    tenant = create_tenant(accounts={"self_registration": True}, locales=["en", "id"])
    email = f"{unique('both')}@example.test"
    client = english(app.test_client())
    page = _register(client, tenant, email=email, phone="0812-3456-7822").headers["Location"]
    frozen_clock.advance(minutes=6)
    client.post(f"{page}/resend")
    assert [m["recipient"] for m in outbox(tenant, "sms")] == ["+6281234567822"] * 2
    assert not outbox(tenant, "email")


def test_registering_a_taken_number_sends_its_owner_one_clear_message_and_no_code(app, create_tenant, outbox,
                                                                                frozen_clock):
    tenant = create_tenant(accounts={"self_registration": True}, locales=["en", "id"])
    first = english(app.test_client())
    page = _register(first, tenant, email="", phone="0812-3456-7823").headers["Location"]
    first.post(page, data={"code": sms_code_of(outbox(tenant, "sms")[0])})
    assert not user_row(app, "+6281234567823").needs_verification
    before = len(outbox(tenant, "sms"))

    frozen_clock.advance(minutes=10)
    stranger = english(app.test_client())
    again = _register(stranger, tenant, email="", phone="081234567823")
    new = _register(english(app.test_client()), tenant, email="", phone="081234567824")
    # the same answer as for a new number: the code page
    assert again.status_code == new.status_code == 302
    assert "/register/verify-sms/" in again.headers["Location"] and "/register/verify-sms/" in new.headers["Location"]
    [note] = [m for m in outbox(tenant, "sms")[before:] if m["recipient"] == "+6281234567823"]
    assert "someone tried to create an account with your number" in note["body"]
    assert "/password/reset/" in note["body"] and "confirms your new account" not in note["body"]
    # no code confirms anything for the existing account, not even the one its nonce would give
    from core.auth import tokens
    from core.auth.models import User
    from core.extensions import db
    from core.tenancy.models import Tenant

    with app.app_context():
        owner = db.session.execute(db.select(User).where(User.email == "+6281234567823")).scalar_one()
        code = tokens.sms_code(db.session.get(Tenant, tenant.id), owner)
    typed = stranger.post(again.headers["Location"], data={"code": code})
    assert typed.status_code == 400 and "This is not the code we sent." in typed.get_data(as_text=True)
    assert "Your account is confirmed" not in typed.get_data(as_text=True)


def test_an_e_mail_owner_gets_the_registration_note_by_e_mail(app, create_tenant, outbox, create_user):
    tenant = create_tenant(accounts={"self_registration": True}, locales=["en", "id"])
    email = create_user(tenant)
    answer = _register(english(app.test_client()), tenant, email=email)
    assert answer.status_code == 200
    [note] = outbox(tenant, "email")
    assert "Someone tried to create an account" in note["body"] and "/password/reset/" in note["body"]


def test_forgot_password_and_sign_in_speak_of_numbers_too(app, create_tenant, outbox):
    tenant = create_tenant(accounts={"self_registration": True}, locales=["en", "id"])
    client = english(app.test_client())
    assert "e-mail address or the mobile number of your account" in client.get(
        f"/t/{tenant.slug}/password/forgot").get_data(as_text=True)
    by_number = client.post(f"/t/{tenant.slug}/password/forgot", data={"email": "0812-3456-7825"})
    text = by_number.get_data(as_text=True)
    assert "Check your SMS" in text and "on its way by SMS" in text and "Check your e-mail" not in text
    by_mail = client.post(f"/t/{tenant.slug}/password/forgot", data={"email": "x@example.test"})
    assert "Check your e-mail" in by_mail.get_data(as_text=True)
    wrong = sign_in(client, tenant, "0812-3456-7825", "a-wrong-password")
    assert "Wrong e-mail address, mobile number or password." in wrong.get_data(as_text=True)


def test_registration_form_marks_e_mail_optional_where_sms_can_confirm(app, create_tenant):
    tenant = create_tenant(accounts={"self_registration": True}, locales=["en", "id"])
    page = english(app.test_client()).get(f"/t/{tenant.slug}/register").get_data(as_text=True)
    assert "E-mail (optional)" in page and "Fill in an e-mail address or a mobile number" in page
    app.config["PAMONG_SMS_PROVIDER"], before = "", app.config.get("PAMONG_SMS_PROVIDER")
    try:
        plain = english(app.test_client()).get(f"/t/{tenant.slug}/register").get_data(as_text=True)
        assert "E-mail (optional)" not in plain
    finally:
        app.config["PAMONG_SMS_PROVIDER"] = before


def test_an_admin_grants_a_role_to_a_phone_only_citizen(app, create_tenant, outbox, create_user, login):
    tenant = create_tenant(accounts={"self_registration": True}, locales=["en", "id"])
    english(app.test_client())
    _register(app.test_client(), tenant, email="", phone="0812-3456-7826")
    client, _admin = admin_client(app, tenant, create_user, login)
    english(client)
    page = client.get(f"/t/{tenant.slug}/admin/users").get_data(as_text=True)
    assert 'name="email" type="text" inputmode="email"' in page and "E-mail / mobile" in page
    granted = grant(client, tenant, "0812 3456 7826", role="auditor")
    assert granted.status_code == 302
    listed = client.get(f"/t/{tenant.slug}/admin/users").get_data(as_text=True)
    assert "+6281234567826" in listed
    # a number nobody registered with: a message on the field, no account made
    unknown = grant(client, tenant, "0812 3456 7899")
    assert unknown.status_code == 400
    assert "No account signs in with this mobile number" in unknown.get_data(as_text=True)
    assert user_row(app, "+6281234567899") is None
    # the "withdraw" control is a link to the question, without a bare "?"
    assert "/revoke?" not in listed and "/revoke\"" in listed


def test_wording_of_the_wait_for_a_new_e_mail_link(app, create_tenant, outbox):
    tenant = create_tenant(accounts={"self_registration": True}, locales=["en", "id"])
    email = f"{unique('late')}@example.test"
    client = english(app.test_client())
    _register(client, tenant, email=email)
    answer = sign_in(client, tenant, email, NEW).get_data(as_text=True)
    assert "by signing in again after 5 min" in answer
