"""The tenant admin's pages: modules and settings, users and roles, the audit trail."""
import re

from core.audit import AuditEntry
from core.extensions import db
from core.tenancy.models import TenantModule
from core.tenancy.scope import tenant_scope


def _admin(client, create_tenant, create_user, login, **kw):
    tenant = create_tenant(**kw)
    login(client, create_user(tenant, "admin"), tenant)
    return tenant


def test_enable_and_disable_a_module(app, client, create_tenant, create_user, login):
    tenant = _admin(client, create_tenant, create_user, login)
    base = f"/t/{tenant.slug}"
    assert client.get(f"{base}/notes/").status_code == 404
    assert client.post(f"{base}/admin/modules/notes/enable").status_code == 302
    assert client.get(f"{base}/notes/").status_code == 200
    unconfirmed = client.post(f"{base}/admin/modules/notes/disable")  # one click: only the question
    assert unconfirmed.status_code == 302 and unconfirmed.headers["Location"].endswith("/admin/modules/notes/disable")
    assert client.get(f"{base}/notes/").status_code == 200
    question = client.get(f"{base}/admin/modules/notes/disable").get_data(as_text=True)
    assert 'name="confirm" value="1"' in question
    assert client.post(f"{base}/admin/modules/notes/disable", data={"confirm": "1"}).status_code == 302
    assert client.get(f"{base}/notes/").status_code == 404
    with app.app_context(), tenant_scope(tenant):
        actions = db.session.execute(db.select(AuditEntry.action).order_by(AuditEntry.id)).scalars().all()
    assert actions[-2:] == ["tenant.module.enable", "tenant.module.disable"]


def test_settings_form_validates_and_saves(app, client, create_tenant, create_user, login):
    tenant = _admin(client, create_tenant, create_user, login, modules={"notes": {}})
    url = f"/t/{tenant.slug}/admin/modules/notes/settings"
    page = client.get(url).get_data(as_text=True)
    assert 'name="max_length"' in page and 'value="140"' in page
    bad = client.post(url, data={"max_length": "100000", "greeting": "Hai"})
    assert bad.status_code == 400 and "100000" in bad.get_data(as_text=True)
    not_a_number = client.post(url, data={"max_length": "many", "greeting": "Hai"})
    assert not_a_number.status_code == 400
    assert client.post(url, data={"max_length": "50", "greeting": "Hai"}).status_code == 302
    with app.app_context(), tenant_scope(tenant):
        row = db.session.execute(db.select(TenantModule).where(TenantModule.module == "notes")).scalar_one()
        assert row.settings == {"max_length": 50, "greeting": "Hai"}
        entry = db.session.execute(
            db.select(AuditEntry).where(AuditEntry.action == "tenant.module.settings")
        ).scalar_one()
        assert entry.summary["before"]["max_length"] == 140 and entry.summary["after"]["max_length"] == 50


def test_grant_and_withdraw_roles(app, client, create_tenant, create_user, login):
    tenant = _admin(client, create_tenant, create_user, login)
    url = f"/t/{tenant.slug}/admin/users"
    no_agency = client.post(url, data={"email": "petugas@example.test", "role": "officer", "agency": ""})
    assert no_agency.status_code == 400 and "agency" in no_agency.get_data(as_text=True)
    assert client.post(url, data={"email": "petugas@example.test", "role": "officer", "agency": "DLH"}).status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "petugas@example.test" in page and "Dinas Lingkungan Hidup" in page
    member_id = re.search(r'/admin/users/(\d+)/revoke', page.split("petugas@example.test")[1]).group(1)
    unconfirmed = client.post(f"{url}/{member_id}/revoke")  # one click: only the question
    assert unconfirmed.status_code == 302 and unconfirmed.headers["Location"].endswith(f"/admin/users/{member_id}/revoke")
    assert "petugas@example.test" in client.get(url).get_data(as_text=True)
    question = client.get(f"{url}/{member_id}/revoke").get_data(as_text=True)
    assert 'name="confirm" value="1"' in question and "petugas@example.test" in question
    assert client.post(f"{url}/{member_id}/revoke", data={"confirm": "1"}).status_code == 302
    assert "petugas@example.test" not in client.get(url).get_data(as_text=True)


def test_audit_page_filters(client, create_tenant, create_user, login):
    tenant = _admin(client, create_tenant, create_user, login)
    url = f"/t/{tenant.slug}/admin/audit"
    everything = client.get(url).get_data(as_text=True)
    assert "tenant.create" in everything and "role.grant" in everything
    only_roles = client.get(f"{url}?action=role.").get_data(as_text=True)
    assert "role.grant" in only_roles and "<code>tenant.create</code>" not in only_roles
    bad_date = client.get(f"{url}?from=yesterday").get_data(as_text=True)
    assert "TTTT-BB-HH" in bad_date  # the message, in the tenant's Indonesian


def test_nav_shows_administration_only_to_admins(client, create_tenant, create_user, login):
    tenant = create_tenant()
    assert "/admin/" not in client.get(f"/t/{tenant.slug}/").get_data(as_text=True)
    login(client, create_user(tenant, "admin"), tenant)
    assert f"/t/{tenant.slug}/admin/modules" in client.get(f"/t/{tenant.slug}/").get_data(as_text=True)
