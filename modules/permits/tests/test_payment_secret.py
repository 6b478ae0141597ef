"""The payment callback's secret is only ever a reference ``env:NAME`` (issue 15): written in plain
text in the tenant file it leaked into the audit entry, ``tenant export`` and the admin form's field.
Now the secret itself is refused where it is written, one line naming the key, nothing stored."""
from __future__ import annotations

from click.testing import CliRunner
from flask.cli import ScriptInfo

from cli import cli
from core.tenant_secrets import reference_only
from core.testing import unique

from ..settings import SCHEMA
from .conftest import SECRET, SETTINGS
from .test_admin_pages import _error, _form, _stored, _url

PLAIN = "plaintextsecret"


def test_every_secret_setting_of_the_module_takes_a_reference_only():
    secrets = {k: sub for k, sub in SCHEMA["properties"].items() if sub.get("secret")}
    assert secrets and all(reference_only(sub) for sub in secrets.values())


def test_tenant_apply_refuses_the_secret_itself_in_one_line_naming_the_key(app, tmp_path):
    slug = unique("mks")
    path = tmp_path / f"{slug}.toml"
    path.write_text(f'slug = "{slug}"\nname = "Kota"\nkind = "city"\ntimezone = "Asia/Makassar"\n'
                    f'[modules.permits.settings]\npayment_secret = "{PLAIN}"\n')
    result = CliRunner().invoke(cli, ["tenant", "apply", str(path)], obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 2
    (line,) = [x for x in result.stderr.splitlines() if x.strip()]
    assert line.startswith(f"error: {path}: modules.permits.settings.payment_secret: is a secret: write a "
                           "reference env:NAME"), line
    assert PLAIN not in result.output + result.stderr
    listed = CliRunner().invoke(cli, ["tenant", "export", slug], obj=ScriptInfo(create_app=lambda: app))
    assert listed.exit_code != 0 and PLAIN not in listed.output   # nothing was written


def test_the_admin_form_refuses_the_secret_itself_and_never_shows_it(app, client, tenant, people, login,
                                                                    audit_entries):
    login(client, people["admin"], tenant)
    before, trail = _stored(app, tenant), audit_entries(tenant, "tenant.module.settings")
    bad = client.post(_url(tenant), data=_form(app, payment_secret=PLAIN))
    page = bad.get_data(as_text=True)
    message = _error(page, "payment_secret")
    assert bad.status_code == 400 and message.startswith("Rahasia callback pembayaran adalah rahasia") and \
        "env:NAMA" in message
    assert PLAIN not in page and SECRET not in page
    assert _stored(app, tenant) == before and audit_entries(tenant, "tenant.module.settings") == trail
    assert before["payment_secret"] == SETTINGS["payment_secret"] == "env:PAYMENT"
