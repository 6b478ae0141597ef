"""Every module's command answers bad input like the core's: one line ``error: ...``, exit 2
(``core.kit.cli_fail`` / ``cli_tenant``)."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo

from cli import cli

UNKNOWN = [
    ("smartcard", "issue", "no-such-tenant", "6032000000000001"),
    ("remuneration", "run", "no-such-tenant", "2026-03"),
    ("clinic", "satusehat-send", "no-such-tenant"),
    ("tenant", "export", "no-such-tenant"),  # the core's own, for the same line
]


@pytest.fixture
def run(app):
    runner = CliRunner()
    return lambda *args: runner.invoke(cli, list(args), obj=ScriptInfo(create_app=lambda: app))


@pytest.mark.parametrize("args", UNKNOWN, ids=lambda a: a[0])
def test_an_unknown_tenant_is_the_same_one_line_everywhere(run, args):
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert result.output.strip().splitlines() == ["error: tenant 'no-such-tenant' not found"]


def test_a_tenant_without_the_module_is_named(run, create_tenant):
    tenant = create_tenant(modules={})
    result = run("clinic", "satusehat-send", tenant.slug)
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [f"error: tenant '{tenant.slug}' has not enabled the clinic module"]
