"""Users and roles (issue 19, people 1 and 2): withdrawing a role is confirmed, the tenant's last
admin keeps theirs (web and service), and service errors reach the "Grant a role" form in the
reader's language on their field, never in the CLI's English."""
import re

import pytest

from core.audit import AuditEntry
from core.auth.models import Membership, User
from core.errors import ValidationError
from core.extensions import db
from core.testing import unique
from core.tenancy.scope import tenant_scope

EN, ID = {"Accept-Language": "en"}, {"Accept-Language": "id"}  # a first visit's language (no choice saved)


def _member_id(app, tenant, email, role):
    with app.app_context(), tenant_scope(tenant):
        return db.session.execute(db.select(Membership.id).join(User, User.id == Membership.user_id)
                                  .where(User.email == email, Membership.role == role)).scalar_one()


def _revokes(app, tenant):
    with app.app_context(), tenant_scope(tenant):
        return db.session.execute(db.select(AuditEntry).where(AuditEntry.action == "role.revoke")).scalars().all()


def test_the_last_admin_cannot_withdraw_their_own_role(app, client, create_tenant, create_user, login):
    tenant = create_tenant(locales=["id", "en"])
    admin = create_user(tenant, "admin")
    login(client, admin, tenant)
    member = _member_id(app, tenant, admin, "admin")
    url = f"/t/{tenant.slug}/admin/users/{member}/revoke"
    one_click = client.post(url)  # what the old "Cabut" button did: now only the question
    assert one_click.status_code == 302 and one_click.headers["Location"].endswith(f"/admin/users/{member}/revoke")
    question = client.get(url, headers=EN).get_data(as_text=True)
    assert "last administrator" in question and 'id="confirm-revoke"' not in question
    refused = client.post(url, data={"confirm": "1"}, headers=EN)
    assert refused.status_code == 400 and "last administrator" in refused.get_data(as_text=True)
    in_indonesian = client.post(url, data={"confirm": "1"}, headers=ID).get_data(as_text=True)
    assert "administrator terakhir layanan ini" in in_indonesian
    assert client.get(f"/t/{tenant.slug}/admin/users").status_code == 200  # still an admin
    assert _revokes(app, tenant) == []


def test_withdrawing_your_own_admin_role_is_asked_then_done_when_another_admin_remains(
        app, client, create_tenant, create_user, login):
    tenant = create_tenant(locales=["en", "id"])
    me, other = create_user(tenant, "admin"), create_user(tenant, "admin")
    login(client, me, tenant)
    url = f"/t/{tenant.slug}/admin/users/{_member_id(app, tenant, me, 'admin')}/revoke"
    question = client.get(url, headers=EN).get_data(as_text=True)
    assert "your own admin role" in question and 'id="confirm-revoke"' in question
    done = client.post(url, data={"confirm": "1"})
    assert done.status_code == 302 and not done.headers["Location"].endswith("/admin/users")
    assert client.get(f"/t/{tenant.slug}/admin/users").status_code == 403
    (entry,) = _revokes(app, tenant)
    assert entry.actor == me and entry.object_id == me and entry.summary["before"] == {"role": "admin"}
    # the other admin, now the last one, is refused in their turn
    client.get(f"/t/{tenant.slug}/logout")
    login(client, other, tenant)
    last = client.post(f"/t/{tenant.slug}/admin/users/{_member_id(app, tenant, other, 'admin')}/revoke",
                       data={"confirm": "1", "lang": "en"})
    assert last.status_code == 400


def test_a_disabled_admin_does_not_count_as_another_admin(app, create_tenant, create_user):
    from core.auth.service import find_user, revoke_role

    tenant = create_tenant()
    active, disabled = create_user(tenant, "admin"), create_user(tenant, "admin")
    with app.app_context():
        find_user(disabled).active = False
        db.session.commit()
        with pytest.raises(ValidationError) as refused:
            revoke_role(tenant, find_user(active), "admin", "test")
        assert refused.value.code == "last_admin" and "last admin" in str(refused.value)
        assert revoke_role(tenant, find_user(active), "auditor", "test") == 0  # other roles: as before


def test_granting_an_officer_without_an_agency_shows_the_form_again_in_indonesian(
        app, client, create_tenant, create_user, login):
    tenant = create_tenant(locales=["id", "en"])
    login(client, create_user(tenant, "admin"), tenant)
    new = f"{unique('petugas')}@example.test"
    url = f"/t/{tenant.slug}/admin/users"
    page = client.post(url, data={"email": new, "role": "officer", "agency": ""}, headers=ID)
    html = page.get_data(as_text=True)
    assert page.status_code == 400
    assert "give --agency" not in html and "an officer belongs" not in html
    agency_field = html.split('for="agency"')[1].split('class="field')[0]
    assert 'id="agency-err"' in agency_field and 'aria-invalid="true"' in agency_field
    english = client.post(url, data={"email": new, "role": "officer", "agency": ""},
                          headers=EN).get_data(as_text=True)
    assert "An officer belongs to an agency: choose one." in english.split('for="agency"')[1]
    assert '<option value="officer" selected' in html and f'value="{new}"' in html
    unknown = client.post(url, data={"email": new, "role": "officer", "agency": "NOPE"})
    assert unknown.status_code == 400 and "has no agency" not in unknown.get_data(as_text=True)
    assert 'id="agency-err"' in unknown.get_data(as_text=True)
    bad_email = client.post(url, data={"email": "not-an-address", "role": "citizen"}).get_data(as_text=True)
    assert "is not an e-mail address" not in bad_email and 'id="email-err"' in bad_email
    bad_role = client.post(url, data={"email": "x@example.test", "role": "king"}).get_data(as_text=True)
    assert "unknown role" not in bad_role and 'id="role-err"' in bad_role
    with app.app_context():
        assert db.session.execute(db.select(User).where(User.email == new)).first() is None


def test_the_cli_keeps_its_one_line():
    from core.auth.service import grant_role

    with pytest.raises(ValidationError) as refused:
        grant_role(None, None, "officer", "test")
    assert str(refused.value) == "--agency: an officer belongs to an agency: give --agency CODE"
    assert re.search("agency", str(refused.value.local))


def test_pamong_user_revoke_refuses_the_last_admin_in_one_line(app, create_tenant, create_user, audit_entries):
    from cli import cli

    tenant = create_tenant()
    admin, auditor = create_user(tenant, "admin"), create_user(tenant, "auditor")
    runner = app.test_cli_runner()
    refused = runner.invoke(cli, ["user", "revoke", admin, "--tenant", tenant.slug, "--role", "admin"])
    assert refused.exit_code == 2
    assert refused.output.strip().splitlines() == [
        f"error: --role: {admin} is the last admin of tenant '{tenant.slug}': grant the admin role to someone else first"]
    assert not audit_entries(tenant, "role.revoke")
    done = runner.invoke(cli, ["user", "revoke", auditor, "--tenant", tenant.slug, "--role", "auditor"])
    assert done.exit_code == 0 and "no longer auditor" in done.output
    assert [e["object_id"] for e in audit_entries(tenant, "role.revoke")] == [auditor]
    again = runner.invoke(cli, ["user", "revoke", auditor, "--tenant", tenant.slug, "--role", "auditor"])
    assert again.exit_code == 2 and len(again.output.strip().splitlines()) == 1
