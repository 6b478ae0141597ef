"""The link a filer is sent (SMS, e-mail) opens from a phone: for a tenant without its own domain it
is built from PAMONG_PUBLIC_URL (README "Behind a proxy"), not a bare path like ``/t/<slug>/...``."""
from .conftest import outbox
from .test_portal import post_form


def test_a_tenant_without_a_domain_links_under_the_public_url(app, client, make_tenant, monkeypatch):
    monkeypatch.setitem(app.config, "PAMONG_PUBLIC_URL", "https://layanan.example.go.id/")
    tenant = make_tenant(domains=[])
    response = post_form(client, tenant)
    assert response.status_code == 302
    number = response.headers["Location"].rsplit("/", 1)[1]
    with app.app_context():
        bodies = [body for _, _, body in outbox(tenant, f"complaints:{number}")]
    assert bodies, "the filer gave a phone number: they are told their number"
    link = f"https://layanan.example.go.id/t/{tenant.slug}/complaints/track/{number}"
    assert all(link in body for body in bodies), bodies
