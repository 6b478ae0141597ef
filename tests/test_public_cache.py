"""Anonymous pages are cacheable; personal ones never are (issue 11.3, core/public_cache.py)."""
import pytest
from cachetools import TTLCache


def _cookies(response):
    return [c.split("=", 1)[0] for c in response.headers.getlist("Set-Cookie")]


def test_an_anonymous_page_sets_no_cookie_and_may_be_cached_by_a_proxy(client, create_tenant):
    tenant = create_tenant()
    response = client.get(f"/t/{tenant.slug}/")
    assert response.status_code == 200
    assert _cookies(response) == []
    assert response.headers["Cache-Control"] == "public, max-age=60"
    assert {"Cookie", "Accept-Language"} <= set(response.vary)
    assert 'method="get"' in response.get_data(as_text=True)  # the language switch needs no token


def test_the_language_switch_works_without_a_session(client, create_tenant):
    tenant = create_tenant(locales=["id", "en"])
    switched = client.get(f"/t/{tenant.slug}/lang?locale=en&next=/")
    assert switched.status_code == 302 and _cookies(switched) == ["pamong_locale"]
    page = client.get(f"/t/{tenant.slug}/")
    assert '<html lang="en">' in page.get_data(as_text=True)
    assert page.headers["Cache-Control"].startswith("public") and _cookies(page) == []
    client.get(f"/t/{tenant.slug}/lang?locale=fr&next=/")  # not one of the tenant's: ignored
    assert '<html lang="en">' in client.get(f"/t/{tenant.slug}/").get_data(as_text=True)


def test_a_page_with_a_form_token_or_a_signed_in_person_is_not_public(error_app, client, create_tenant,
                                                                    create_user, login):
    tenant = create_tenant()
    form = error_app.test_client().get(f"/t/{tenant.slug}/login")  # CSRF on: the form makes a token
    assert "session" in _cookies(form) and "public" not in form.headers.get("Cache-Control", "")
    login(client, create_user(tenant), tenant)
    home = client.get(f"/t/{tenant.slug}/")
    assert home.headers["Cache-Control"] == "private, no-store"


@pytest.fixture
def memory_cache(app):
    previous = app.extensions["pamong_public_cache"]
    app.extensions["pamong_public_cache"] = TTLCache(maxsize=64, ttl=60)
    yield app.extensions["pamong_public_cache"]
    app.extensions["pamong_public_cache"] = previous


def _rename(app, tenant, name):
    from core.extensions import db
    from core.tenancy.models import Tenant

    with app.app_context():
        db.session.get(Tenant, tenant.id).name = name
        db.session.commit()


def test_the_in_app_cache_serves_anonymous_visitors_only(app, memory_cache, create_tenant, create_user, login):
    tenant = create_tenant(name="Kota Lama")
    anonymous, signed_in = app.test_client(), app.test_client()
    assert "<h1>Kota Lama</h1>" in anonymous.get(f"/t/{tenant.slug}/").get_data(as_text=True)
    _rename(app, tenant, "Kota Baru")
    again = anonymous.get(f"/t/{tenant.slug}/")  # from memory: the old name until it expires
    assert "<h1>Kota Lama</h1>" in again.get_data(as_text=True)
    assert again.headers["X-Content-Type-Options"] == "nosniff" and _cookies(again) == []
    login(signed_in, create_user(tenant), tenant)
    personal = signed_in.get(f"/t/{tenant.slug}/")
    assert "<h1>Kota Baru</h1>" in personal.get_data(as_text=True)
    assert personal.headers["Cache-Control"] == "private, no-store"
    # a token holder is not served the cached page either
    assert "<h1>Kota Baru</h1>" in app.test_client().get(
        f"/t/{tenant.slug}/", headers={"Authorization": "Bearer x"}).get_data(as_text=True)


def test_the_in_app_cache_never_serves_one_tenant_for_another(app, memory_cache, create_tenant):
    first, second = create_tenant(name="Kota Satu"), create_tenant(name="Kota Dua")
    client = app.test_client()
    assert "<h1>Kota Satu</h1>" in client.get(f"/t/{first.slug}/").get_data(as_text=True)
    assert "<h1>Kota Satu</h1>" in client.get("/", headers={"Host": first.domains[0].host}).get_data(as_text=True)
    assert "<h1>Kota Dua</h1>" in client.get(f"/t/{second.slug}/").get_data(as_text=True)
    assert "<h1>Kota Dua</h1>" in client.get("/", headers={"Host": second.domains[0].host}).get_data(as_text=True)
    english = client.get(f"/t/{first.slug}/", headers={"Accept-Language": "en"})
    assert english.status_code == 200 and len(memory_cache) == 5


def test_a_cache_hit_is_answered_before_flask_without_any_sql(app, memory_cache, create_tenant):
    from core.testing import sql_statements

    tenant = create_tenant(name="Kota Tembolok")
    client = app.test_client()
    first = client.get(f"/t/{tenant.slug}/")
    seen_requests = []

    def count():  # a hit never reaches Flask's request handling
        seen_requests.append(1)

    app.before_request_funcs.setdefault(None, []).append(count)
    try:
        with sql_statements(app) as seen:
            hit = client.get(f"/t/{tenant.slug}/")
            head = client.head(f"/t/{tenant.slug}/")
    finally:
        app.before_request_funcs[None].remove(count)
    assert seen == [] and seen_requests == []
    assert hit.get_data() == first.get_data() and hit.headers["Cache-Control"] == "public, max-age=60"
    assert head.status_code == 200 and head.get_data() == b""
    # a session cookie, however it got there, goes past the cache to Flask (and is not kept)
    _rename(app, tenant, "Kota Baru Tembolok")
    with_cookie = app.test_client()
    with_cookie.set_cookie(app.config.get("SESSION_COOKIE_NAME", "session"), "x")
    assert "<h1>Kota Baru Tembolok</h1>" in with_cookie.get(f"/t/{tenant.slug}/").get_data(as_text=True)
    assert "<h1>Kota Tembolok</h1>" in client.get(f"/t/{tenant.slug}/").get_data(as_text=True)
    assert len(memory_cache) == 1
