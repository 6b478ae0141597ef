"""The complaints settings as a form generated from the schema (issue 19.3) and their references
checked where they are written (issue 20.7): lists edited as rows, every error on its field in the
reader's language, nothing saved while anything is wrong; ``tenant apply`` refuses the same."""
import re

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo
from werkzeug.datastructures import MultiDict

from core.audit import AuditEntry
from core.kit import db, tenant_scope

from .conftest import SETTINGS


def _stored(app, tenant):
    from core.tenancy.models import TenantModule

    with app.app_context(), tenant_scope(tenant):
        row = db.session.execute(db.select(TenantModule).where(TenantModule.module == "complaints")).scalar_one()
        changes = db.session.execute(
            db.select(AuditEntry).where(AuditEntry.action == "tenant.module.settings")).scalars().all()
        return row.settings, len(changes)


def _admin(make_tenant, create_user, login, client, locales=("en", "id")):
    tenant = make_tenant(locales=list(locales))
    login(client, create_user(tenant, "admin"), tenant)
    return tenant, f"/t/{tenant.slug}/admin/modules/complaints/settings"


def _form(app, settings=SETTINGS, **changes) -> MultiDict:
    """What the form shows for ``settings`` posts, with ``changes`` (field name → value) made."""
    from core.admin.settings_form import as_form
    from modules.complaints.settings import SCHEMA

    with app.test_request_context():
        pairs = as_form(SCHEMA, settings)
    data = MultiDict(pairs)
    for name, value in changes.items():
        data.setlist(name, [value])
    return data


def _error(page: str, name: str) -> str:
    found = re.search(rf'<p class="error" role="alert" id="e-{re.escape(name)}">([^<]*)</p>', page)
    return found.group(1) if found else ""


def test_the_form_shows_rows_not_json(app, client, make_tenant, create_user, login):
    tenant, url = _admin(make_tenant, create_user, login, client)
    page = client.get(url).get_data(as_text=True)
    assert 'name="categories.__n" value="3"' in page  # two categories and an empty row to add one
    assert 'name="categories.0.code" type="text" value="SAMPAH"' in page
    assert 'name="categories.1.attributes.0.values.1.name" type="text" value="Large"' in page  # rows in rows
    assert '<option value="DLH" selected>DLH — Dinas Lingkungan Hidup</option>' in page  # the tenant's agencies
    assert 'name="agency_contacts.0.email" type="text" value="kadis.dlh@example.test"' in page
    assert "<textarea" in page and 'class="json"' not in page  # JSON only in the advanced mode
    assert "Complaint categories" in page and ">categories<" not in page  # labels, never the raw keys


def test_an_indonesian_page_has_indonesian_labels_and_no_english_help(app, client, make_tenant, create_user, login):
    tenant, url = _admin(make_tenant, create_user, login, client, locales=("id", "en"))
    page = client.get(url).get_data(as_text=True)
    assert "Kategori pengaduan" in page and "Instansi penangan" in page and "Hari untuk membuka kembali" in page
    assert "What citizens can complain about" not in page and "Complaint categories" not in page
    assert "Verifikasi" in page  # the choices named too, not "response"


def test_the_whole_form_saves_as_it_was_shown(app, client, make_tenant, create_user, login):
    tenant, url = _admin(make_tenant, create_user, login, client)
    before, _ = _stored(app, tenant)
    response = client.post(url, data=_form(app, SETTINGS))
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    after, changes = _stored(app, tenant)
    assert after == before and changes == 0  # a round trip through the rows changes nothing


def test_a_value_out_of_range_is_shown_on_its_field_and_nothing_is_saved(app, client, make_tenant, create_user, login):
    tenant, url = _admin(make_tenant, create_user, login, client)
    before, _ = _stored(app, tenant)
    response = client.post(url, data=_form(app, reopen_days="99", **{"categories.0.resolution_days": "0",
                                                                      "max_photos": "many"}))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert _error(page, "reopen_days") == "At most 90."
    assert _error(page, "categories.0.resolution_days") == "At least 1."
    assert _error(page, "max_photos") == "Write a whole number."
    assert 'value="many"' in page and 'value="99"' in page  # what they typed, shown again
    assert 'href="#s-categories.0.resolution_days">Complaint categories › row 1 › Days to resolve</a>' in page
    assert _stored(app, tenant) == (before, 0)


