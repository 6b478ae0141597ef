"""Links in messages use the address the tenant is served at (core/links.py, issue 19.6)."""
import pytest

from core.errors import ValidationError
from core.links import tenant_base_url, tenant_url
from core.tenancy.schema import parse_tenant

PATH = "/complaints/track/MKS-2026-000001"


def test_path_mode_uses_the_deployments_public_url(app_ctx, create_tenant, monkeypatch):
    tenant = create_tenant(domains=[])
    monkeypatch.setitem(app_ctx.config, "PAMONG_PUBLIC_URL", "http://127.0.0.1:5050/")
    assert tenant_url(tenant, PATH) == f"http://127.0.0.1:5050/t/{tenant.slug}{PATH}"
    monkeypatch.setitem(app_ctx.config, "PAMONG_PUBLIC_URL", "https://layanan.example.go.id")
    assert tenant_url(tenant, PATH) == f"https://layanan.example.go.id/t/{tenant.slug}{PATH}"
    monkeypatch.setitem(app_ctx.config, "PAMONG_PUBLIC_URL", "")
    assert tenant_base_url(tenant) == f"http://localhost/t/{tenant.slug}"


def test_host_mode_uses_the_tenants_domain_with_the_deployments_scheme_and_port(app_ctx, create_tenant, monkeypatch):
    tenant = create_tenant(domains=["zz.example.test", "aa.example.test"])
    monkeypatch.setitem(app_ctx.config, "PAMONG_PUBLIC_URL", "http://127.0.0.1:5050")  # the demo
    assert tenant_url(tenant, PATH) == f"http://aa.example.test:5050{PATH}"
    monkeypatch.setitem(app_ctx.config, "PAMONG_PUBLIC_URL", "https://layanan.example.go.id")
    assert tenant_url(tenant, PATH) == f"https://aa.example.test{PATH}"
    monkeypatch.setitem(app_ctx.config, "PAMONG_PUBLIC_URL", "")
    assert tenant_url(tenant, PATH) == f"https://aa.example.test{PATH}"


def test_the_tenants_own_public_url_wins(app_ctx, create_tenant, monkeypatch):
    monkeypatch.setitem(app_ctx.config, "PAMONG_PUBLIC_URL", "http://127.0.0.1:5050")
    tenant = create_tenant(domains=["kota.example.test"], public_url="https://layanan.kota.go.id:8443/pamong/")
    assert tenant.public_url == "https://layanan.kota.go.id:8443/pamong"
    assert tenant_url(tenant, PATH) == f"https://layanan.kota.go.id:8443/pamong{PATH}"


def test_public_url_is_exported_and_applied_back(app_ctx, create_tenant):
    from core.tenancy.export import export_doc

    tenant = create_tenant(public_url="https://layanan.kota.go.id")
    doc = export_doc(tenant)
    assert doc["public_url"] == "https://layanan.kota.go.id"
    assert parse_tenant(doc, "again").public_url == "https://layanan.kota.go.id"
    assert "public_url" not in export_doc(create_tenant())  # unset: the file stays as it was written


@pytest.mark.parametrize("value", ["layanan.kota.go.id", "ftp://layanan.kota.go.id", "https://",
                                   "https://x.go.id/?a=1", "https://x.go.id/#top", "https://x.go.id:abc", 42])
def test_a_public_url_that_is_not_an_address_is_named(value):
    data = {"slug": "kota-x", "name": "Kota X", "kind": "city", "timezone": "Asia/Makassar", "public_url": value}
    with pytest.raises(ValidationError) as exc:
        parse_tenant(data, "tenants/kota-x.toml")
    assert exc.value.where == "tenants/kota-x.toml: public_url"


def test_a_documents_verification_link_outside_a_request_is_the_tenants_own_address(app_ctx, create_tenant,
                                                                                      monkeypatch):
    """A QR code printed by the CLI or a job points where the tenant is served (its domain), not at
    the deployment's path prefix."""
    from core.documents import verification_url

    monkeypatch.setitem(app_ctx.config, "PAMONG_PUBLIC_URL", "https://pamong.example.go.id")
    hosted = create_tenant(domains=["layanan.example.test"])
    assert verification_url(hosted, "abc") == "https://layanan.example.test/verify/abc"
    path_only = create_tenant(domains=[])
    assert verification_url(path_only, "abc") == f"https://pamong.example.go.id/t/{path_only.slug}/verify/abc"
