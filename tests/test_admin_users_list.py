"""The admin's Users page (trial findings 5 and 7): self-registered citizens are listed with the
state of their account, the list is filtered by role and paged, and it reads as cards at 360 px."""
import re

from core.testing import unique

NEW = "a-long-new-password-7"


def _register(app, tenant, email):
    from core.auth.registration import register
    from core.extensions import db
    from core.tenancy.models import Tenant

    with app.app_context():
        register(db.session.get(Tenant, tenant.id), email, "Warga Baru", NEW, locale="id")
        db.session.commit()


def _verify(app, email):
    from core.auth.models import User
    from core.extensions import db

    with app.app_context():
        db.session.execute(db.select(User).where(User.email == email)).scalar_one().needs_verification = False
        db.session.commit()


def _row(html, email):
    match = re.search(r"<tr[^>]*>(?:(?!</tr>).)*" + re.escape(email) + r"(?:(?!</tr>).)*</tr>", html, re.S)
    return match.group(0) if match else None


def test_self_registered_citizens_are_listed_with_their_state(app, client, create_tenant, create_user, login):
    tenant = create_tenant(accounts={"self_registration": True})
    elsewhere = create_tenant(accounts={"self_registration": True})
    admin = create_user(tenant, "admin")
    officer = create_user(tenant, "officer", agency="DLH")
    waiting, verified, stranger = (f"{unique(p)}@example.test" for p in ("waiting", "verified", "stranger"))
    _register(app, tenant, waiting)
    _register(app, tenant, verified)
    _verify(app, verified)
    _register(app, elsewhere, stranger)  # another tenant's citizen is not this admin's business
    login(client, admin, tenant)
    client.get(f"/t/{tenant.slug}/lang?locale=en")
    url = f"/t/{tenant.slug}/admin/users"

    everyone = client.get(url).get_data(as_text=True)
    assert "citizen" in _row(everyone, waiting) and "address not verified yet" in _row(everyone, waiting)
    assert "registered here" in _row(everyone, waiting) and "Warga Baru" in _row(everyone, waiting)
    assert "active" in _row(everyone, verified) and "not verified" not in _row(everyone, verified)
    assert _row(everyone, officer) and _row(everyone, admin)
    assert stranger not in everyone
    assert "/revoke" not in _row(everyone, waiting)  # no role to withdraw: registered, not granted

    citizens = client.get(f"{url}?role=citizen").get_data(as_text=True)
    assert _row(citizens, waiting) and _row(citizens, verified)
    assert _row(citizens, officer) is None and _row(citizens, admin) is None
    officers = client.get(f"{url}?role=officer").get_data(as_text=True)
    assert _row(officers, officer) and _row(officers, waiting) is None and _row(officers, verified) is None

    client.get(f"/t/{tenant.slug}/lang?locale=id")
    indonesian = client.get(f"{url}?role=citizen").get_data(as_text=True)
    assert "warga" in _row(indonesian, waiting) and "belum" in _row(indonesian, waiting).lower()


def test_a_citizen_granted_a_role_and_registered_is_listed_once_per_role(app, client, create_tenant, create_user,
                                                                        login):
    tenant = create_tenant(accounts={"self_registration": True})
    admin = create_user(tenant, "admin")
    email = f"{unique('both')}@example.test"
    _register(app, tenant, email)
    create_user(tenant, "citizen", email=email)  # a citizen membership too: one citizen row, not two
    login(client, admin, tenant)
    html = client.get(f"/t/{tenant.slug}/admin/users?role=citizen").get_data(as_text=True)
    assert html.count(f">{email}") == 1


def test_the_users_page_is_paged(app, client, create_tenant, create_user, login):
    tenant = create_tenant(accounts={"self_registration": True})
    admin = create_user(tenant, "admin", email=f"a-{unique('admin')}@example.test")
    for n in range(51):
        _register(app, tenant, f"z{n:02d}-{unique('c')}@example.test")
    login(client, admin, tenant)
    first = client.get(f"/t/{tenant.slug}/admin/users").get_data(as_text=True)
    second = client.get(f"/t/{tenant.slug}/admin/users?page=2").get_data(as_text=True)
    assert first.count('<td class="card-head">') == 50 and "page=2" in first
    assert second.count('<td class="card-head">') == 2  # 52 people: the admin and 51 citizens
    assert client.get(f"/t/{tenant.slug}/admin/users?page=x").status_code == 400
