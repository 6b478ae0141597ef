"""A tenant's modules and settings are kept in memory per process, and every process sees a change
at its next request (issue 11.2, core/tenancy/config_cache.py)."""
import pytest

from core import create_app
from core.extensions import db
from core.settings import module_settings
from core.tenancy import service
from core.tenancy.models import Tenant
from core.testing import sql_statements


@pytest.fixture
def other_worker(app, pamong_extra_plugins):
    """A second app on the same database: another gunicorn worker, with its own memory."""
    config = {key: app.config[key] for key in (
        "SECRET_KEY", "TESTING", "WTF_CSRF_ENABLED", "SESSION_COOKIE_SECURE", "INSTANCE_DIR",
        "PAMONG_TENANTS_DIR", "PAMONG_PUBLIC_FIGURES_TTL", "PAMONG_LOGIN_RATE")}
    other = create_app({"DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], **config},
                       extra_plugins=pamong_extra_plugins)
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


def test_an_unchanged_tenant_costs_no_module_query(app, client, create_tenant):
    tenant = create_tenant(modules={"notes": {}})
    client.get(f"/t/{tenant.slug}/notes/")
    with sql_statements(app) as seen:
        client.get(f"/t/{tenant.slug}/notes/")
    assert seen and not [s for s in seen if "tenant_modules" in s], seen


def test_a_module_disabled_by_one_worker_is_gone_in_the_other_at_its_next_request(app, other_worker, create_tenant):
    tenant = create_tenant(modules={"notes": {}})
    assert other_worker.test_client().get(f"/t/{tenant.slug}/notes/").status_code == 200  # cached there
    with app.app_context():
        row = db.session.get(Tenant, tenant.id)
        service.disable_module(row, "notes", "test", app.extensions["pamong"])
        db.session.commit()
    assert other_worker.test_client().get(f"/t/{tenant.slug}/notes/").status_code == 404
    with app.app_context():
        service.enable_module(db.session.get(Tenant, tenant.id), "notes", "test", app.extensions["pamong"])
        db.session.commit()
    assert other_worker.test_client().get(f"/t/{tenant.slug}/notes/").status_code == 200


def test_settings_changed_elsewhere_are_read_afresh_even_through_an_old_tenant_object(app, other_worker, create_tenant):
    tenant = create_tenant(modules={"notes": {}})  # ``tenant`` is detached: a job or a test keeps it
    with other_worker.app_context():
        before = module_settings(tenant, "notes")["max_length"]
    with app.app_context():
        service.change_module_settings(db.session.get(Tenant, tenant.id), "notes",
                                       {"max_length": before + 3}, "test", app.extensions["pamong"])
        db.session.commit()
    with other_worker.app_context():
        assert module_settings(tenant, "notes")["max_length"] == before + 3
        copy = module_settings(tenant, "notes")
        copy["max_length"] = -1  # a caller's copy: changing it changes nothing kept
        assert module_settings(tenant, "notes")["max_length"] == before + 3


def test_the_audit_chain_moving_is_not_a_configuration_change(app, create_tenant):
    tenant = create_tenant()
    with app.app_context():
        row = db.session.get(Tenant, tenant.id)
        version = row.config_version
        row.audit_head_seq += 1
        db.session.commit()
        assert db.session.get(Tenant, tenant.id).config_version == version
        db.session.get(Tenant, tenant.id).name = "Kota Berganti Nama"
        db.session.commit()
        assert db.session.get(Tenant, tenant.id).config_version == version + 1


def test_a_permission_withdrawn_in_one_worker_is_refused_in_the_other_at_its_next_request(
        app, other_worker, create_tenant, create_user, login):
    from core.auth.service import set_role_permission

    tenant = create_tenant(modules={"notes": {}})
    email = create_user(tenant, role="admin")
    client = other_worker.test_client()
    login(client, email, tenant)
    assert client.post(f"/t/{tenant.slug}/notes/new", data={"text": "a"}).status_code == 201  # grants cached
    known = {"notes.write": {}}
    with app.app_context():
        set_role_permission(db.session.get(Tenant, tenant.id), "admin", "notes.write", False, None, known)
        db.session.commit()
    assert client.post(f"/t/{tenant.slug}/notes/new", data={"text": "b"}).status_code == 403
    with app.app_context():
        set_role_permission(db.session.get(Tenant, tenant.id), "admin", "notes.write", True, None, known)
        db.session.commit()
    assert client.post(f"/t/{tenant.slug}/notes/new", data={"text": "c"}).status_code == 201


def test_a_signed_in_page_reads_grants_and_units_from_memory(app, client, create_tenant, create_user, login):
    tenant = create_tenant(modules={"notes": {}})
    login(client, create_user(tenant, role="admin"), tenant)
    client.post(f"/t/{tenant.slug}/notes/new", data={"text": "warm"})
    with sql_statements(app) as seen:
        assert client.post(f"/t/{tenant.slug}/notes/new", data={"text": "a"}).status_code == 201
    assert not [s for s in seen if "role_permissions" in s or "org_units" in s], seen
    assert not [s for s in seen if "FROM memberships" in s], seen  # roles and agencies: from memory too


def _user(email):
    from core.auth.models import User

    return db.session.execute(db.select(User).where(User.email == email)).scalar_one()


def test_a_role_withdrawn_by_one_worker_ends_at_the_next_request_in_the_other(
        app, other_worker, create_tenant, create_user, login):
    from core.auth.service import grant_role, revoke_role

    tenant = create_tenant(modules={"notes": {}})
    create_user(tenant, role="admin")  # the last admin's role cannot be withdrawn
    email = create_user(tenant, role="admin")
    client = other_worker.test_client()
    login(client, email, tenant)
    assert client.post(f"/t/{tenant.slug}/notes/new", data={"text": "a"}).status_code == 201  # memberships cached
    with app.app_context():
        assert revoke_role(db.session.get(Tenant, tenant.id), _user(email), "admin", None) == 1
        db.session.commit()
    assert client.post(f"/t/{tenant.slug}/notes/new", data={"text": "b"}).status_code == 403
    with app.app_context():
        grant_role(db.session.get(Tenant, tenant.id), _user(email), "admin", None)
        db.session.commit()
    assert client.post(f"/t/{tenant.slug}/notes/new", data={"text": "c"}).status_code == 201


def test_memberships_read_in_a_transaction_rolled_back_are_not_kept(app, create_tenant, create_user):
    """The rolled-back grant's version number is the next change's: what it read must not be served."""
    from core.auth.permissions import roles_of
    from core.auth.service import grant_role

    tenant = create_tenant(modules={"notes": {}})
    email = create_user(tenant)
    with app.app_context():
        grant_role(db.session.get(Tenant, tenant.id), _user(email), "admin", None)
        db.session.flush()
        assert "admin" in roles_of(_user(email), db.session.get(Tenant, tenant.id))
        db.session.rollback()
    with app.app_context():
        grant_role(db.session.get(Tenant, tenant.id), _user(email), "auditor", None)
        db.session.commit()
    with app.app_context():
        roles = roles_of(_user(email), db.session.get(Tenant, tenant.id))
        assert "auditor" in roles and "admin" not in roles


def test_units_renamed_by_one_worker_are_read_afresh_by_the_other(app, other_worker, create_tenant):
    from core.tenancy.config_cache import org_units
    from core.tenancy.models import OrgUnit

    tenant = create_tenant()
    with app.app_context():
        with service.tenant_scope(tenant):
            db.session.add(OrgUnit(kind="agency", code="DPKP", name="Zz Dinas Perumahan"))
            db.session.commit()
    with other_worker.app_context():
        assert [u.name for u in org_units(tenant, "agency")][-1] == "Zz Dinas Perumahan"  # by name
    with app.app_context():
        with service.tenant_scope(tenant):
            unit = db.session.execute(db.select(OrgUnit).where(OrgUnit.code == "DPKP")).scalar_one()
            unit.name, unit.active = "Zz DPKP Kota", False
            db.session.commit()
    with other_worker.app_context():
        assert "DPKP" not in {u.code for u in org_units(tenant, "agency")}  # inactive: left out by default
        assert [u.name for u in org_units(tenant, "agency", active_only=False) if u.code == "DPKP"] == ["Zz DPKP Kota"]
        with pytest.raises(TypeError):
            org_units(tenant, active_only=False)[0].extra["x"] = 1  # snapshots: nothing kept can be changed


def test_shared_settings_are_one_dict_until_the_configuration_changes(app, other_worker, create_tenant):
    """``module_settings(..., shared=True)``: no copy per call, and a change made elsewhere is
    seen at once (the shared dict belongs to the configuration it was filled from)."""
    tenant = create_tenant(modules={"notes": {}})
    with other_worker.app_context():
        first = module_settings(tenant, "notes", shared=True)
        assert module_settings(tenant, "notes", shared=True) is first
        assert module_settings(tenant, "notes") is not first and module_settings(tenant, "notes") == first
        before = first["max_length"]
    with app.app_context():
        service.change_module_settings(db.session.get(Tenant, tenant.id), "notes",
                                       {"max_length": before + 5}, "test", app.extensions["pamong"])
        db.session.commit()
    with other_worker.app_context():
        after = module_settings(tenant, "notes", shared=True)
        assert after is not first and after["max_length"] == before + 5


def test_configuration_read_in_a_transaction_rolled_back_is_not_kept(app, create_tenant):
    """Settings (and with them units and grants: one cached configuration) read after a change
    that is then rolled back: the next change reuses that version number, and must not be served
    what the rolled-back one read."""
    tenant = create_tenant(modules={"notes": {}})
    with app.app_context():
        before = module_settings(tenant, "notes")["max_length"]
        version = db.session.get(Tenant, tenant.id).config_version
        row = db.session.get(Tenant, tenant.id)
        service.change_module_settings(row, "notes", {"max_length": before + 7}, "test", app.extensions["pamong"])
        assert module_settings(row, "notes")["max_length"] == before + 7  # read in the transaction
        rolled_back = row.config_version
        db.session.rollback()
    with app.app_context():
        row = db.session.get(Tenant, tenant.id)
        service.change_module_settings(row, "notes", {"max_length": before + 9}, "test", app.extensions["pamong"])
        db.session.commit()
        assert row.config_version == rolled_back > version  # the number is reused
    with app.app_context():
        assert module_settings(db.session.get(Tenant, tenant.id), "notes")["max_length"] == before + 9