def test_a_row_missing_a_required_field_names_that_field(app, client, make_tenant, create_user, login):
    tenant, url = _admin(make_tenant, create_user, login, client)
    before, _ = _stored(app, tenant)
    new_row = {"categories.2.code": "BANJIR", "categories.2.name_id": "Banjir", "categories.2.agency": "PU"}
    response = client.post(url, data=_form(app, **new_row, **{"categories.1.name_en": ""}))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert _error(page, "categories.1.name_en") == "Required."
    assert _error(page, "categories.2.name_en") == "Required."  # the new row, kept with what was typed
    assert 'name="categories.2.code" type="text" value="BANJIR"' in page
    assert _stored(app, tenant) == (before, 0)


def test_an_agency_that_does_not_exist_is_named_on_its_field(app, client, make_tenant, create_user, login):
    tenant, url = _admin(make_tenant, create_user, login, client)
    before, _ = _stored(app, tenant)
    response = client.post(url, data=_form(app, **{"categories.1.agency": "NOPE"}))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    message = _error(page, "categories.1.agency")
    assert "NOPE" in message and "DLH, PU" in message and "tenant '" not in message
    assert '<option value="NOPE" selected>NOPE (does not exist)</option>' in page
    contacts = client.post(url, data=_form(app, **{"agency_contacts.0.__key": "NOPE"}))
    assert contacts.status_code == 400 and "NOPE" in _error(contacts.get_data(as_text=True), "agency_contacts.0.__key")
    default = client.post(url, data=_form(app, default_category="NOPE"))
    assert default.status_code == 400 and "NOPE" in _error(default.get_data(as_text=True), "default_category")
    assert _stored(app, tenant) == (before, 0)


def test_rows_are_added_and_removed_without_javascript(app, client, make_tenant, create_user, login):
    tenant, url = _admin(make_tenant, create_user, login, client)
    more = client.post(url, data=_form(app, _add_row="categories", reopen_days="99"))
    page = more.get_data(as_text=True)
    assert more.status_code == 200 and 'name="categories.__n" value="4"' in page  # one more empty row
    assert 'value="99"' in page and "At most 90." not in page  # kept, not yet checked
    assert _stored(app, tenant)[1] == 0
    new_row = {"categories.2.code": "BANJIR", "categories.2.name_id": "Banjir", "categories.2.name_en": "Flood",
               "categories.2.agency": "PU", "categories.2.keywords": "banjir\n genangan \n"}
    saved = client.post(url, data=_form(app, **new_row, **{"categories.0.__del": "1"}))
    assert saved.status_code == 302, saved.get_data(as_text=True)[:3000]
    settings, changes = _stored(app, tenant)
    assert [c["code"] for c in settings["categories"]] == ["JALAN", "BANJIR"] and changes == 1
    assert settings["categories"][1] == {"code": "BANJIR", "name_id": "Banjir", "name_en": "Flood", "agency": "PU",
                                         "keywords": ["banjir", "genangan"]}  # the rest left to their defaults


def test_advanced_json_reports_line_and_column(app, client, make_tenant, create_user, login):
    tenant, url = _admin(make_tenant, create_user, login, client)
    page = client.get(url + "?advanced=1").get_data(as_text=True)
    assert '<textarea id="s-categories" name="categories"' in page and 'name="_advanced" value="1"' in page
    data = _form(app, _advanced="1")
    for key in [k for k in data if k.startswith("categories.")]:
        del data[key]
    data["categories"] = '[\n  {"code": "X",,}\n]'
    response = client.post(url, data=data)
    assert response.status_code == 400
    assert _error(response.get_data(as_text=True), "categories") == "Not valid JSON: line 2, column 16."
    data["categories"] = '[{"code": "X", "name_id": "X", "name_en": "X", "agency": "NOPE"}]'
    wrong = client.post(url, data=data).get_data(as_text=True)
    assert "1.agency: " in _error(wrong, "categories") and "NOPE" in _error(wrong, "categories")
    assert _stored(app, tenant)[1] == 0


