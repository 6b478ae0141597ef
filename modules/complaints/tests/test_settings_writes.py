"""A settings write carries the whole validated document or changes only what it names, never
silently both (issue 10.12): the admin form posts every field, and a field left out is an error on
the form, not a reset to its default. Saved changes are audited with before and after."""
import json
import re

from core.audit import AuditEntry
from core.kit import db, tenant_scope
from modules.complaints.settings import DEFAULT_NOTIFY_STEPS

from .conftest import SETTINGS


def _row(tenant):
    from core.tenancy.models import TenantModule

    with tenant_scope(tenant):
        return db.session.execute(db.select(TenantModule).where(TenantModule.module == "complaints")).scalar_one()


def _audit(tenant):
    with tenant_scope(tenant):
        return db.session.execute(
            db.select(AuditEntry).where(AuditEntry.action == "tenant.module.settings").order_by(AuditEntry.id)
        ).scalars().all()


def _form(settings):
    from core.admin.settings_form import kind_of

    from ..settings import SCHEMA

    whole = {key: sub["default"] for key, sub in SCHEMA["properties"].items()} | settings  # every field
    # lists and tables as JSON (the form takes that too); boxes ticked as the form posts them
    return {k: ([""] + [str(x) for x in v] if kind_of(SCHEMA["properties"][k]) == "choices"
                else json.dumps(v) if isinstance(v, (list, dict)) else str(v)) for k, v in whole.items()}


def _admin(make_tenant, create_user, login, client):
    tenant = make_tenant(locales=["en", "id"])
    login(client, create_user(tenant, "admin"), tenant)
    return tenant, f"/t/{tenant.slug}/admin/modules/complaints/settings"


def test_a_post_carrying_only_max_photos_changes_nothing(app, client, make_tenant, create_user, login):
    tenant, url = _admin(make_tenant, create_user, login, client)
    response = client.post(url, data={"max_photos": "5"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    for key in ("reopen_days", "webhook_secret"):
        assert re.search(rf'class="field has-error">\s*<label for="s-{key}"', page), key
    for key in ("categories", "agency_contacts"):  # lists and tables: their rows' counters missing
        assert re.search(rf'class="field rows has-error" id="s-{key}"', page), key
    assert 'value="5"' in page  # what was sent is shown again
    with app.app_context():
        assert _row(tenant).settings["categories"] == SETTINGS["categories"]
        assert _row(tenant).settings["max_photos"] == SETTINGS["max_photos"]
        assert _audit(tenant) == []


def test_the_whole_document_saves_and_is_audited(app, client, make_tenant, create_user, login):
    tenant, url = _admin(make_tenant, create_user, login, client)
    response = client.post(url, data=_form({**SETTINGS, "max_photos": 5}))
    assert response.status_code == 302, re.findall(r"has-error.{0,300}", response.get_data(as_text=True), re.S)[:3]
    with app.app_context():
        assert _row(tenant).settings == {**SETTINGS, "max_photos": 5, "default_category": "",
                                         "coordinator_phone": "", "map_tile_url": "", "map_attribution": "",
                                         "boundaries": "", "response_templates": [], "sms_number": "",
                                         "notify_steps": list(DEFAULT_NOTIFY_STEPS)}
        (entry,) = _audit(tenant)
        assert entry.summary["before"]["max_photos"] == 2 and entry.summary["after"]["max_photos"] == 5
        assert entry.summary["after"]["categories"] == SETTINGS["categories"]
    again = client.post(url, data=_form({**SETTINGS, "max_photos": 5}))
    assert again.status_code == 302
    with app.app_context():
        assert len(_audit(tenant)) == 1  # nothing changed, nothing recorded


def test_an_error_from_the_module_check_lands_on_its_field(app, client, make_tenant, create_user, login):
    tenant, url = _admin(make_tenant, create_user, login, client)
    moved = [{**SETTINGS["categories"][0], "agency": "NOPE"}, SETTINGS["categories"][1]]
    response = client.post(url, data=_form({**SETTINGS, "categories": moved}))
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "NOPE" in page
    assert re.search(r'class="field has-error">\s*<label for="s-categories"', page)  # posted as JSON: shown as JSON
    with app.app_context():
        assert _row(tenant).settings["categories"] == SETTINGS["categories"]


def test_a_checkbox_left_unchecked_differs_from_a_field_left_out(app, client, create_tenant, create_user, login):
    """The notes test module has no boolean; the form's parser is checked on a schema that has."""
    from werkzeug.datastructures import MultiDict

    from core.admin.settings_form import parse

    schema = {"type": "object", "properties": {"on": {"type": "boolean", "default": True},
                                               "n": {"type": "integer", "default": 1}}}
    assert parse(schema, MultiDict([("on", ""), ("n", "2")])) == ({"on": False, "n": 2}, {})
    assert parse(schema, MultiDict([("on", ""), ("on", "on"), ("n", "2")])) == ({"on": True, "n": 2}, {})
    with app.test_request_context():
        settings, errors = parse(schema, MultiDict([("n", "2")]))
    assert set(errors) == {"on"} and "on" not in settings


def test_deeply_nested_json_is_an_error_on_the_form(app, client, make_tenant, create_user, login):
    tenant, url = _admin(make_tenant, create_user, login, client)
    for depth in (800, 990, 5000, 100_000):
        nested = "[" * depth + "]" * depth
        response = client.post(url, data=_form({**SETTINGS, "categories": []}) | {"categories": nested})
        assert response.status_code == 400, depth
    with app.app_context():
        assert _row(tenant).settings["categories"] == SETTINGS["categories"]


def test_a_save_over_a_newer_change_is_refused_not_silent(app, client, make_tenant, create_user, login):
    from core.admin.settings_form import VERSION_FIELD
    from core.tenancy import service
    from core.tenancy.models import Tenant

    tenant, url = _admin(make_tenant, create_user, login, client)
    opened = re.search(rf'name="{VERSION_FIELD}" value="([0-9a-f]+)"', client.get(url).get_data(as_text=True)).group(1)
    with app.app_context():  # meanwhile, someone else changes a setting (here: the CLI's explicit merge)
        service.change_module_settings(db.session.get(Tenant, tenant.id), "complaints", {"reopen_days": 30},
                                       "cli:other", app.extensions["pamong"])
        db.session.commit()
    stale = client.post(url, data=_form({**SETTINGS, "max_photos": 5}) | {VERSION_FIELD: opened})
    page = stale.get_data(as_text=True)
    assert stale.status_code == 400 and 'value="5"' in page  # their input is kept on the form
    with app.app_context():
        assert _row(tenant).settings["reopen_days"] == 30 and _row(tenant).settings["max_photos"] == 2
    current = re.search(rf'name="{VERSION_FIELD}" value="([0-9a-f]+)"', page).group(1)
    assert current != opened
    again = client.post(url, data=_form({**SETTINGS, "max_photos": 5, "reopen_days": 30}) | {VERSION_FIELD: current})
    assert again.status_code == 302
    with app.app_context():
        assert _row(tenant).settings["reopen_days"] == 30 and _row(tenant).settings["max_photos"] == 5
