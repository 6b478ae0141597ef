"""`pamong tenant ...`: apply, export, bad input (exit 2, one line, nothing changed)."""
import json
import subprocess
import sys

import pytest
import tomllib
from click.testing import CliRunner
from flask.cli import ScriptInfo

from cli import cli
from core.testing import unique

GOOD = """
slug = "{slug}"
name = "Kabupaten {slug}"
kind = "regency"
timezone = "Asia/Jayapura"
domains = ["{slug}.example.test"]
locales = ["id", "en"]
[branding]
primary_color = "#224466"
[[agencies]]
code = "DLH"
name = "Dinas Lingkungan Hidup"
[[districts]]
code = "D1"
name = "Distrik Satu"
villages = [{{ code = "V1", name = "Kampung Satu" }}]
[modules.notes]
enabled = true
settings = {{ max_length = 200 }}
"""


@pytest.fixture
def run(app):
    runner = CliRunner()
    info = ScriptInfo(create_app=lambda: app)

    def invoke(*args, input=None):
        return runner.invoke(cli, list(args), obj=info, input=input)

    return invoke


def _write(tmp_path, name, body):
    path = tmp_path / name
    path.write_text(body)
    return path


def _tenant_json(run, slug):
    result = run("tenant", "show", slug, "--json")
    return json.loads(result.output) if result.exit_code == 0 else None


def test_apply_then_export_round_trips(run, tmp_path):
    slug = unique("rt")
    path = _write(tmp_path, f"{slug}.toml", GOOD.format(slug=slug))
    result = run("tenant", "apply", str(path))
    assert result.exit_code == 0, result.output
    exported = run("tenant", "export", slug)
    assert exported.exit_code == 0
    doc = tomllib.loads(exported.output)
    assert doc["timezone"] == "Asia/Jayapura"
    assert doc["districts"][0]["villages"] == [{"code": "V1", "name": "Kampung Satu"}]
    assert doc["modules"]["notes"] == {"enabled": True, "settings": {"max_length": 200, "greeting": "Halo"}}
    again = _write(tmp_path, "again.toml", exported.output)
    assert run("tenant", "apply", str(again)).exit_code == 0
    assert run("tenant", "export", slug).output == exported.output
    assert _tenant_json(run, slug)["modules"] == ["notes"]


BAD = [
    ("malformed", 'slug = "{slug}"\nname = ', "malformed TOML"),
    ("unknown key", GOOD + 'colour = "red"\n', "colour: unknown key"),
    ("wrong type", GOOD.replace('locales = ["id", "en"]', 'locales = "id"'), "locales"),
    ("unknown zone", GOOD.replace("Asia/Jayapura", "Asia/Atlantis"), "timezone: unknown time zone"),
    ("missing parent", GOOD.replace('kind = "regency"', 'kind = "regency"\nparent = "nowhere"'), "parent: parent 'nowhere' does not exist"),
    ("unknown module", GOOD.replace("[modules.notes]", "[modules.nosuch]"), "modules.nosuch: unknown module 'nosuch'"),
    ("bad settings", GOOD.replace("max_length = 200", "max_length = 9999"), "modules.notes.settings.max_length"),
    ("bad settings type", GOOD.replace("max_length = 200", 'max_length = "long"'), "modules.notes.settings.max_length"),
    ("unknown setting", GOOD.replace("max_length = 200", "colour = 1"), "modules.notes.settings: unknown key"),
    ("bad colour", GOOD.replace("#224466", "blue"), "branding.primary_color"),
    ("duplicate agency", GOOD.replace('[[districts]]', '[[agencies]]\ncode = "DLH"\nname = "Lagi"\n[[districts]]'), "agencies: code 'DLH' is used twice"),
]


@pytest.mark.parametrize("label, body, message", BAD, ids=[b[0] for b in BAD])
def test_bad_files_fail_with_one_line_and_change_nothing(run, tmp_path, label, body, message):
    slug = unique("bad")
    good = _write(tmp_path, "aaa-good.toml", GOOD.format(slug=slug + "g"))
    bad = _write(tmp_path, "bad.toml", body.format(slug=slug) if "{slug}" in body else body)
    result = run("tenant", "apply", str(good), str(bad))
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and str(bad) in lines[0], result.stderr
    assert message in lines[0], lines[0]
    assert _tenant_json(run, slug + "g") is None  # the good file of the batch was not applied either


