"""Behind proxies (issue 9.4) and response headers for people (10.14): the trusted-proxy setting,
HSTS only over TLS, and no caching of anything personal."""
import contextlib

import pytest

from core.errors import PamongError
from core.proxy import trusted_proxies
from core.testing import PASSWORD, unique


@contextlib.contextmanager
def setting(app, **values):
    old = {k: app.config.get(k) for k in values}
    app.config.update(values)
    try:
        yield
    finally:
        app.config.update(old)


def sign_in_attempts(client, tenant, forwarded_for, proxy="10.250.0.1"):
    """One wrong sign-in per entry of ``forwarded_for``, all through the same proxy socket."""
    return [
        client.post(f"/t/{tenant.slug}/login", data={"email": "x@example.test", "password": "nope"},
                    environ_base={"REMOTE_ADDR": proxy}, headers={"X-Forwarded-For": client_address}).status_code
        for client_address in forwarded_for
    ]


def _addresses(n):
    base = unique("")  # a fresh range per test run: the limiter's memory outlives a test
    return [f"198.51.{int(base.split('x')[-1]) % 250}.{i + 1}" for i in range(n)]


def test_without_the_setting_forwarded_headers_are_ignored(app, client, create_tenant):
    """As before: everyone behind one proxy shares its bucket (the client could write the header)."""
    tenant = create_tenant()
    proxy = f"10.251.0.{int(unique('').split('x')[-1]) % 250}"
    with setting(app, PAMONG_LOGIN_RATE="10 per minute", PAMONG_TRUSTED_PROXIES=0):
        codes = sign_in_attempts(client, tenant, _addresses(11), proxy=proxy)
    assert codes[:10] == [200] * 10 and codes[10] == 429


def test_with_the_setting_each_forwarded_client_has_its_own_bucket(app, client, create_tenant):
    """The probe's case: the 11th different person to try signing in was refused."""
    tenant = create_tenant()
    proxy = f"10.252.0.{int(unique('').split('x')[-1]) % 250}"
    people = _addresses(12)
    with setting(app, PAMONG_LOGIN_RATE="10 per minute", PAMONG_TRUSTED_PROXIES=1):
        codes = sign_in_attempts(client, tenant, people, proxy=proxy)
        assert codes == [200] * 12
        one_person = sign_in_attempts(client, tenant, [people[0]] * 10, proxy=proxy)
    assert one_person[:9] == [200] * 9 and one_person[9] == 429  # 1 + 9 = 10 allowed, then refused


def test_a_client_cannot_pick_its_bucket_by_writing_the_header(app, client, create_tenant):
    """With one trusted hop only the address the proxy appended counts, not what the client wrote."""
    tenant = create_tenant()
    real = _addresses(1)[0]
    with setting(app, PAMONG_LOGIN_RATE="10 per minute", PAMONG_TRUSTED_PROXIES=1):
        codes = sign_in_attempts(client, tenant, [f"203.0.113.{i}, {real}" for i in range(11)])
    assert codes[:10] == [200] * 10 and codes[10] == 429


@pytest.mark.parametrize("raw", ["abc", "-1", "11", "1.5"])
def test_a_bad_setting_names_itself(raw):
    with pytest.raises(PamongError) as exc:
        trusted_proxies(raw)
    assert str(exc.value).startswith("PAMONG_TRUSTED_PROXIES: ")


def test_setting_from_the_environment(monkeypatch):
    from core.config import load_config

    monkeypatch.setenv("PAMONG_TRUSTED_PROXIES", "2")
    assert load_config({"SECRET_KEY": "x", "DATABASE_URL": "sqlite://"})["PAMONG_TRUSTED_PROXIES"] == 2
    monkeypatch.delenv("PAMONG_TRUSTED_PROXIES")
    assert load_config({"SECRET_KEY": "x", "DATABASE_URL": "sqlite://"})["PAMONG_TRUSTED_PROXIES"] == 0


# -- HSTS: when served over TLS (directly or behind a trusted proxy), never on plain http ----------

HSTS = "Strict-Transport-Security"


def test_hsts_over_tls_only(app, client):
    assert HSTS in client.get("/", base_url="https://localhost/").headers
    assert HSTS not in client.get("/").headers


def test_hsts_behind_a_trusted_tls_proxy(app, client):
    tls = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.7"}
    with setting(app, PAMONG_TRUSTED_PROXIES=0):
        assert HSTS not in client.get("/", headers=tls).headers  # anyone can write that header
    with setting(app, PAMONG_TRUSTED_PROXIES=1):
        assert HSTS in client.get("/", headers=tls).headers
        plain = {"X-Forwarded-Proto": "http", "X-Forwarded-For": "198.51.100.7"}
        assert HSTS not in client.get("/", headers=plain).headers


# -- Cache-Control: private, no-store on everything a signed-in person gets ----------------------

NO_STORE = "private, no-store"


def test_signed_in_pages_are_not_cached(app, client, create_tenant, create_user, login):
    tenant = create_tenant()
    email = create_user(tenant, "admin")
    assert NO_STORE not in client.get(f"/t/{tenant.slug}/").headers.get("Cache-Control", "")  # anonymous
    signed_in = login(client, email, tenant)
    assert signed_in.headers["Cache-Control"] == NO_STORE  # the answer that set the session
    for path in ["/", "/admin/users", "/branding.css", "/login"]:
        response = client.get(f"/t/{tenant.slug}{path}")
        assert response.headers.get("Cache-Control") == NO_STORE, path
    signed_out = client.post(f"/t/{tenant.slug}/logout")
    assert signed_out.headers["Cache-Control"] == NO_STORE  # the answer that ended it


def test_a_remember_cookie_alone_gives_uncached_pages(app, client, create_tenant, create_user):
    tenant = create_tenant()
    email = create_user(tenant, "admin")
    client.post(f"/t/{tenant.slug}/login", data={"email": email, "password": PASSWORD, "remember": "y"})
    other = app.test_client()
    other.set_cookie("remember_token", client.get_cookie("remember_token").value)
    page = other.get(f"/t/{tenant.slug}/admin/users")
    assert page.status_code == 200 and page.headers["Cache-Control"] == NO_STORE


def test_public_pages_for_anonymous_visitors_keep_their_caching(app, client, create_tenant):
    tenant = create_tenant()
    assert client.get(f"/t/{tenant.slug}/branding.css").headers["Cache-Control"] == "public, max-age=300"
