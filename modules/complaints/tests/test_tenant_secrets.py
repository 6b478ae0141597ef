"""Secrets named by tenants (issue 10.11): ``env:NAME`` resolves only inside the tenant's own
namespace (``PAMONG_SECRET_<SLUG>__<NAME>``), a name that is not set is refused when the settings
are saved (tenant apply and the admin form), and a request whose secret has gone missing is
answered exactly as a wrong signature."""
import json
import re

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo

from cli import cli
from core.kit import ValidationError, db, tenant_scope
from core.tenant_secrets import NAME, env_name
from core.testing import unique

from .conftest import SETTINGS
from .test_channels import MESSAGE, chat


def _settings_row(tenant):
    from core.tenancy.models import TenantModule

    with tenant_scope(tenant):
        return db.session.execute(db.select(TenantModule).where(TenantModule.module == "complaints")).scalar_one()


def _form(settings):
    """The admin form's fields for a whole complaints settings document."""
    from core.admin.settings_form import kind_of

    from ..settings import SCHEMA

    whole = {key: sub["default"] for key, sub in SCHEMA["properties"].items()} | settings  # every field
    # lists and tables as JSON (the form takes that too); boxes ticked as the form posts them
    return {k: ([""] + [str(x) for x in v] if kind_of(SCHEMA["properties"][k]) == "choices"
                else json.dumps(v) if isinstance(v, (list, dict)) else str(v)) for k, v in whole.items()}


@pytest.fixture
def bandung_secret(monkeypatch):
    monkeypatch.setenv("PAMONG_SMS_SECRET_BANDUNG", "bandungs-own")
    monkeypatch.setenv("HOME", "/root")
    return "bandungs-own"


# -- refused when saved ---------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["env:PAMONG_SMS_SECRET_BANDUNG", "env:HOME", "env:NOT_SET_ANYWHERE"])
def test_tenant_apply_refuses_a_secret_outside_the_tenants_namespace(app, make_tenant, bandung_secret, value):
    slug = unique("mks")
    with pytest.raises(ValidationError) as caught:
        make_tenant(slug=slug, settings={**SETTINGS, "webhook_secret": value})
    assert caught.value.where == "test: modules.complaints.settings.webhook_secret"
    assert caught.value.code == "unknown_secret"
    assert f"PAMONG_SECRET_{slug.upper()}__{value[4:]}" in caught.value.message