def test_parent_must_be_a_province(run, tmp_path):
    city = unique("city")
    assert run("tenant", "add", city, "--name", "Kota", "--kind", "city", "--timezone", "Asia/Jakarta").exit_code == 0
    child = unique("child")
    result = run("tenant", "add", child, "--name", "X", "--kind", "city", "--timezone", "Asia/Jakarta", "--parent", city)
    assert result.exit_code == 2 and f"parent '{city}' is a city, not a province" in result.stderr


def test_duplicate_slug_and_domain_in_one_batch(run, tmp_path):
    slug = unique("dup")
    one = _write(tmp_path, "one.toml", GOOD.format(slug=slug))
    two = _write(tmp_path, "two.toml", GOOD.format(slug=slug))
    result = run("tenant", "apply", str(one), str(two))
    assert result.exit_code == 2 and "is also defined in" in result.stderr
    other = unique("dom")
    three = _write(tmp_path, "three.toml", GOOD.format(slug=other).replace(f"{other}.example.test", f"{slug}.example.test"))
    result = run("tenant", "apply", str(one), str(three))
    assert result.exit_code == 2 and f"domain '{slug}.example.test' is also claimed by" in result.stderr
    assert _tenant_json(run, slug) is None


def test_domain_owned_by_another_tenant(run, tmp_path):
    first = unique("own")
    assert run("tenant", "apply", str(_write(tmp_path, "f.toml", GOOD.format(slug=first)))).exit_code == 0
    second = unique("thief")
    body = GOOD.format(slug=second).replace(f"{second}.example.test", f"{first}.example.test")
    result = run("tenant", "apply", str(_write(tmp_path, "s.toml", body)))
    assert result.exit_code == 2 and f"belongs to tenant '{first}'" in result.stderr


def test_province_and_its_city_in_one_batch(run, tmp_path):
    prov, city = unique("prov"), unique("kota")
    province = GOOD.format(slug=prov).replace('kind = "regency"', 'kind = "province"')
    child = GOOD.format(slug=city).replace('kind = "regency"', f'kind = "city"\nparent = "{prov}"')
    # the child's file sorts first: apply orders parents before children
    result = run("tenant", "apply", str(_write(tmp_path, "a.toml", child)), str(_write(tmp_path, "b.toml", province)))
    assert result.exit_code == 0, result.output
    assert _tenant_json(run, city)["parent"] == prov


def test_enable_disable_and_list(run, create_tenant):
    tenant = create_tenant()
    assert run("tenant", "enable", tenant.slug, "notes").exit_code == 0
    assert _tenant_json(run, tenant.slug)["modules"] == ["notes"]
    assert run("tenant", "disable", tenant.slug, "notes").exit_code == 0
    assert _tenant_json(run, tenant.slug)["modules"] == []
    bad = run("tenant", "enable", tenant.slug, "nosuch")
    assert bad.exit_code == 2 and "unknown module 'nosuch'" in bad.stderr
    listed = json.loads(run("tenant", "list", "--json").output)
    assert tenant.slug in [t["slug"] for t in listed]
    modules = json.loads(run("module", "list", "--json").output)
    assert {"name": "notes", "title": "Notes", "version": "1.0", "requires": [], "source": "test"} in modules


def test_unreachable_database_is_one_line_exit_2(tmp_path):
    env = {"PAMONG_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none", "PAMONG_INSTANCE": str(tmp_path),
           "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", "import cli; cli.main()", "tenant", "list"],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: PAMONG_DATABASE_URL: cannot reach the database")


def test_usage_errors_are_one_line_exit_2(tmp_path):
    env = {"PAMONG_INSTANCE": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", "import cli; cli.main()", "tenant", "add", "x"],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "--name" in lines[0], result.stderr
