"""``pamong tenant add``: an error found when checking the new tenant against the others (its parent,
its domains) names the option, like one found in the arguments alone (README: "one line naming ...
the argument")."""
import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo

from cli import cli
from core.testing import unique


@pytest.fixture
def run(app):
    runner = CliRunner()
    info = ScriptInfo(create_app=lambda: app)
    return lambda *args: runner.invoke(cli, list(args), obj=info)


def _add(run, slug, *extra):
    return run("tenant", "add", slug, "--name", "Kota X", "--kind", "city", "--timezone", "Asia/Jakarta", *extra)


@pytest.mark.parametrize("extra, line", [
    (("--parent", "jabar-nowhere"), "error: --parent: parent 'jabar-nowhere' does not exist"),
    (("--parent", "{city}"), "error: --parent: parent '{city}' is a city, not a province"),
    (("--domain", "{city}.example.test"), "error: --domain: domain '{city}.example.test' belongs to tenant '{city}'"),
])
def test_errors_from_the_checks_against_other_tenants_name_the_option(app, run, create_tenant, extra, line):
    city = create_tenant().slug
    slug = unique("opt")
    result = _add(run, slug, *(arg.format(city=city) for arg in extra))
    assert result.exit_code == 2
    lines = [text for text in result.stderr.splitlines() if text.strip()]
    assert lines == [line.format(city=city)]
    assert run("tenant", "show", slug).exit_code == 2  # nothing created


def test_tenant_set_names_the_expected_json_kind_with_its_article(app, run, create_tenant):
    slug = create_tenant(modules={"complaints": {}}).slug
    result = run("tenant", "set", slug, "complaints", "max_photos=abc")
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: modules.complaints.settings.max_photos: 'abc' is not JSON (an integer)"