def test_tenant_apply_cli_names_file_and_key(app, tmp_path, bandung_secret):
    slug = unique("mks")
    path = tmp_path / f"{slug}.toml"
    path.write_text(
        f'slug = "{slug}"\nname = "Kota"\nkind = "city"\ntimezone = "Asia/Makassar"\n'
        f'[modules.complaints.settings]\nwebhook_secret = "env:PAMONG_SMS_SECRET_BANDUNG"\n'
    )
    result = CliRunner().invoke(cli, ["tenant", "apply", str(path)], obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 2
    (line,) = [x for x in result.stderr.splitlines() if x.strip()]
    assert line.startswith(f"error: {path}: modules.complaints.settings.webhook_secret: secret ")
    malformed = path.read_text().replace("env:PAMONG_SMS_SECRET_BANDUNG", "env:bandung/../x")
    path.write_text(malformed)
    result = CliRunner().invoke(cli, ["tenant", "apply", str(path)], obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 2 and "is not a secret name" in result.stderr


def test_the_admin_form_refuses_another_tenants_secret(app, client, make_tenant, create_user, login, bandung_secret):
    tenant = make_tenant(locales=["en", "id"])
    login(client, create_user(tenant, "admin"), tenant)
    url = f"/t/{tenant.slug}/admin/modules/complaints/settings"
    for value in ("env:PAMONG_SMS_SECRET_BANDUNG", "env:HOME"):
        response = client.post(url, data=_form({**SETTINGS, "webhook_secret": value}))
        page = response.get_data(as_text=True)
        assert response.status_code == 400
        assert env_name(tenant.slug, value[4:]) in page  # what the operator must set, in this tenant's namespace
        assert re.search(r'class="field has-error">\s*<label for="s-webhook_secret"', page)
        assert f'value="{value}"' in page  # what they typed is shown again
        with app.app_context():
            assert _settings_row(tenant).settings["webhook_secret"] == SETTINGS["webhook_secret"]


# -- resolved in the tenant's namespace only ------------------------------------------------------

def test_a_secret_resolves_in_the_tenants_own_namespace(app, client, make_tenant, monkeypatch, bandung_secret):
    slug = unique("mks")
    monkeypatch.setenv(env_name(slug, "CHAT"), "makassars-own")
    tenant = make_tenant(slug=slug, settings={**SETTINGS, "webhook_secret": "env:CHAT"})
    assert chat(client, tenant, MESSAGE, secret="makassars-own").status_code == 201
    forged = chat(client, tenant, {**MESSAGE, "message_id": "wa-2"}, secret=bandung_secret)
    assert forged.status_code == 401


def test_a_missing_secret_answers_as_a_wrong_signature(app, client, make_tenant, monkeypatch):
    """No oracle: a request cannot tell a secret that went missing (or a row that names any
    variable) from a signature that is wrong."""
    slug = unique("mks")
    monkeypatch.setenv(env_name(slug, "CHAT"), "makassars-own")
    tenant = make_tenant(slug=slug, settings={**SETTINGS, "webhook_secret": "env:CHAT"})
    ts = "1700000000"
    wrong = chat(client, tenant, MESSAGE, secret="guess", ts=None)
    monkeypatch.delenv(env_name(slug, "CHAT"))
    missing = chat(client, tenant, MESSAGE, secret="guess", ts=None)
    assert (missing.status_code, missing.get_json()) == (wrong.status_code, wrong.get_json())
    assert wrong.status_code == 401
    stale_wrong = chat(client, tenant, MESSAGE, secret="guess", ts=ts)
    monkeypatch.setenv(env_name(slug, "CHAT"), "makassars-own")
    stale_set = chat(client, tenant, MESSAGE, secret="guess", ts=ts)
    assert (stale_set.status_code, stale_set.get_json()) == (stale_wrong.status_code, stale_wrong.get_json())
    # a row written around the checks (e.g. by hand in the database) still cannot reach HOME
    monkeypatch.setenv("HOME", "/home/somebody")
    with app.app_context(), tenant_scope(tenant):
        row = _settings_row(tenant)
        row.settings = {**row.settings, "webhook_secret": "env:HOME"}
        db.session.commit()
    home = chat(client, tenant, {**MESSAGE, "message_id": "wa-3"}, secret="/home/somebody")
    unset = chat(client, tenant, {**MESSAGE, "message_id": "wa-3"}, secret="guess")
    assert home.status_code == unset.status_code == 401
    assert home.get_json() == unset.get_json()


def test_namespaces_of_two_tenants_never_meet():
    """``kota`` naming ``BANDUNG__X`` cannot reach ``kota-bandung``'s ``X``: NAME has no double
    underscore, and the slug part ends in one."""
    assert env_name("kota-bandung", "X") == "PAMONG_SECRET_KOTA_BANDUNG__X"
    for name in ("BANDUNG__X", "_X", "X_", "bandung", "A-B", "", "X__"):
        assert not NAME.match(name)
    slugs = ["kota", "kota-bandung", "kota--bandung", "kota-", "ko", "kota-b"]
    names = ["X", "BANDUNG_X", "B", "BANDUNG", "A1_B2_C3"]
    seen = {}
    for slug in slugs:
        for name in names:
            variable = env_name(slug, name)
            assert seen.setdefault(variable, (slug, name)) == (slug, name), variable
            assert not variable.startswith("PAMONG_SMS_SECRET_") and variable != "PAMONG_SECRET_KEY"


# -- the secret itself is refused where it is written (the core's rule for every secret setting) --

PLAIN = "plaintextsecret"


def test_tenant_apply_refuses_the_webhook_secret_itself_in_one_line(app, tmp_path):
    slug = unique("mks")
    path = tmp_path / f"{slug}.toml"
    path.write_text(f'slug = "{slug}"\nname = "Kota"\nkind = "city"\ntimezone = "Asia/Makassar"\n'
                    f'[modules.complaints.settings]\nwebhook_secret = "{PLAIN}"\n')
    result = CliRunner().invoke(cli, ["tenant", "apply", str(path)], obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 2
    (line,) = [x for x in result.stderr.splitlines() if x.strip()]
    assert line.startswith(f"error: {path}: modules.complaints.settings.webhook_secret: is a secret: write a "
                           "reference env:NAME"), line
    assert PLAIN not in result.output + result.stderr


def test_the_admin_form_refuses_the_webhook_secret_itself_and_never_shows_it(app, client, make_tenant, create_user,
                                                                            login, audit_entries):
    tenant = make_tenant(locales=["en", "id"])
    login(client, create_user(tenant, "admin"), tenant)
    trail = audit_entries(tenant, "tenant.module.settings")
    response = client.post(f"/t/{tenant.slug}/admin/modules/complaints/settings",
                           data=_form({**SETTINGS, "webhook_secret": PLAIN}))
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and PLAIN not in page
    assert re.search(r'class="field has-error">\s*<label for="s-webhook_secret"', page)
    assert "Chat webhook secret is a secret: write a reference env:NAME" in page
    with app.app_context():
        assert _settings_row(tenant).settings["webhook_secret"] == SETTINGS["webhook_secret"]
    assert audit_entries(tenant, "tenant.module.settings") == trail


def test_a_secret_stored_in_place_before_the_rule_is_never_exported_nor_shown(app, client, make_tenant, create_user,
                                                                             login):
    tenant = make_tenant(locales=["en", "id"])
    with app.app_context(), tenant_scope(tenant):
        row = _settings_row(tenant)
        row.settings = {**row.settings, "webhook_secret": PLAIN}  # as a row written before the rule holds it
        db.session.commit()
    listed = CliRunner().invoke(cli, ["tenant", "export", tenant.slug], obj=ScriptInfo(create_app=lambda: app))
    assert listed.exit_code == 0 and PLAIN not in listed.output
    assert 'webhook_secret = "env:COMPLAINTS_WEBHOOK_SECRET"' in listed.output
    login(client, create_user(tenant, "admin"), tenant)
    page = client.get(f"/t/{tenant.slug}/admin/modules/complaints/settings").get_data(as_text=True)
    assert "s-webhook_secret" in page and PLAIN not in page
