"""``pamong clinic satusehat-send SLUG`` (brief cltrial 9): the tenant by its slug like every module's
command; bad input and a send that failed are one line ``error: ...``, exit 2 (the core's
``cli_tenant``/``cli_fail``); a send that went says how many."""
import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo

from cli import cli

from .test_satusehat_http import CLIENT_ID, CLIENT_SECRET, fake, outbox, tenant  # noqa: F401 (fixtures)


@pytest.fixture
def run(app):
    runner = CliRunner()
    return lambda *args: runner.invoke(cli, list(args), obj=ScriptInfo(create_app=lambda: app))


def test_a_send_that_went_says_how_many(app, run, tenant, fake):
    result = run("clinic", "satusehat-send", tenant.slug)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"{tenant.slug}: 1 sent, 0 failed"
    assert len(fake.bundles) == 1
    with app.app_context():
        assert outbox(tenant) == [("sent", 1)]


def test_a_send_that_failed_is_one_line_and_exit_2(app, run, tenant, fake):
    fake.refuse_tokens = True
    result = run("clinic", "satusehat-send", tenant.slug)
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"error: {tenant.slug}: 0 sent, 1 not sent: bundle #"), lines
    assert "HTTP 401" in lines[0] and CLIENT_SECRET not in result.output and CLIENT_ID not in result.output
    with app.app_context():
        assert outbox(tenant) == [("pending", 1)]  # the attempt counted, kept for the next send


@pytest.mark.parametrize("args, line", [
    (("no-such-tenant",), "error: tenant 'no-such-tenant' not found"),
])
def test_an_unknown_slug_is_one_line(run, args, line):
    result = run("clinic", "satusehat-send", *args)
    assert result.exit_code == 2 and result.output.strip().splitlines() == [line]


def test_the_help_names_the_slug(run):
    result = run("clinic", "satusehat-send", "--help")
    assert "Usage:" in result.output and "SLUG" in result.output and "SLUG: send the pending" in result.output
