"""Open311 discovery names this deployment's configured address, never the request's Host header
(issue 10.14): in path mode, on a tenant's own domain and deployment-wide."""
import contextlib

import pytest


@contextlib.contextmanager
def public_url(app, value):
    old = app.config.get("PAMONG_PUBLIC_URL")
    app.config["PAMONG_PUBLIC_URL"] = value
    try:
        yield
    finally:
        app.config["PAMONG_PUBLIC_URL"] = old


def endpoint_url(response) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_json()["endpoints"][0]["url"]


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8443", "localhost"])
def test_path_mode_ignores_the_host_header(app, client, tenant, host):
    path = f"/t/{tenant.slug}/open311/v2/discovery.json"
    with public_url(app, ""):
        assert endpoint_url(client.get(path, headers={"Host": host})) == f"http://localhost/t/{tenant.slug}/open311/v2/"
    with public_url(app, "https://layanan.example.go.id/"):
        url = endpoint_url(client.get(path, headers={"Host": host}))
    assert url == f"https://layanan.example.go.id/t/{tenant.slug}/open311/v2/"


def test_deployment_wide_ignores_the_host_header(app, client, tenant):
    path = f"/open311/v2/discovery.json?jurisdiction_id={tenant.slug}"
    with public_url(app, "https://layanan.example.go.id"):
        assert endpoint_url(client.get(path, headers={"Host": "evil.example"})) == \
            "https://layanan.example.go.id/open311/v2/"


def test_on_the_tenants_own_domain_its_domain_is_named(app, client, tenant):
    domain = tenant.domains[0].host
    with public_url(app, "https://layanan.example.go.id"):
        assert endpoint_url(client.get("/open311/v2/discovery.json", base_url=f"http://{domain}/")) == \
            f"http://{domain}/open311/v2/"
        assert endpoint_url(client.get("/open311/v2/discovery.json", base_url=f"https://{domain}:8443/")) == \
            f"https://{domain}:8443/open311/v2/"
