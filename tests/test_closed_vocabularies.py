"""Closed vocabularies are closed (issue 9.5): API token scopes, time zones, role names, the agencies
a module's settings name. Each unknown value is refused where it is written, with one line naming
the argument / file key and the values that would do."""
import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo

from cli import cli
from core.api.scopes import known_scopes
from core.errors import ModuleError, ValidationError
from core.extensions import db
from core.kit import tenant_scope
from core.testing import unique


@pytest.fixture
def run(app):
    runner = CliRunner()
    info = ScriptInfo(create_app=lambda: app)
    return lambda *args: runner.invoke(cli, list(args), obj=info)


def _one_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    return lines[0]


# -- API token scopes -----------------------------------------------------------------------------

def test_token_create_refuses_an_undeclared_scope(app, run, create_tenant):
    from core.auth.models import ApiToken

    tenant = create_tenant()
    result = run("token", "create", tenant.slug, "--scope", "nosuch:scope", "--name", "ci")
    assert result.exit_code == 2
    line = _one_line(result.stderr)
    assert line.startswith("error: --scope: unknown scope 'nosuch:scope'")
    for known in ("tenant:read", "complaints:read", "complaints:write", "notes:read"):
        assert known in line
    with app.app_context(), tenant_scope(tenant):
        assert db.session.execute(db.select(ApiToken)).scalars().all() == []  # nothing half written
    ok = run("token", "create", tenant.slug, "--scope", "tenant:read", "--scope", "complaints:read", "--name", "ci")
    assert ok.exit_code == 0 and ok.output.startswith("pmg_")


def test_token_scopes_lists_what_a_token_may_carry(run):
    import json

    result = run("token", "scopes", "--json")
    assert result.exit_code == 0
    rows = json.loads(result.output)
    assert rows["complaints:write"]["module"] == "complaints" and rows["tenant:read"]["module"] == "core"
    assert rows["notes:read"]["module"] == "notes"


@pytest.mark.parametrize("scope", ["complaints:delete", "tenant:write", "notes:read ", "NOTES:READ", "*"])
def test_every_path_that_creates_a_token_checks_its_scopes(app, create_tenant, scope):
    from core.auth.service import create_token
    from core.tenancy.models import Tenant

    tenant = create_tenant()
    with app.app_context():
        with pytest.raises(ValidationError) as caught:
            create_token(db.session.get(Tenant, tenant.id), "x", ["tenant:read", scope], "test")
        db.session.rollback()
    assert caught.value.where == "--scope" and caught.value.code in ("unknown_scope", "validation_error")


def test_every_scope_an_endpoint_checks_is_declared(app):
    """Built-in modules and the core declare their scopes with the ``api_scopes`` hook."""
    manager = app.extensions["pamong"]
    with app.app_context():
        declared = set(manager.all_api_scopes())  # without the app: declarations only
        used = {view._pamong_permission[4:] for view in app.view_functions.values()
                if str(getattr(view, "_pamong_permission", "")).startswith("api:")}
        assert used and used <= declared, used - declared
        assert set(known_scopes()) == declared | used
        assert {"complaints:read", "complaints:write", "tenant:read"} <= declared


def test_a_module_declaring_a_malformed_scope_or_an_unknown_role_stops_start_up():
    from core.hookspecs import hookimpl
    from core.modules import ModuleManager

    class BadScope:
        @staticmethod
        @hookimpl
        def module_info():
            return {"name": "badscope"}

        @staticmethod
        @hookimpl
        def api_scopes():
            return [{"name": "no scope here"}]

    class BadRole:
        @staticmethod
        @hookimpl
        def module_info():
            return {"name": "badrole"}

        @staticmethod
        @hookimpl
        def permissions():
            return [{"name": "badrole.x", "description": "x", "roles": ["superadmin"]}]

    with pytest.raises(ModuleError, match="badscope"):
        ModuleManager(extra_plugins=[BadScope])
    with pytest.raises(ModuleError, match="unknown role 'superadmin'"):
        ModuleManager(extra_plugins=[BadRole])


# -- Time zones -----------------------------------------------------------------------------------

def test_tenant_add_refuses_a_zone_outside_indonesia(app, run):
    slug = unique("tz")
    result = run("tenant", "add", slug, "--name", "Kota X", "--kind", "city", "--timezone", "Asia/Tokyo")
    assert result.exit_code == 2
    line = _one_line(result.stderr)
    assert line.startswith("error: --timezone: ") and "Asia/Tokyo" in line
    assert "Asia/Jakarta (WIB)" in line and "Asia/Makassar (WITA)" in line and "Asia/Jayapura (WIT)" in line
    assert run("tenant", "show", slug).exit_code == 2  # not created
    nonsense = run("tenant", "add", slug, "--name", "Kota X", "--kind", "city", "--timezone", "Mars/Olympus")
    assert nonsense.exit_code == 2 and "unknown time zone 'Mars/Olympus'" in _one_line(nonsense.stderr)
    wrong_kind = run("tenant", "add", slug, "--name", "Kota X", "--kind", "village", "--timezone", "Asia/Jakarta")
    assert wrong_kind.exit_code == 2 and _one_line(wrong_kind.stderr).startswith("error: --kind: ")
    for zone in ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"):
        assert run("tenant", "add", unique("tz"), "--name", "K", "--kind", "city", "--timezone", zone).exit_code == 0


