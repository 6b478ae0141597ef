"""Tenant resolution and the portal shell, through Flask's test client."""


def test_landing_lists_tenants_without_a_tenant(client, create_tenant):
    tenant = create_tenant(name="Kota Landing")
    page = client.get("/").get_data(as_text=True)
    assert "Kota Landing" in page
    assert f"/t/{tenant.slug}/" in page


def test_tenant_by_path_and_by_host(client, create_tenant):
    tenant = create_tenant(name="Kota Jalur")
    by_path = client.get(f"/t/{tenant.slug}/")
    by_host = client.get("/", headers={"Host": tenant.domains[0].host})
    assert by_path.status_code == by_host.status_code == 200
    assert "<h1>Kota Jalur</h1>" in by_path.get_data(as_text=True)
    assert "<h1>Kota Jalur</h1>" in by_host.get_data(as_text=True)


def test_unknown_slug_is_404_and_unknown_host_is_the_landing_page(client, create_tenant):
    tenant = create_tenant(name="Kota Rahasia")
    assert client.get("/t/no-such-city/").status_code == 404
    landing = client.get("/", headers={"Host": "unknown.example.org"}).get_data(as_text=True)
    assert "Pamong" in landing and f"<h1>{tenant.name}</h1>" not in landing


def test_links_keep_the_path_prefix(client, create_tenant):
    tenant = create_tenant()
    page = client.get(f"/t/{tenant.slug}/").get_data(as_text=True)
    assert f'href="/t/{tenant.slug}/login"' in page


def test_module_pages_are_404_until_the_tenant_enables_the_module(client, create_tenant):
    with_notes = create_tenant(modules={"notes": {}})
    without = create_tenant()
    assert client.get(f"/t/{with_notes.slug}/notes/").status_code == 200
    assert client.get(f"/t/{without.slug}/notes/").status_code == 404
    assert client.get("/notes/").status_code == 404  # no tenant at all


def test_branding_css_carries_the_tenant_colour(client, create_tenant):
    tenant = create_tenant(branding={"primary_color": "#123456"})
    css = client.get(f"/t/{tenant.slug}/branding.css").get_data(as_text=True)
    assert "--primary: #123456" in css


def test_security_headers(client):
    response = client.get("/")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
