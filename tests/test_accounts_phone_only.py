"""Citizens without an e-mail address (issue 19, people 3): where the deployment sends SMS, a
citizen registers with a mobile number only, confirms it with the code sent by SMS, signs in with
the number, and gets a reset link by SMS; one of the two (e-mail, number) is needed."""
from core.testing import unique
from tests.accounts_helpers import NEW, english, sign_in, sms_code_of, token_of, user_row

NUMBER = "+6281234567811"


def _register(client, tenant, **data):
    return client.post(f"/t/{tenant.slug}/register", data={"name": "Daeng", "password": NEW, "confirm": NEW, **data})


def test_a_citizen_registers_confirms_and_signs_in_with_a_mobile_number_only(app, create_tenant, outbox,
                                                                             audit_entries, frozen_clock):
    tenant = create_tenant(accounts={"self_registration": True}, locales=["en", "id"])
    client = english(app.test_client())
    form = client.get(f"/t/{tenant.slug}/register").get_data(as_text=True)
    assert "Without an e-mail address you sign in with the number" in form
    sent = _register(client, tenant, email="", phone="0812-3456-7811")
    assert sent.status_code == 302 and "/register/verify-sms/" in sent.headers["Location"]
    account = user_row(app, NUMBER)
    assert account is not None and account.needs_verification
    assert audit_entries(tenant, "auth.register")[-1]["summary"] == {"channel": "sms"}
    assert not outbox(tenant, "email")
    [sms] = [m for m in outbox(tenant, "sms") if m["recipient"] == NUMBER]

    # not confirmed yet: the right password leads to the code page (a new code at most every 5 min)
    waiting = sign_in(client, tenant, "0812 3456 7811", NEW)
    assert waiting.status_code == 302 and "/register/verify-sms/" in waiting.headers["Location"]
    assert len(outbox(tenant, "sms")) == 1
    done = client.post(sent.headers["Location"], data={"code": sms_code_of(sms)})
    assert done.status_code == 302 and done.headers["Location"].endswith("/login")
    assert not user_row(app, NUMBER).needs_verification
    assert sign_in(client, tenant, "0812-3456-7811", "a-wrong-password").status_code == 200
    assert sign_in(client, tenant, "62812 3456 7811", NEW).status_code == 302

    # the same number again: the same answer, no second account, a reset link goes to the number
    frozen_clock.advance(minutes=10)
    again = _register(app.test_client(), tenant, email="", phone="081234567811")
    assert again.status_code == 302
    resets = [m for m in outbox(tenant, "sms") if "/password/reset/" in m["body"]]
    assert [m["recipient"] for m in resets] == [NUMBER]

    # forgot password with the number: a link by SMS, which sets a new password
    frozen_clock.advance(minutes=10)
    other = app.test_client()
    assert other.post(f"/t/{tenant.slug}/password/forgot", data={"email": "0812-3456-7811"}).status_code == 200
    link = [m for m in outbox(tenant, "sms") if "/password/reset/" in m["body"]][-1]
    assert len(link["body"]) < 480
    changed = other.post(f"/t/{tenant.slug}/password/reset/{token_of(link)}",
                         data={"new": NEW + "-2", "confirm": NEW + "-2"})
    assert changed.status_code == 302
    assert sign_in(app.test_client(), tenant, NUMBER, NEW + "-2").status_code == 302


def test_one_of_the_two_is_needed_with_a_clear_message(app, create_tenant, outbox):
    tenant = create_tenant(accounts={"self_registration": True}, locales=["en", "id"])
    client = english(app.test_client())
    neither = _register(client, tenant, email="", phone="")
    assert neither.status_code == 400
    assert "Give an e-mail address, or a mobile number to confirm the account by SMS." in neither.get_data(as_text=True)
    assert not outbox(tenant)
    email = f"{unique('both')}@example.test"
    both = _register(client, tenant, email=email, phone="0812-3456-7812")
    assert both.status_code == 302 and user_row(app, email) is not None and user_row(app, "+6281234567812") is None


def test_without_sms_an_e_mail_address_stays_required(app, create_tenant, outbox):
    tenant = create_tenant(accounts={"self_registration": True}, locales=["en", "id"])
    app.config["PAMONG_SMS_PROVIDER"], before = "", app.config.get("PAMONG_SMS_PROVIDER")
    try:
        client = english(app.test_client())
        assert "Without an e-mail address" not in client.get(f"/t/{tenant.slug}/register").get_data(as_text=True)
        refused = _register(client, tenant, email="", phone="0812-3456-7813")
        assert refused.status_code == 400 and "Enter an e-mail address." in refused.get_data(as_text=True)
        assert user_row(app, "+6281234567813") is None and not outbox(tenant)
    finally:
        app.config["PAMONG_SMS_PROVIDER"] = before


def test_repeated_wrong_passwords_warn_a_phone_only_account_by_sms(app, create_tenant, outbox):
    tenant = create_tenant(accounts={"self_registration": True}, locales=["en", "id"])
    client = english(app.test_client())
    sent = _register(client, tenant, email="", phone="0812-3456-7814")
    client.post(sent.headers["Location"], data={"code": sms_code_of(outbox(tenant, "sms")[0])})
    for _ in range(app.config["PAMONG_LOGIN_ACCOUNT_FAILURES"]):
        assert sign_in(app.test_client(), tenant, "081234567814", "a-wrong-password").status_code == 200
    warnings = [m for m in outbox(tenant, "sms") if "wrong password" in m["body"] or "kata sandi" in m["body"]]
    assert [m["recipient"] for m in warnings] == ["+6281234567814"]
    assert not outbox(tenant, "email")
