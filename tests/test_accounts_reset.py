""""Forgot password" (issue 19.1): the same answer for every address, a single-use link through the
outbox that ends every session, rate-limited."""
from core.testing import PASSWORD, unique
from tests.accounts_helpers import NEW, link_path, sign_in, token_of


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
