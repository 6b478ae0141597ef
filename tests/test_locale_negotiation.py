"""A tenant's page speaks the visitor's language (trial finding 6): the explicit choice (the language
switch), else ``Accept-Language`` among the tenant's languages, else the tenant's default; the
anonymous page cache keeps the languages apart."""
import re

import pytest
from cachetools import TTLCache


def _lang(response) -> str:
    return re.search(r'<html lang="([a-z]+)"', response.get_data(as_text=True)).group(1)


def test_accept_language_chooses_among_the_tenants_languages(app, create_tenant):
    tenant = create_tenant()  # locales id, en; default id
    client = app.test_client()
    home = f"/t/{tenant.slug}/"
    assert _lang(client.get(home)) == "id"  # no header: the default
    assert _lang(client.get(home, headers={"Accept-Language": "en"})) == "en"
    assert _lang(client.get(home, headers={"Accept-Language": "en-US,en;q=0.9"})) == "en"
    assert _lang(client.get(home, headers={"Accept-Language": "fr, en;q=0.5, id;q=0.8"})) == "id"
    assert _lang(client.get(home, headers={"Accept-Language": "fr"})) == "id"  # none of its own: the default
    assert _lang(client.get("/", headers={"Host": tenant.domains[0].host, "Accept-Language": "en"})) == "en"


def test_the_language_switch_wins_over_the_browser(app, create_tenant):
    tenant = create_tenant()
    client = app.test_client()
    client.get(f"/t/{tenant.slug}/lang?locale=id&next=/t/{tenant.slug}/")
    assert _lang(client.get(f"/t/{tenant.slug}/", headers={"Accept-Language": "en"})) == "id"


def test_a_language_the_tenant_does_not_offer_is_not_given(app, create_tenant):
    tenant = create_tenant(locales=["id"])
    assert _lang(app.test_client().get(f"/t/{tenant.slug}/", headers={"Accept-Language": "en"})) == "id"
    english_first = create_tenant(locales=["en", "id"])
    assert _lang(app.test_client().get(f"/t/{english_first.slug}/", headers={"Accept-Language": "id"})) == "id"
    assert _lang(app.test_client().get(f"/t/{english_first.slug}/")) == "en"


@pytest.fixture
def memory_cache(app):
    previous = app.extensions["pamong_public_cache"]
    app.extensions["pamong_public_cache"] = TTLCache(maxsize=64, ttl=60)
    yield
    app.extensions["pamong_public_cache"] = previous


def test_the_anonymous_cache_keeps_each_language_apart(app, memory_cache, create_tenant):
    tenant = create_tenant()
    client = app.test_client()
    english = client.get(f"/t/{tenant.slug}/", headers={"Accept-Language": "en"})
    assert _lang(english) == "en" and "Accept-Language" in english.vary
    assert english.cache_control.public
    assert _lang(client.get(f"/t/{tenant.slug}/", headers={"Accept-Language": "id"})) == "id"
    assert _lang(client.get(f"/t/{tenant.slug}/")) == "id"
    assert _lang(client.get(f"/t/{tenant.slug}/", headers={"Accept-Language": "en"})) == "en"  # the cached one