def test_a_tenant_file_with_a_foreign_zone_is_refused_naming_file_and_key(app, run, tmp_path):
    slug = unique("tzf")
    path = tmp_path / f"{slug}.toml"
    path.write_text(f'slug = "{slug}"\nname = "Kota"\nkind = "city"\ntimezone = "Asia/Tokyo"\n')
    result = run("tenant", "apply", str(path))
    assert result.exit_code == 2
    assert _one_line(result.stderr).startswith(f"error: {path}: timezone: time zone 'Asia/Tokyo' is not allowed")
    path.write_text(f'slug = "{slug}"\nname = "Kota"\nkind = "city"\ntimezone = "Asia/Makassar"\nlocales = ["id", "jv"]\n')
    result = run("tenant", "apply", str(path))
    assert result.exit_code == 2 and f"{path}: locales[1]: " in _one_line(result.stderr)


def test_the_deployment_may_allow_more_zones(app, run, monkeypatch):
    monkeypatch.setitem(app.config, "PAMONG_EXTRA_TIMEZONES", "Asia/Dili, Asia/Tokyo")
    slug = unique("tzx")
    assert run("tenant", "add", slug, "--name", "K", "--kind", "city", "--timezone", "Asia/Tokyo").exit_code == 0
    assert run("tenant", "add", unique("tzx"), "--name", "K", "--kind", "city", "--timezone", "Europe/Paris").exit_code == 2


def test_an_extra_zone_that_does_not_exist_stops_start_up(database_url, tmp_path):
    from core import create_app
    from core.tenancy.zones import parse_extra

    assert parse_extra(" Asia/Dili ,,") == ("Asia/Dili",)
    with pytest.raises(ValidationError) as caught:
        create_app({"DATABASE_URL": database_url, "SECRET_KEY": "x", "INSTANCE_DIR": str(tmp_path),
                    "PAMONG_EXTRA_TIMEZONES": "Asia/Dili,Asia/Atlantis"})
    assert str(caught.value) == "PAMONG_EXTRA_TIMEZONES: 'Asia/Atlantis' is not an IANA time zone (e.g. Asia/Dili)"


# -- Agencies named by a module's settings --------------------------------------------------------

def test_agencies_named_by_settings_are_checked_on_every_write(app, run, create_tenant):
    """Before, only the first enabling checked the complaints categories' agencies."""
    from core.tenancy import service
    from core.tenancy.models import Tenant

    category = {"code": "SAMPAH", "name_id": "Sampah", "name_en": "Rubbish", "agency": "DLH"}
    tenant = create_tenant(modules={"complaints": {"categories": [category]}})
    with app.app_context():
        row = db.session.get(Tenant, tenant.id)
        moved = {"categories": [{**category, "agency": "NOPE"}]}
        with pytest.raises(ValidationError, match="agency 'NOPE'"):
            service.enable_module(row, "complaints", "test", app.extensions["pamong"], settings=moved)
        db.session.rollback()
        contacts = {"categories": [category], "agency_contacts": {"DINSOS": {"email": "x@example.test"}}}
        with pytest.raises(ValidationError) as caught:
            service.enable_module(row, "complaints", "test", app.extensions["pamong"], settings=contacts)
        db.session.rollback()
    assert caught.value.where == "modules.complaints.settings.agency_contacts.DINSOS"
    assert "agency 'DINSOS' does not exist" in caught.value.message and "DLH" in caught.value.message


# -- A CLI settings change names what it changes (issue 10.12) ------------------------------------

