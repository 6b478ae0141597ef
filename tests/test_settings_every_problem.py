"""The tenant admin's module settings form shows every problem at once (issue 17: one at a time):
the schema's, the number patterns', the secrets' and the module's own ``check_settings``, each at its
field and all in the summary at the top; nothing is saved. ``validate_settings`` (``tenant apply``,
the CLI) refuses them all at once too, as ``core.errors.Problems``."""
import html
import re

import pytest
from werkzeug.datastructures import MultiDict

from core.admin.settings_form import as_form
from core.errors import Problems, ValidationError
from core.extensions import db
from core.hookspecs import hookimpl
from core.number_patterns import number_pattern_setting
from core.settings import validate_settings
from core.tenancy.models import TenantModule
from core.tenancy.scope import tenant_scope
from core.testing import unique

WHERE = "modules.forms.settings"


class Forms:
    """A module whose settings can be wrong in every way the core checks, and one its own hook checks."""

    __name__ = "forms"

    @hookimpl
    def module_info(self):
        return {"name": "forms", "title": "Forms", "version": "1.0", "requires": [], "description": "Forms"}

    @hookimpl
    def settings_schema(self):
        return {"type": "object", "properties": {
            "limit": {"type": "integer", "minimum": 1, "maximum": 10, "default": 5},
            "ticket": number_pattern_setting("{letter}-{serial:03}", ["letter"]),
            "token": {"type": "string", "default": "", "secret": True},
            "contact": {"type": "string", "default": ""},
            "backup_contact": {"type": "string", "default": ""},
        }}

    @hookimpl
    def check_settings(self, app, tenant, settings):
        from core.errors import raise_all

        raise_all([ValidationError(f"'{settings[key]}' is not an e-mail address", where=f"{WHERE}.{key}")
                   for key in ("contact", "backup_contact") if settings[key] and "@" not in settings[key]])


@pytest.fixture(scope="module")
def forms_app(app):
    from core import create_app
    from tests import testmodule

    other = create_app({**{k: app.config[k] for k in (
        "SECRET_KEY", "TESTING", "WTF_CSRF_ENABLED", "SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE",
        "INSTANCE_DIR", "RATELIMIT_ENABLED", "PAMONG_TENANTS_DIR", "PAMONG_LOGIN_RATE")},
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"]}, extra_plugins=[testmodule, Forms()])
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def admin_page(forms_app, create_user, login):
    """(client signed in as the tenant's admin, the settings page's URL, the tenant)."""
    with forms_app.app_context():
        from core.tenancy import service
        from core.tenancy.schema import parse_tenant

        slug = unique("fm")
        doc = parse_tenant({"slug": slug, "name": "Kota", "kind": "city", "timezone": "Asia/Makassar",
                            "domains": [f"{slug}.example.test"], "modules": {"forms": {"enabled": True}}}, "test")
        (_, doc), = service.check_batch([("test", doc)], forms_app.extensions["pamong"])
        tenant = service.apply_doc(doc, "test", forms_app.extensions["pamong"])
        db.session.commit()
        db.session.refresh(tenant)
        db.session.expunge(tenant)
    client = forms_app.test_client()
    login(client, create_user(tenant, "admin"), tenant)
    return client, f"/t/{slug}/admin/modules/forms/settings", tenant


def _post(forms_app, client, url, **changes):
    with forms_app.test_request_context():
        data = MultiDict(as_form(Forms().settings_schema(), {}))
    for key, value in changes.items():
        data[key] = value
    return client.post(url, data=data)


def _shown(response) -> tuple[list[str], list[str]]:
    """(the fields the summary at the top links to, the ids of the messages beside fields)."""
    page = html.unescape(response.get_data(as_text=True))
    summary = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    assert summary, "no summary at the top"
    return (sorted(re.findall(r'href="#s-([^"]+)"', summary.group(0))),
            sorted(re.findall(r'<p class="error" role="alert" id="e-([^"]+)"', page)))


def _stored(forms_app, tenant) -> dict:
    with forms_app.app_context(), tenant_scope(tenant):
        return db.session.execute(db.select(TenantModule.settings).where(TenantModule.module == "forms")).scalar_one()


def test_two_wrong_fields_come_back_together(forms_app, admin_page):
    client, url, tenant = admin_page
    before = _stored(forms_app, tenant)
    response = _post(forms_app, client, url, limit="99", ticket="{loket}-{serial}")  # the schema's and a pattern's
    assert response.status_code == 400
    assert _shown(response) == (["limit", "ticket"], ["limit", "ticket"])
    page = html.unescape(response.get_data(as_text=True))
    assert "Paling besar 10." in page and "{loket}" in page
    assert _stored(forms_app, tenant) == before


def test_every_kind_of_problem_comes_back_at_once(forms_app, admin_page, monkeypatch):
    client, url, tenant = admin_page
    before = _stored(forms_app, tenant)
    response = _post(forms_app, client, url, ticket="{serial", token="env:NOT_SET_ANYWHERE",
                     contact="budi", backup_contact="siti.example")  # a pattern, a secret, two of the hook's
    assert response.status_code == 400
    assert _shown(response) == (["backup_contact", "contact", "ticket", "token"],) * 2
    assert _stored(forms_app, tenant) == before
    saved = _post(forms_app, client, url, contact="budi@example.test", ticket="{letter}/{serial:04}")
    assert saved.status_code == 302, saved.get_data(as_text=True)[-2000:]
    assert _stored(forms_app, tenant)["ticket"] == "{letter}/{serial:04}"


def test_validate_settings_refuses_every_problem_at_once():
    schema = Forms().settings_schema()
    with pytest.raises(Problems) as refused:
        validate_settings(schema, {"limit": 0, "ticket": "{loket}-{serial}", "token": "env:bad name"}, WHERE, slug="kota")
    assert [(p.where, p.code) for p in refused.value.problems] == [
        (f"{WHERE}.limit", "validation_error"), (f"{WHERE}.ticket", "bad_pattern"), (f"{WHERE}.token", "bad_secret_name")]
    said = str(refused.value)  # the CLI's one line names each
    assert "\n" not in said and all(f"{WHERE}.{key}:" in said for key in ("limit", "ticket", "token"))
    with pytest.raises(ValidationError) as alone:  # one problem is raised as itself
        validate_settings(schema, {"limit": 11}, WHERE)
    assert not isinstance(alone.value, Problems) and alone.value.where == f"{WHERE}.limit"
