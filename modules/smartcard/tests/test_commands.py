"""``pamong smartcard ...``: one line of one form and exit 2 on bad input, nothing written; each
help line names the arguments in the order of the usage."""
import pytest

import cli
from core.kit import db

from .. import services
from ..commands import smartcard_group
from .helpers import CARD, CARD2, NIK, SETTINGS


@pytest.fixture
def pamong(app, monkeypatch, capsys):
    """``pamong(*args) -> (exit status, stdout, stderr)``: ``pamong smartcard ARGS`` through the real
    entry point (its error lines), on the test app."""
    monkeypatch.setattr(cli, "_create_app", lambda: app)

    def run(*args):
        with pytest.raises(SystemExit) as done:
            cli.main(["smartcard", *args])
        out = capsys.readouterr()
        return done.value.code, out.out, out.err
    return run


def _one_error(result, command):
    code, out, err = result
    assert code == 2 and not out, result
    lines = err.strip().splitlines()
    # the module's errors in every module's form, Click's own naming the command
    assert len(lines) == 1 and lines[0].startswith(("error: ", f"error (pamong smartcard {command}): ")), result
    return lines[0]


def test_issue_replace_and_close_from_the_command_line(app, create_tenant, pamong):
    tenant = create_tenant(modules={"smartcard": SETTINGS})
    code, out, _ = pamong("issue", tenant.slug, CARD, "--name", "Andi", "--nik", NIK)
    assert code == 0 and "issued" in out
    assert "card" in _one_error(pamong("issue", tenant.slug, "123", "--name", "Andi"), "issue")
    _one_error(pamong("issue", tenant.slug, CARD2, "--name", "Andi", "--nik", "1234"), "issue")
    assert "tenant 'no-such-tenant' not found" in _one_error(pamong("issue", "no-such-tenant", CARD2), "issue")
    assert pamong("replace", tenant.slug, CARD, CARD2)[0] == 0
    code, out, _ = pamong("close", tenant.slug, CARD2, "pindah")
    assert code == 0 and "closed" in out
    with app.app_context():
        db.session.rollback()
        assert services.find_card(tenant, CARD).status == "replaced"
    assert "merchant" in _one_error(pamong("terminal", tenant.slug, "T1", "nope", "tok"), "terminal")
    assert "token" in _one_error(pamong("terminal", tenant.slug, "T1", "parkir-losari", "no-such-token"), "terminal")


def test_missing_and_bad_arguments_say_it_in_the_same_form(create_tenant, pamong):
    """Click's own usage errors and the card's errors are each one line, exit 2 (trial finding 21)."""
    tenant = create_tenant(modules={"smartcard": SETTINGS})
    assert "NEW_NUMBER" in _one_error(pamong("replace", tenant.slug, CARD), "replace")
    assert "card" in _one_error(pamong("replace", tenant.slug, CARD, CARD2), "replace")  # no such card
    assert "SLUG" in _one_error(pamong("block"), "block")
    assert "tenant 'no-such-tenant' not found" in _one_error(pamong("block", "no-such-tenant", CARD), "block")
    _one_error(pamong("unblock", tenant.slug, CARD, "extra"), "unblock")
    other = create_tenant(modules={})
    assert "not enabled" in _one_error(pamong("unblock", other.slug, CARD), "unblock")


def test_each_help_line_names_the_arguments_as_the_usage_does():
    for name, command in smartcard_group.commands.items():
        usage = " ".join(p.name.upper() if p.nargs == 1 else f"[{p.name.upper()}]"
                         for p in command.params if p.param_type_name == "argument")
        assert command.help.startswith(usage + ": "), (name, usage, command.help)


def test_link_from_the_command_line(app, create_tenant, pamong):
    tenant = create_tenant(modules={"smartcard": SETTINGS})
    assert pamong("issue", tenant.slug, CARD)[0] == 0
    for args in (["--name", "Andi"], ["--name", "Andi", "--nik", NIK, "--nip", "198503302010011002"],
                 ["--name", "Andi", "--nik", "1234"], ["--name", "", "--nik", NIK]):
        _one_error(pamong("link", tenant.slug, CARD, *args), "link")
    with app.app_context():
        db.session.rollback()
        assert services.find_card(tenant, CARD).holder_id is None
    code, out, _ = pamong("link", tenant.slug, CARD, "--name", "Andi", "--nik", NIK)
    assert code == 0 and "linked" in out
    with app.app_context():
        db.session.rollback()
        card = services.find_card(tenant, CARD)
        assert services.holder_of(tenant, card).registered
