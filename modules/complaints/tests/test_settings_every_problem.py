"""The module's own ``check_settings`` names every problem of a settings document at once (not the
first only): through the service (``Problems``), ``tenant apply`` (one line, exit 2) and the admin's
settings form (each at its field and in the summary); nothing is saved, nothing audited."""
import html

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo

from core.kit import Problems, change_module_settings

from .conftest import SETTINGS
from .test_settings_form import _admin, _error, _form, _stored

HERE = "modules.complaints.settings"
TWICE = [*SETTINGS["categories"], {**SETTINGS["categories"][0], "name_en": "Rubbish again"}]


def test_a_code_used_twice_and_an_unknown_default_are_both_refused(app, app_ctx, make_tenant):
    tenant = make_tenant()
    before = _stored(app, tenant)
    with pytest.raises(Problems) as refused:
        change_module_settings(tenant, "complaints", {"categories": TWICE, "default_category": "NOPE"}, "test")
    assert [(p.where, p.code) for p in refused.value.problems] == [
        (f"{HERE}.categories.2.code", "duplicate_category"), (f"{HERE}.default_category", "unknown_category")]
    assert _stored(app, tenant) == before


@pytest.fixture
def run(app):
    from cli import cli

    runner = CliRunner()
    info = ScriptInfo(create_app=lambda: app)
    return lambda *args: runner.invoke(cli, list(args), obj=info)


def test_tenant_apply_names_both_in_one_line_with_the_file(app, run, make_tenant, tmp_path):
    tenant = make_tenant()
    exported = run("tenant", "export", tenant.slug).output
    assert "default_category" in exported and "map_tile_url" in exported
    path = tmp_path / f"{tenant.slug}.toml"
    path.write_text(exported.replace('default_category = ""', 'default_category = "NOPE"')
                            .replace('map_tile_url = ""', 'map_tile_url = "https://tile.example.id/peta.png"'))
    before = _stored(app, tenant)
    result = run("tenant", "apply", str(path))
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip() and not line.startswith("Applying")]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: {path}: {HERE}.default_category: default_category 'NOPE'")
    assert f"; {path}: {HERE}.map_tile_url: must be a tile URL template" in lines[0]
    assert _stored(app, tenant) == before


def test_the_form_shows_both_at_their_fields_and_in_the_summary(app, client, make_tenant, create_user, login):
    tenant, url = _admin(make_tenant, create_user, login, client)
    before = _stored(app, tenant)
    response = client.post(url, data=_form(app, default_category="NOPE",
                                           map_tile_url="https://tile.example.id/peta.png"))
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert _error(page, "default_category") == "The category NOPE is not one of the categories above."
    assert _error(page, "map_tile_url").startswith("Give a tile URL template with {z}, {x} and {y}")
    assert 'href="#s-default_category">' in page and 'href="#s-map_tile_url">' in page
    assert _stored(app, tenant) == before  # the settings and the number of audited changes
