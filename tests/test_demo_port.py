"""``make demo PORT=...``: the port is checked before anything is printed (issue 19.5)."""
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from core.demo_port import PortError, check_port, main

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("raw", ["abc", "", "0", "-1", "65536", "50 50", "5e3", "５０５０"])
def test_a_value_that_is_not_a_port_is_named(raw):
    with pytest.raises(PortError) as exc:
        check_port(raw)
    assert str(exc.value).startswith(f"PORT: '{raw}' is not a port number (1 to 65535)")


def test_a_taken_port_is_named():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(PortError) as exc:
            check_port(str(port))
    assert str(exc.value) .startswith(f"PORT: port {port} on 127.0.0.1 is already in use")


def test_a_free_port_is_returned_as_a_number():
    port = _free_port()
    assert check_port(f" {port} ") == port
    assert check_port(str(port), where="--port") == port


def test_main_prints_one_line_and_exits_2(capsys):
    assert main(["demo_port.py", "abc"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == ["error: PORT: 'abc' is not a port number (1 to 65535), e.g. PORT=5050"]
    assert main(["demo_port.py", str(_free_port())]) == 0


def test_make_runs_it_with_the_standard_library_alone():
    # the Makefile runs it before the virtual environment exists: python3 -P core/demo_port.py
    done = subprocess.run([sys.executable, "-I", "-P", str(ROOT / "core" / "demo_port.py"), "abc"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.strip() == "error: PORT: 'abc' is not a port number (1 to 65535), e.g. PORT=5050"


@pytest.mark.parametrize("command", ["serve", "demo"])
def test_serve_and_demo_name_a_taken_port_before_anything_else(app, command):
    from click.testing import CliRunner
    from flask.cli import ScriptInfo

    from cli import cli

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, [command, "--port", str(port)], obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"error: --port: port {port} on 127.0.0.1 is already in use; pick another, e.g. --port {port + 1}"]
