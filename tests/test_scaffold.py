"""``pamong module new`` (issue 3): what the template renders works without edits, in the source
tree and as its own pip package, and bad input exits 2 and writes nothing.

CI runs this file with every ``make test``: it renders cookiecutter-module/ into temporary
folders and runs the rendered module's own tests in a subprocess, so the template cannot rot.
On PostgreSQL those runs get a scratch database of their own (``<db>_render``): the fixtures
reset the schema of the database they are given, which must not be this session's.
"""
from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from cli import main
from core.config import ROOT

# a name no real module will take, so the tree's own modules never clash with the render
NAME, TITLE_ID, TITLE_EN = "rendered_example", "Contoh Hasil Render", "Rendered Example"
PYTHON = sys.executable
MODULE_FILES = [
    "__init__.py", "models.py", "services.py", "views.py", "api.py", "forms.py",
    f"templates/{NAME}/index.html", f"templates/{NAME}/create.html",
    f"translations/id/LC_MESSAGES/{NAME}.po", f"translations/en/LC_MESSAGES/{NAME}.po",
    "tests/__init__.py", "tests/test_services.py", "tests/test_pages.py", "tests/test_api.py",
    "tests/test_isolation.py",
]


def run(args, cwd, env, check=True) -> subprocess.CompletedProcess:
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    if check and done.returncode != 0:
        command = " ".join(map(str, args))
        pytest.fail(f"{command} exited {done.returncode}:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}")
    return done


def assert_tests_passed(done: subprocess.CompletedProcess, postgres: bool) -> None:
    summary = done.stdout.strip().splitlines()[-1]
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "failed" not in summary and "error" not in summary, summary
    # the template's 17 tests, on SQLite and (when configured) on PostgreSQL: 1 is PostgreSQL's only
    assert int(re.search(r"(\d+) passed", summary).group(1)) >= (33 if postgres else 16), summary


@pytest.fixture(scope="module")
def render_database():
    """A scratch PostgreSQL database for the rendered module's tests (None: SQLite only)."""
    url = os.environ.get("PAMONG_TEST_DATABASE_URL")
    if not url:
        yield None
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from core.config import normalise_db_url

    base = make_url(normalise_db_url(url))
    name = f"{base.database}_render"
    assert re.match(r"^[a-z_][a-z0-9_]*$", name), name
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield base.set(database=name).render_as_string(hide_password=False)
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        engine.dispose()


@pytest.fixture
def env(tmp_path, render_database):
    """The environment of every subprocess: its own instance folder and SQLite file."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "PAMONG_DATABASE"))}
    env.pop("PYTHONPATH", None)
    env["PAMONG_INSTANCE"] = str(tmp_path / "instance")
    env.pop("PAMONG_TEST_DATABASE_URL", None)
    if render_database:
        env["PAMONG_TEST_DATABASE_URL"] = render_database
    return env


# -- Bad input: exit 2, one line, nothing written -------------------------------------------------

@pytest.mark.parametrize("args, message", [
    (["Library"], "error: NAME: 'Library' is not a valid module name"),
    (["9lives"], "error: NAME: '9lives' is not a valid module name"),
    (["e-office"], "error: NAME: 'e-office' is not a valid module name"),
    (["x" * 31], f"error: NAME: '{'x' * 31}' is not a valid module name"),
    (["class"], "error: NAME: 'class' is a reserved word"),
    (["messages"], "error: NAME: 'messages' is a reserved word"),
    (["admin"], "error: NAME: 'admin' is a reserved word"),  # the core's /admin/
    (["login"], "error: NAME: 'login' is a reserved word"),  # the core's /login
    ([NAME, "--licence", "Proprietary"], "error: --licence: 'Proprietary' is not an SPDX licence expression"),
    ([NAME, "--title-en", 'Say "hi"'], "error: --title-en: must be 1 to 120 characters"),
])
def test_bad_input_exits_2_with_one_line_and_writes_nothing(args, message, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PAMONG_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.delenv("PAMONG_DATABASE_URL", raising=False)
    modules_before = sorted(p.name for p in (ROOT / "modules").iterdir())
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as exit_:
        main(["module", "new", *args, "--standalone", str(out)])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1, err
    assert not out.exists()
    assert sorted(p.name for p in (ROOT / "modules").iterdir()) == modules_before


@pytest.mark.parametrize("kind", ["not empty", "a file"])
def test_an_output_folder_in_the_way_exits_2_and_is_left_as_it_was(kind, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PAMONG_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.delenv("PAMONG_DATABASE_URL", raising=False)
    out = tmp_path / "out"
    if kind == "a file":
        out.write_text("keep me")
    else:
        out.mkdir()
        (out / "notes.txt").write_text("keep me")
    with pytest.raises(SystemExit) as exit_:
        main(["module", "new", NAME, "--standalone", str(out)])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {out}: ") and err.count("\n") == 1, err
    if kind == "a file":
        assert out.read_text() == "keep me"
    else:
        assert [p.name for p in out.iterdir()] == ["notes.txt"]


# -- In the source tree: modules/NAME, tested like every built-in module ---------------------------

def copy_of_the_tree(dest: Path) -> Path:
    """A checkout-like copy of this source tree, so rendering never touches the real modules/."""
    skip = shutil.ignore_patterns(".git", ".venv", "instance", "__pycache__", ".pytest_cache", "*.egg-info",
                                  ".hypothesis", "node_modules", "bench")
    shutil.copytree(ROOT, dest, ignore=skip)
    return dest


def test_in_tree_module_renders_and_its_own_tests_pass(tmp_path, env):
    tree = copy_of_the_tree(tmp_path / "tree")
    # the subprocesses import the copy's core (python -m puts the working folder first)
    root = run([PYTHON, "-c", "from core.config import ROOT; print(ROOT)"], tree, env).stdout.strip()
    assert root == str(tree)
    done = run([PYTHON, "-m", "cli", "module", "new", NAME, "--title-id", TITLE_ID, "--title-en", TITLE_EN],
               tree, env)
    assert done.stdout.startswith(f"created modules/{NAME}\n")
    module = tree / "modules" / NAME
    for name in MODULE_FILES:
        assert (module / name).is_file(), name
    assert not (module / "pyproject.toml").exists()
    assert not [p for p in (tree / "modules").iterdir() if p.name.startswith(".")]  # no scratch left
    (migration,) = (module / "migrations" / "versions").glob(f"*_create_{NAME}_entries.py")
    assert re.match(r"^\d{8}_\d{4}_[0-9a-f]{12}_create_", migration.name)
    assert f'branch_labels = ("{NAME}",)' in migration.read_text()
    assert f'msgid "{TITLE_EN}"\nmsgstr "{TITLE_ID}"' in (module / f"translations/id/LC_MESSAGES/{NAME}.po").read_text()

    again = run([PYTHON, "-m", "cli", "module", "new", NAME], tree, env, check=False)
    assert again.returncode == 2
    assert again.stderr == f"error: NAME: a module named '{NAME}' is already installed (builtin)\n"

    tests = run([PYTHON, "-m", "pytest", "-p", "no:cacheprovider", f"modules/{NAME}"], tree, env, check=False)
    assert_tests_passed(tests, postgres="PAMONG_TEST_DATABASE_URL" in env)


# -- As its own pip package: installed beside Pamong, found through the entry point ---------------

def throwaway_venv(path: Path) -> Path:
    """A venv that sees this environment's packages (Pamong included) and installs into itself."""
    run([PYTHON, "-m", "venv", "--without-pip", path], ROOT, os.environ)
    python = path / "bin" / "python"
    purelib = run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], ROOT,
                  os.environ).stdout.strip()
    host = sysconfig.get_paths()["purelib"]
    Path(purelib, "_pamong_host.pth").write_text(f"import site; site.addsitedir({host!r})\n")
    return python


