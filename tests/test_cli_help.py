"""``pamong --help`` and ``--version``: Pamong's own commands, fast, and no app created (issue 19.4)."""
import inspect
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from cli import COMMANDS

ROOT = Path(__file__).resolve().parents[1]
FLASK_OWN = ("run", "shell", "routes", "limiter")


def _probe(args: list[str]) -> subprocess.CompletedProcess:
    """Run the CLI in a fresh interpreter whose create_app raises; report what was imported."""
    code = (
        "import sys\n"
        "import cli\n"
        "def boom(*a, **k):\n"
        "    raise SystemExit('create_app was called')\n"
        "cli._create_app = boom\n"
        "try:\n"
        f"    cli.main({args!r})\n"
        "except SystemExit as exc:\n"
        "    code = exc.code\n"
        "print('IMPORTED core.app' if 'core.app' in sys.modules else 'NOT IMPORTED core.app')\n"
        "sys.exit(code)\n"
    )
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PAMONG_DATABASE_URL": "sqlite:////nonexistent/dir/x.db"}, timeout=120)


def test_help_lists_pamongs_commands_and_imports_no_app():
    done = _probe(["--help"])
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "NOT IMPORTED core.app" in out  # nothing of the kit is imported, so no app is made
    commands = out.split("Commands:", 1)[1]
    listed = [line.split()[0] for line in commands.splitlines() if line.startswith("  ") and not line.startswith("   ")]
    for name in ("tenant", "db", "demo", "audit", "user", "dev"):
        assert name in listed
    for name in FLASK_OWN:
        assert name not in listed
    assert "--app" not in out and "--env-file" not in out
    assert COMMANDS["tenant"][2] in " ".join(commands.split())


def test_version_prints_pamong_and_each_module_without_creating_the_app(monkeypatch):
    from importlib.metadata import version

    import core

    def boom(*args, **kwargs):
        raise AssertionError("create_app was called for --version")

    monkeypatch.setattr(core, "create_app", boom)
    result = CliRunner().invoke(cli.cli, ["--version"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"pamong {version('pamong')}"
    assert ["complaints", dict(cli.module_versions())["complaints"]] in [line.split() for line in lines[1:]]
    assert sorted(line.split()[0] for line in lines[1:]) == cli.installed_module_names()


def test_version_in_a_fresh_interpreter_does_not_call_create_app():
    done = _probe(["--version"])
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("pamong ") and "complaints" in done.stdout
    assert "create_app was called" not in done.stdout + done.stderr


def test_a_command_still_creates_the_app():
    done = _probe(["tenant", "list"])  # the probe's create_app raises: so the command did ask for it
    assert "create_app was called" in done.stderr


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_listed_help_is_the_commands_own(name):
    import importlib

    module, attr, line = COMMANDS[name]
    command = getattr(importlib.import_module(module), attr)
    own = " ".join(inspect.cleandoc(command.help or "").split("\n\n")[0].split())
    assert own == line
    assert command.name == name


def test_flasks_commands_are_under_dev():
    from core.commands.dev import dev_group

    params = {p.name for p in dev_group.params}
    assert not {"app", "env_file"} & params
    assert {"run", "shell", "routes"} <= set(dev_group.commands)


def test_an_unknown_command_is_one_line_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["no-such-command"])
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no-such-command" in err[0]


def test_a_module_without_commands_of_its_own_is_said_so_in_one_line(capsys, monkeypatch):
    """``pamong --help`` names the installed modules; one that adds no commands is not "no such command"."""
    monkeypatch.setattr(cli, "installed_module_names", lambda: ["quietmodule"])
    with pytest.raises(SystemExit) as exc:
        cli.main(["quietmodule", "list"])
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "quietmodule module has no commands of its own" in err[0]
    for asked in (["quietmodule", "--help"], ["quietmodule", "-h"]):  # asking for help is not an error
        with pytest.raises(SystemExit) as exc:
            cli.main(asked)
        assert exc.value.code == 0
        out = capsys.readouterr()
        assert out.err == "" and out.out.strip() == "The quietmodule module has no commands of its own (its pages and API do its work)."
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    assert "Installed modules: quietmodule. A module with commands of its own" in " ".join(capsys.readouterr().out.split())


@pytest.mark.parametrize("args", [[], ["tenant"]])
def test_a_group_alone_shows_its_help(capsys, args):
    with pytest.raises(SystemExit) as exc:
        cli.main(args)
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Usage: pamong {' '.join(args)}".rstrip() + " [OPTIONS] COMMAND")
