"""Every route declares a permission or is public; roles per tenant; province auditors."""
from core.auth.permissions import has_permission, roles_of
from core.auth.service import find_user
from core.extensions import db
from core.tenancy.models import Tenant


PROTECTIONS = ("signed", "signed-in")  # besides a permission name and "api:<scope>" (a token)


def test_every_route_requires_a_permission_or_is_public(app):
    """A route is @public, or declares what protects it: a permission, a signed-in user, an API
    token (``api:<scope>``, ``@api_scope``) or a signature (``signed``, ``@signed_webhook``)."""
    undeclared = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue  # Flask's own static files: public by nature
        view = app.view_functions[rule.endpoint]
        declared = getattr(view, "_pamong_permission", None)
        if not (getattr(view, "_pamong_public", False) or declared):
            undeclared.append(f"{rule.rule} ({rule.endpoint})")
        assert not (getattr(view, "_pamong_public", False) and declared), f"{rule.rule}: public and protected"
    assert undeclared == []


def test_token_and_signature_checked_routes_are_not_public(app):
    """The SMS gateway and the chat webhook are signed; Open311's POSTs take a token: none is public."""
    protection = {}
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            protection[(rule.rule.split("/t/<")[-1], method)] = (
                "public" if getattr(view, "_pamong_public", False) else getattr(view, "_pamong_permission", None))
    assert protection[("/sms/inbound", "POST")] == "signed"
    assert protection[("/api/v1/complaints/webhook/social", "POST")] == "signed"
    assert protection[("/open311/v2/requests.<fmt>", "POST")] == "api:complaints:write"
    assert protection[("/open311/v2/servicerequestupdates.<fmt>", "POST")] == "api:complaints:write"
    assert protection[("/open311/v2/requests.<fmt>", "GET")] == "public"


def test_every_declared_permission_has_a_description(app):
    perms = app.extensions["pamong"].all_permissions()
    assert "core.admin" in perms and "notes.write" in perms
    assert all(str(p["description"]).strip() for p in perms.values())


def test_admin_pages_need_the_admin_role_of_that_tenant(client, create_tenant, create_user, login):
    a, b = create_tenant(), create_tenant()
    admin_a = create_user(a, "admin")
    anonymous = client.get(f"/t/{a.slug}/admin/modules")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    login(client, admin_a, a)
    assert client.get(f"/t/{a.slug}/admin/modules").status_code == 200
    assert client.get(f"/t/{b.slug}/admin/modules").status_code == 403  # admin of A is nobody in B


def test_officer_and_citizen_cannot_administer(client, create_tenant, create_user, login):
    tenant = create_tenant()
    officer = create_user(tenant, "officer", agency="DLH")
    login(client, officer, tenant)
    assert client.get(f"/t/{tenant.slug}/admin/modules").status_code == 403
    assert client.get(f"/t/{tenant.slug}/admin/audit").status_code == 403


def test_auditor_reads_the_audit_trail_but_cannot_administer(client, create_tenant, create_user, login):
    tenant = create_tenant()
    auditor = create_user(tenant, "auditor")
    login(client, auditor, tenant)
    page = client.get(f"/t/{tenant.slug}/admin/audit")
    assert page.status_code == 200 and "tenant.create" in page.get_data(as_text=True)
    assert client.post(f"/t/{tenant.slug}/admin/modules/notes/enable").status_code == 403


def test_province_auditor_reads_its_child_tenants_only(app, client, create_tenant, create_user, login):
    province = create_tenant(kind="province")
    child = create_tenant(parent=province.slug)
    stranger = create_tenant()
    auditor = create_user(province, "auditor")
    login(client, auditor, province)
    assert client.get(f"/t/{child.slug}/admin/audit").status_code == 200
    assert client.get(f"/t/{stranger.slug}/admin/audit").status_code == 403
    with app.app_context():
        user = find_user(auditor)
        child_row = db.session.get(Tenant, child.id)
        assert roles_of(user, child_row) == {"citizen", "auditor"}
        assert not has_permission(user, child_row, "core.admin")


def test_operator_may_do_everything_everywhere(client, create_tenant, create_user, login):
    tenant = create_tenant()
    operator = create_user(operator=True)
    login(client, operator, tenant)
    assert client.get(f"/t/{tenant.slug}/admin/users").status_code == 200


def test_module_permission_granted_by_default_and_withdrawn_per_tenant(app, client, create_tenant, create_user, login):
    from click.testing import CliRunner
    from flask.cli import ScriptInfo

    from cli import cli

    a, b = create_tenant(modules={"notes": {}}), create_tenant(modules={"notes": {}})
    officer_a = create_user(a, "officer", agency="DLH")
    officer_b = create_user(b, "officer", agency="DLH")
    result = CliRunner().invoke(cli, ["role", "revoke", b.slug, "officer", "notes.write"],
                                obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 0, result.output
    login(client, officer_a, a)
    assert client.post(f"/t/{a.slug}/notes/new", data={"text": "hi"}).status_code == 201
    client.post(f"/t/{a.slug}/logout")
    login(client, officer_b, b)
    assert client.post(f"/t/{b.slug}/notes/new", data={"text": "hi"}).status_code == 403
