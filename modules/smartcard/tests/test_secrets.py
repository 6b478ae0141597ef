"""The callbacks' secrets are only ever references ``env:NAME``: the secret itself written into the
settings is refused where it is written (the core's rule for every ``"secret": true`` setting)."""
import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo

from cli import cli
from core.kit import ValidationError
from core.testing import unique

from .helpers import SETTINGS

PLAIN = "plaintextsecret"


@pytest.mark.parametrize("key", ["bank_secret", "qris_secret"])
def test_the_secret_itself_is_refused_naming_the_key(app, create_tenant, key):
    with pytest.raises(ValidationError) as caught:
        create_tenant(modules={"smartcard": {**SETTINGS, key: PLAIN}})
    assert caught.value.where == f"test: modules.smartcard.settings.{key}"
    assert caught.value.code == "secret_literal" and PLAIN not in caught.value.message


def test_tenant_apply_refuses_it_in_one_line_exit_2(app, tmp_path):
    slug = unique("mks")
    path = tmp_path / f"{slug}.toml"
    path.write_text(f'slug = "{slug}"\nname = "Kota"\nkind = "city"\ntimezone = "Asia/Makassar"\n'
                    f'[modules.smartcard.settings]\nqris_secret = "{PLAIN}"\n')
    result = CliRunner().invoke(cli, ["tenant", "apply", str(path)], obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 2
    (line,) = [x for x in result.stderr.splitlines() if x.strip()]
    assert line.startswith(f"error: {path}: modules.smartcard.settings.qris_secret: is a secret"), line
    assert PLAIN not in result.output + result.stderr
