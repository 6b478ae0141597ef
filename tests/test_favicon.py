"""``/favicon.ico`` is the kit's icon, cached, at the deployment's address and a tenant's (trial finding 3)."""


def test_the_favicon_is_served_with_a_cache_header(client, create_tenant):
    tenant = create_tenant()
    for path, headers in (("/favicon.ico", {}), ("/favicon.ico", {"Host": tenant.domains[0].host}),
                          (f"/t/{tenant.slug}/favicon.ico", {})):
        response = client.get(path, headers=headers)
        assert response.status_code == 200, path
        assert response.mimetype == "image/vnd.microsoft.icon"
        body = response.get_data()
        assert body[:4] == b"\x00\x00\x01\x00" and len(body) < 4096  # an ICO header, and small
        assert response.cache_control.public and response.cache_control.max_age >= 24 * 3600