def test_tenant_set_changes_only_the_named_settings(app, run, create_tenant):
    from core.audit import AuditEntry
    from core.tenancy.models import TenantModule

    tenant = create_tenant(modules={"notes": {"max_length": 99, "greeting": "Selamat pagi"}})
    result = run("tenant", "set", tenant.slug, "notes", "max_length=50")
    assert result.exit_code == 0, result.output
    with app.app_context(), tenant_scope(tenant):
        row = db.session.execute(db.select(TenantModule).where(TenantModule.module == "notes")).scalar_one()
        assert row.settings == {"max_length": 50, "greeting": "Selamat pagi"}  # the greeting is kept
        entry = db.session.execute(
            db.select(AuditEntry).where(AuditEntry.action == "tenant.module.settings")
        ).scalar_one()
        assert entry.summary["before"]["max_length"] == 99 and entry.summary["after"]["max_length"] == 50
    for args, where in [(["nosuch=1"], "modules.notes.settings.nosuch: unknown key"),
                        (["max_length=many"], "modules.notes.settings.max_length: 'many' is not JSON"),
                        (["max_length=100000"], "modules.notes.settings.max_length: 100000 is greater"),
                        (["max_length"], "PAIRS: 'max_length' is not KEY=VALUE")]:
        bad = run("tenant", "set", tenant.slug, "notes", *args)
        assert bad.exit_code == 2 and _one_line(bad.stderr).startswith(f"error: {where}"), bad.stderr
    fresh = create_tenant()
    bad = run("tenant", "set", fresh.slug, "notes", "max_length=50")  # never silently enables a module
    assert bad.exit_code == 2 and _one_line(bad.stderr).startswith("error: MODULE: ")


def test_role_grant_and_tenant_enable_list_what_is_known(app, run, create_tenant):
    tenant = create_tenant()
    bad = run("role", "grant", tenant.slug, "officer", "complaints.nosuch")
    line = _one_line(bad.stderr)
    assert bad.exit_code == 2 and line.startswith("error: PERMISSION: unknown permission 'complaints.nosuch'")
    assert "complaints.handle" in line and "core.admin" in line
    bad = run("role", "grant", tenant.slug, "mayor", "core.admin")
    assert bad.exit_code == 2 and "one of: citizen, officer, admin, auditor" in _one_line(bad.stderr)
    bad = run("tenant", "enable", tenant.slug, "nosuch")
    line = _one_line(bad.stderr)
    assert bad.exit_code == 2 and "unknown module 'nosuch'" in line and "complaints" in line and "notes" in line


def test_settings_of_a_disabled_module_are_audited_when_they_change(app, run, create_tenant, tmp_path):
    """``tenant apply`` with ``enabled = false`` used to overwrite the kept settings unrecorded."""
    from core.audit import AuditEntry

    tenant = create_tenant(modules={"notes": {"max_length": 99}})
    assert run("tenant", "disable", tenant.slug, "notes").exit_code == 0
    exported = run("tenant", "export", tenant.slug).output
    assert "max_length = 99" in exported
    path = tmp_path / f"{tenant.slug}.toml"
    path.write_text(exported.replace("max_length = 99", "max_length = 42"))
    assert run("tenant", "apply", str(path)).exit_code == 0
    assert run("tenant", "enable", tenant.slug, "notes").exit_code == 0
    with app.app_context(), tenant_scope(tenant):
        entries = db.session.execute(
            db.select(AuditEntry).where(AuditEntry.object_id == "notes").order_by(AuditEntry.id)
        ).scalars().all()
    changed = [e for e in entries if e.action == "tenant.module.settings"]
    assert len(changed) == 1
    assert changed[0].summary["before"]["max_length"] == 99 and changed[0].summary["after"]["max_length"] == 42
    assert entries[-1].action == "tenant.module.enable" and entries[-1].summary["after"]["settings"]["max_length"] == 42


def test_disabling_a_module_that_is_not_installed_stops_start_up():
    from core.modules import ModuleManager

    with pytest.raises(ModuleError) as caught:
        ModuleManager(disabled={"complaint"})  # misspelt: complaints would have kept running
    assert str(caught.value).startswith("PAMONG_MODULES_DISABLED: no installed module 'complaint' (installed: ")
    assert "complaints" in str(caught.value)
    assert "complaints" not in ModuleManager(disabled={"complaints"}).modules


def test_removing_an_agency_that_settings_still_name_is_refused(app, run, create_tenant, tmp_path):
    category = {"code": "SAMPAH", "name_id": "Sampah", "name_en": "Rubbish", "agency": "DLH"}
    tenant = create_tenant(modules={"complaints": {"categories": [category]}},
                           agencies=[{"code": "DLH", "name": "Dinas Lingkungan Hidup"}, {"code": "PU", "name": "PU"}])
    exported = run("tenant", "export", tenant.slug).output
    path = tmp_path / f"{tenant.slug}.toml"
    dlh = '    { code = "DLH", name = "Dinas Lingkungan Hidup" },\n'
    assert dlh in exported
    path.write_text(exported.replace(dlh, ""))
    result = run("tenant", "apply", str(path))
    assert result.exit_code == 2
    (line,) = [x for x in result.stderr.splitlines() if x.startswith("error:")]
    assert line.startswith(f"error: {path}: modules.complaints.settings.categories.0.agency: "
                           "the row with code 'SAMPAH' names agency 'DLH', which does not exist in tenant")
    assert dlh in run("tenant", "export", tenant.slug).output  # nothing changed