def test_disabling_asks_first_and_says_what_citizens_lose(app, client, make_tenant, create_user, login):
    tenant, _url = _admin(make_tenant, create_user, login, client)
    base = f"/t/{tenant.slug}"
    listing = client.get(f"{base}/admin/modules").get_data(as_text=True)
    assert f'action="{base}/admin/modules/complaints/disable"' in listing.replace(f"/t/{tenant.slug}", base)
    question = client.get(f"{base}/admin/modules/complaints/disable").get_data(as_text=True)
    assert "tracking" in question  # the module's own sentence
    assert client.post(f"{base}/admin/modules/complaints/disable").status_code == 302
    assert client.get(f"{base}/complaints/").status_code == 200  # not without the confirmation
    assert client.post(f"{base}/admin/modules/complaints/disable", data={"confirm": "1"}).status_code == 302
    assert client.get(f"{base}/complaints/").status_code == 404


@pytest.fixture
def run(app):
    from cli import cli

    runner = CliRunner()
    info = ScriptInfo(create_app=lambda: app)
    return lambda *args: runner.invoke(cli, list(args), obj=info)


@pytest.mark.parametrize("old, new, key", [
    ('agency = "PU"', 'agency = "NOPE"', "categories.1.agency"),
    ("[modules.complaints.settings.agency_contacts.DLH]", "[modules.complaints.settings.agency_contacts.NOPE]",
     "agency_contacts.NOPE"),
])
def test_tenant_apply_refuses_a_reference_to_an_agency_it_does_not_have(app, run, make_tenant, tmp_path, old, new, key):
    tenant = make_tenant()
    exported = run("tenant", "export", tenant.slug).output
    assert old in exported, exported
    path = tmp_path / f"{tenant.slug}.toml"
    path.write_text(exported.replace(old, new))
    before = _stored(app, tenant)
    result = run("tenant", "apply", str(path))
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip() and not line.startswith("Applying")]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: {path}: modules.complaints.settings.{key}: ")
    assert "agency 'NOPE'" in lines[0] and "DLH, PU" in lines[0]
    assert _stored(app, tenant) == before


def test_a_citizen_never_meets_a_configuration_error(app, client, make_tenant, caplog):
    """An agency switched off behind the settings' back (outside ``tenant apply`` and the admin):
    its categories are no longer offered, and filing in one anyway says so in the citizen's words,
    on the category field; the details go to the log for the operator."""
    from core.kit import OrgUnit, ValidationError
    from modules.complaints import services

    from .test_portal import post_form, url

    tenant = make_tenant(locales=["en", "id"])
    with app.app_context(), tenant_scope(tenant):
        db.session.execute(db.update(OrgUnit).where(OrgUnit.code == "PU").values(active=False))
        db.session.commit()
    form = client.get(url(tenant, "new")).get_data(as_text=True)
    assert 'value="SAMPAH"' in form and 'value="JALAN"' not in form
    response = post_form(client, tenant, category="JALAN")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="category-err"' in page
    assert "tenant" not in page.split('id="category-err"')[1][:300] and "agency 'PU'" not in page
    with app.app_context(), tenant_scope(tenant), pytest.raises(ValidationError) as caught:
        services.file_complaint(tenant, None, services.Filing(category="JALAN", description="Jalan berlubang besar",
                                                              phone="081234567890"), "api")
    assert caught.value.where == "category" and caught.value.code == "unknown_agency"
    assert "PU" not in caught.value.message and tenant.slug not in caught.value.message
    assert any("agency 'PU'" in record.getMessage() for record in caplog.records)


def test_a_city_with_many_categories_saves_through_the_form(app, client, make_tenant, create_user, login):
    """80 categories as rows post well over Flask's default of 1,000 fields."""
    tenant, url = _admin(make_tenant, create_user, login, client)
    many = {**SETTINGS, "categories": [
        {"code": f"K{i:03}", "name_id": f"Kategori {i}", "name_en": f"Category {i}", "agency": "DLH" if i % 2 else "PU",
         "keywords": [f"kata{i}"], "response_days": 3} for i in range(80)]}
    data = _form(app, many)
    assert len(data) > 1000
    response = client.post(url, data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert _stored(app, tenant)[0]["categories"] == many["categories"]
