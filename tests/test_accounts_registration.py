"""Citizen self-registration (issue 19.1): per tenant, with a verified address (an e-mail link or an SMS
code) before the account signs in; a known address answers the same and changes nothing."""
import re

import pytest

from core.auth.models import Membership, User
from core.extensions import db
from core.testing import PASSWORD, unique
from tests.accounts_helpers import NEW, english, link_path, sign_in, sms_code_of, token_of, user_row


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


def _said(page) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", page.get_data(as_text=True)).split())


def test_the_sign_in_page_says_truly_whether_a_new_confirmation_link_went_out(app, create_tenant, outbox,
                                                                             frozen_clock):
    """Within ``PAMONG_RESET_INTERVAL`` (300 s) of the last link nothing is sent, and the page says
    so and when signing in again sends one; after it, a new link is queued and the page says that."""
    tenant = create_tenant(accounts={"self_registration": True})
    client = english(app.test_client())
    email = f"{unique('slow')}@example.test"
    client.post(f"/t/{tenant.slug}/register", data={"name": "Warga", "email": email, "password": NEW, "confirm": NEW})

    def links():
        return len([m for m in outbox(tenant) if m["recipient"] == email])

    frozen_clock.advance(seconds=30)
    held = _said(sign_in(client, tenant, email, NEW))
    assert links() == 1  # held back: the registration's link is 30 s old
    assert "open the link we sent to it recently" in held and "signing in again after 5 min." in held
    assert "on its way" not in held
    frozen_clock.advance(seconds=150)  # 180 s after the link: 120 s to go
    assert "signing in again after 2 min." in _said(sign_in(client, tenant, email, NEW)) and links() == 1
    frozen_clock.advance(seconds=121)
    sent = _said(sign_in(client, tenant, email, NEW))
    assert links() == 2 and "a new link is on its way to it now." in sent and "min." not in sent
    again = _said(sign_in(client, tenant, email, NEW))  # the new link now counts
    assert links() == 2 and "signing in again after 5 min." in again
    # nothing about the address for a wrong password or an unknown address: the usual answer
    for who, password in ((email, "a-wrong-password"), (f"{unique('nobody')}@example.test", NEW)):
        answer = _said(sign_in(client, tenant, who, password))
        assert "Wrong e-mail address, mobile number or password." in answer and "Confirm" not in answer
    assert links() == 2


def test_at_the_deployments_address_no_new_link_is_promised(app, create_tenant, outbox):
    tenant = create_tenant(accounts={"self_registration": True})
    client = english(app.test_client())
    email = f"{unique('top')}@example.test"
    client.post(f"/t/{tenant.slug}/register", data={"name": "Warga", "email": email, "password": NEW, "confirm": NEW})
    page = _said(client.post("/login", data={"email": email, "password": NEW}))
    assert "Confirm your e-mail address first: open the link we sent to it." in page
    assert "on its way" not in page and len([m for m in outbox(tenant) if m["recipient"] == email]) == 1


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
    from core.tenancy.export import export_doc
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
        doc = export_doc(db.session.get(Tenant, tenant.id))
    assert doc["accounts"] == {"self_registration": True}
    with app.app_context():
        assert "accounts" not in export_doc(db.session.get(Tenant, create_tenant().id))


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
    # the owner gets one note by e-mail; the number typed gets no code that "confirms a new account"
    assert not [m for m in outbox(tenant, "sms") if m["recipient"] == "+6281234567804"]
    assert [m["recipient"] for m in outbox(tenant, "email")] == [known]
    from core.auth import tokens
    from core.auth.models import User
    from core.extensions import db
    from core.tenancy.models import Tenant

    with app.app_context():
        owner = db.session.execute(db.select(User).where(User.email == known)).scalar_one()
        code = tokens.sms_code(db.session.get(Tenant, tenant.id), owner)
    assert client.post(answer.headers["Location"], data={"code": code}).status_code == 400  # confirms nothing
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
