"""Every error of a settings form in one pass (issue 19.3 with 20.7): a value out of range no longer
hides a reference to an agency the tenant does not have. The references (``"x-ref"``) are checked on
whatever parts are well-formed, beside the schema's errors, each on its field; nothing is saved.
``tenant apply`` and ``tenant set`` keep giving the first error in one line (exit 2)."""
import json

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo

from .conftest import SETTINGS
from .test_settings_form import _admin, _error, _form, _stored


def test_a_value_out_of_range_and_an_unknown_agency_are_both_shown(app, client, make_tenant, create_user, login):
    tenant, url = _admin(make_tenant, create_user, login, client)
    before, _ = _stored(app, tenant)
    response = client.post(url, data=_form(app, reopen_days="99", **{"categories.1.agency": "NOPE"}))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert _error(page, "reopen_days") == "At most 90."
    agency = _error(page, "categories.1.agency")
    assert "NOPE" in agency and "DLH, PU" in agency and "tenant '" not in agency
    # both in the summary at the top, each linking to its field
    assert 'href="#s-reopen_days">' in page and 'href="#s-categories.1.agency">' in page
    assert _stored(app, tenant) == (before, 0)


def test_errors_in_the_same_row_and_in_a_table_of_codes_are_all_shown(app, client, make_tenant, create_user,
                                                                     login):
    tenant, url = _admin(make_tenant, create_user, login, client)
    before, _ = _stored(app, tenant)
    response = client.post(url, data=_form(app, max_photos="many", **{
        "categories.1.resolution_days": "0", "categories.1.agency": "NOPE",  # one row, two problems
        "agency_contacts.0.__key": "GONE", "categories.0.name_en": ""}))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert _error(page, "max_photos") == "Write a whole number."  # could not be read
    assert _error(page, "categories.1.resolution_days") == "At least 1."
    assert "NOPE" in _error(page, "categories.1.agency")
    assert "GONE" in _error(page, "agency_contacts.0.__key")
    assert _error(page, "categories.0.name_en") == "Required."
    assert _stored(app, tenant) == (before, 0)


def test_a_code_the_schema_refuses_gets_only_the_schema_message(app, client, make_tenant, create_user, login):
    tenant, url = _admin(make_tenant, create_user, login, client)
    response = client.post(url, data=_form(app, reopen_days="-1", **{"categories.1.agency": "no such!"}))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert _error(page, "reopen_days") == "At least 0."
    assert _error(page, "categories.1.agency") == "Not in the expected form."  # not also "there is no agency"
    assert _stored(app, tenant)[1] == 0


def test_on_an_indonesian_page_both_are_in_indonesian(app, client, make_tenant, create_user, login):
    tenant, url = _admin(make_tenant, create_user, login, client, locales=("id", "en"))
    before, _ = _stored(app, tenant)
    response = client.post(url, data=_form(app, reopen_days="99", **{"categories.1.agency": "NOPE"}))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert _error(page, "reopen_days") == "Paling besar 90."
    agency = _error(page, "categories.1.agency")
    assert agency == "Tidak ada perangkat daerah dengan kode NOPE di tenant ini (kode yang ada: DLH, PU)."
    assert _stored(app, tenant) == (before, 0)


def test_advanced_json_shows_the_range_and_the_reference_on_the_list(app, client, make_tenant, create_user, login):
    tenant, url = _admin(make_tenant, create_user, login, client)
    data = _form(app, _advanced="1")
    for key in [k for k in data if k.startswith("categories.")]:
        del data[key]
    data["categories"] = json.dumps([{"code": "X", "name_id": "X", "name_en": "X", "agency": "NOPE",
                                      "resolution_days": 0}])
    page = client.post(url, data=data).get_data(as_text=True)
    message = _error(page, "categories")
    assert "1.resolution_days: At least 1." in message and "1.agency: " in message and "NOPE" in message
    assert _stored(app, tenant)[1] == 0


def test_the_check_outside_a_request_names_every_missing_code(app, make_tenant):
    """``core.settings.reference_errors``: every unknown code with its path, in the document's order
    (``check_references`` raises the first, as ``tenant apply`` has always done)."""
    from core.kit import ValidationError
    from core.settings import check_references, reference_errors
    from modules.complaints.settings import SCHEMA

    tenant = make_tenant()
    settings = {**SETTINGS, "categories": [{**SETTINGS["categories"][0], "agency": "A1"},
                                           {**SETTINGS["categories"][1], "agency": "PU"},
                                           {**SETTINGS["categories"][1], "code": "X", "agency": "A2"}],
                "agency_contacts": {"DLH": {"email": "a@example.test"}, "B1": {"phone": "0812"}}}
    with app.app_context():
        found = list(reference_errors(tenant, SCHEMA, settings, "modules.complaints.settings"))
        assert [(path, ref) for path, ref, _error in found] == [
            (("categories", 0, "agency"), "x-ref"), (("categories", 2, "agency"), "x-ref"),
            (("agency_contacts", "B1"), "x-ref-keys")]
        assert [e.where for _p, _r, e in found] == ["modules.complaints.settings.categories.0.agency",
                                                    "modules.complaints.settings.categories.2.agency",
                                                    "modules.complaints.settings.agency_contacts.B1"]
        assert all(e.code == "unknown_agency" for _p, _r, e in found)
        assert "the row with code 'X' names agency 'A2'" in found[1][2].message
        with pytest.raises(ValidationError) as caught:
            check_references(tenant, SCHEMA, settings, "modules.complaints.settings")
        assert caught.value.where == found[0][2].where
        assert list(reference_errors(tenant, SCHEMA, SETTINGS, "x")) == []


@pytest.fixture
def run(app):
    from cli import cli

    runner = CliRunner()
    info = ScriptInfo(create_app=lambda: app)
    return lambda *args: runner.invoke(cli, list(args), obj=info)


def _one_line(result) -> str:
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip() and not line.startswith("Applying")]
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_tenant_apply_and_set_still_give_the_first_error_in_one_line(app, run, make_tenant, tmp_path):
    tenant = make_tenant()
    exported = run("tenant", "export", tenant.slug).output
    assert 'agency = "PU"' in exported and "reopen_days = 7" in exported
    path = tmp_path / f"{tenant.slug}.toml"
    path.write_text(exported.replace('agency = "PU"', 'agency = "NOPE"').replace("reopen_days = 7", "reopen_days = 99"))
    before = _stored(app, tenant)
    line = _one_line(run("tenant", "apply", str(path)))
    assert line.startswith(f"error: {path}: modules.complaints.settings.reopen_days: ")
    assert _stored(app, tenant) == before
    path.write_text(exported.replace('agency = "PU"', 'agency = "NOPE"'))  # the range fixed: the agency next
    line = _one_line(run("tenant", "apply", str(path)))
    assert line.startswith(f"error: {path}: modules.complaints.settings.categories.1.agency: ") and "NOPE" in line
    assert _stored(app, tenant) == before
    categories = json.dumps([{**SETTINGS["categories"][0], "agency": "NOPE"}])
    line = _one_line(run("tenant", "set", tenant.slug, "complaints", "reopen_days=99", f"categories={categories}"))
    assert "modules.complaints.settings.reopen_days" in line
    line = _one_line(run("tenant", "set", tenant.slug, "complaints", f"categories={categories}"))
    assert "modules.complaints.settings.categories.0.agency" in line and "NOPE" in line
    assert _stored(app, tenant) == before