HTTP_CHECK = f"""
from core import create_app
client = create_app().test_client()
for slug in ("makassar", "bandung"):
    print(slug, client.get("/t/%s/{NAME}/" % slug).status_code)
print("heading", "<h1>{TITLE_ID}</h1>" in client.get("/t/makassar/{NAME}/").get_data(as_text=True))
"""


def test_standalone_package_installs_registers_and_serves_one_tenant(tmp_path, env):
    package = tmp_path / f"pamong-{NAME}"
    run([PYTHON, "-m", "cli", "module", "new", NAME, "--title-id", TITLE_ID, "--title-en", TITLE_EN,
         "--standalone", package], ROOT, env)
    for name in ["pyproject.toml", "README.md"] + [f"pamong_{NAME}/{f}" for f in MODULE_FILES]:
        assert (package / name).is_file(), name
    entry_point = f'[project.entry-points."pamong.modules"]\n{NAME} = "pamong_{NAME}"'
    assert entry_point in (package / "pyproject.toml").read_text()

    python = throwaway_venv(tmp_path / "venv")
    pip = [python, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "--no-index"]
    run(pip + ["-e", package], tmp_path, env)
    pamong = [python, "-m", "cli"]

    listed = run(pamong + ["module", "list"], tmp_path, env).stdout
    assert re.search(rf"^{NAME} +0\.1\.0 +{re.escape(TITLE_ID)}$", listed, re.M), listed  # its catalogue, compiled
    clash = run(pamong + ["module", "new", NAME, "--standalone", tmp_path / "other"], tmp_path, env, check=False)
    assert (clash.returncode, clash.stderr) == (
        2, f"error: NAME: a module named '{NAME}' is already installed (entry point pamong_{NAME})\n")

    assert re.search(rf"^upgraded: core(, \w+)*, {NAME}", run(pamong + ["db", "upgrade"], tmp_path, env).stdout, re.M)
    with sqlite3.connect(tmp_path / "instance" / "pamong.db") as conn:
        assert conn.execute(f"SELECT count(*) FROM {NAME}_entries").fetchone() == (0,)
    for slug, zone in (("makassar", "Asia/Makassar"), ("bandung", "Asia/Jakarta")):
        run(pamong + ["tenant", "add", slug, "--name", f"Kota {slug}", "--kind", "city", "--timezone", zone],
            tmp_path, env)
    run(pamong + ["tenant", "enable", "makassar", NAME], tmp_path, env)
    served = run([python, "-c", HTTP_CHECK], tmp_path, env).stdout.split("\n")
    assert served[:3] == ["makassar 200", "bandung 404", "heading True"], served

    tests = run([python, "-m", "pytest", "-p", "no:cacheprovider"], package, env, check=False)
    assert_tests_passed(tests, postgres="PAMONG_TEST_DATABASE_URL" in env)

    # published as a wheel, it carries what is not Python: migrations, templates, catalogues
    run([python, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "--no-index",
         "-w", tmp_path / "dist", package], tmp_path, env)
    (wheel,) = (tmp_path / "dist").glob(f"pamong_{NAME}-0.1.0-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for expected in (f"pamong_{NAME}/templates/{NAME}/index.html", f"pamong_{NAME}/tests/test_isolation.py",
                     f"pamong_{NAME}/translations/id/LC_MESSAGES/{NAME}.po"):
        assert expected in names, expected
    assert [n for n in names if n.startswith(f"pamong_{NAME}/migrations/versions/") and n.endswith(".py")]
    assert any(n.endswith("entry_points.txt") for n in names)
