"""The admin's API tokens page: scopes chosen from the declared ones only (issue 9.5), the token
shown once, revoked from the page; every step audited."""
import re

from core.audit import AuditEntry
from core.auth.models import ApiToken
from core.extensions import db
from core.kit import tenant_scope


def _admin(client, create_tenant, create_user, login):
    tenant = create_tenant(locales=["en", "id"], modules={"notes": {}})
    login(client, create_user(tenant, "admin"), tenant)
    return tenant, f"/t/{tenant.slug}/admin/tokens"


def _tokens(app, tenant):
    with app.app_context(), tenant_scope(tenant):
        return db.session.execute(db.select(ApiToken)).scalars().all()


def test_the_page_offers_only_declared_scopes_and_refuses_any_other(app, client, create_tenant, create_user, login):
    tenant, url = _admin(client, create_tenant, create_user, login)
    page = client.get(url).get_data(as_text=True)
    offered = set(re.findall(r'name="scope" value="([^"]+)"', page))
    assert {"tenant:read", "notes:read", "complaints:read", "complaints:write"} <= offered
    bad = client.post(url, data={"name": "ci", "scope": ["notes:read", "nosuch:scope"]})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "nosuch:scope" in text and "tenant:read" in text
    assert 'value="notes:read" checked' in text  # the form keeps what was chosen
    assert client.post(url, data={"name": "ci"}).status_code == 400  # no scope at all
    assert client.post(url, data={"name": "x" * 101, "scope": "notes:read"}).status_code == 400
    assert _tokens(app, tenant) == []


def test_a_token_made_on_the_page_works_until_revoked(app, client, create_tenant, create_user, login):
    tenant, url = _admin(client, create_tenant, create_user, login)
    made = client.post(url, data={"name": "ci-reader", "scope": "notes:read"})
    assert made.status_code == 200
    token = re.search(r'<code id="new-token">([^<]+)</code>', made.get_data(as_text=True)).group(1)
    api = f"/t/{tenant.slug}/api/v1/notes/"
    assert client.get(api, headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert token not in client.get(url).get_data(as_text=True)  # shown once
    assert client.post(f"{url}/ci-reader/revoke").status_code == 302
    assert client.get(api, headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert client.post(f"{url}/nosuch/revoke").status_code == 404
    with app.app_context(), tenant_scope(tenant):
        actions = db.session.execute(
            db.select(AuditEntry.action).where(AuditEntry.object_type == "api_token").order_by(AuditEntry.id)
        ).scalars().all()
    assert actions == ["token.create", "token.revoke"]


def test_officers_cannot_reach_the_page(client, create_tenant, create_user, login):
    tenant = create_tenant()
    login(client, create_user(tenant, "officer", agency="DLH"), tenant)
    assert client.get(f"/t/{tenant.slug}/admin/tokens").status_code == 403
