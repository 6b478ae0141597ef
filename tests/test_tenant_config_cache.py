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
