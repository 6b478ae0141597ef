"""``pamong module new``: render ``cookiecutter-module/`` into ``modules/NAME`` or a pip package.

The template renders a standalone project (``pamong-NAME/`` with its pyproject, README and the
package ``pamong_NAME/``). In the source tree only the package folder is kept, as
``modules/NAME``: the same files either way. Everything is checked before anything is written,
and the render is moved into place only when it is complete.
"""
from __future__ import annotations

import keyword
import re
import shutil
import tempfile
from importlib.util import find_spec
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..config import ROOT
from ..errors import ValidationError
from .common import fail, manager

TEMPLATE = ROOT / "cookiecutter-module"
MODULES_DIR = ROOT / "modules"
NAME = re.compile(r"^[a-z][a-z0-9_]{1,29}$")
TEXT = re.compile(r'^[^"\\{}%\x00-\x1f\x7f]{1,120}$')
# Words a module cannot be called: Python's, the core's packages, folders and gettext domain, the
# tenant path prefix /t/ (the core's URL segments are added from the app's URL map).
RESERVED = {
    "core", "modules", "tests", "test", "cli", "pamong", "messages", "t", "templates", "translations",
    "migrations", "static", "api", "admin",
} | set(keyword.kwlist) | set(keyword.softkwlist)


def check_name(name: str) -> None:
    if not NAME.match(name):
        raise ValidationError(
            f"'{name}' is not a valid module name: use 2 to 30 lowercase letters, digits or _, "
            "starting with a letter", where="NAME")
    installed = manager().get(name)
    if installed is not None:
        raise ValidationError(f"a module named '{name}' is already installed ({installed.source})", where="NAME")
    url_segments = {rule.rule.split("/")[1] for rule in current_app.url_map.iter_rules()}
    if name in RESERVED or name in url_segments:
        raise ValidationError(f"'{name}' is a reserved word", where="NAME")


def check_text(value: str, where: str) -> str:
    value = value.strip()
    if not TEXT.match(value):
        raise ValidationError("must be 1 to 120 characters without quotes, backslashes, braces or %",
                              where=where)
    return value


def check_licence(value: str) -> str:
    from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression

    try:
        return canonicalize_license_expression(value)
    except InvalidLicenseExpression:
        raise ValidationError(f"'{value}' is not an SPDX licence expression (e.g. AGPL-3.0-or-later, MIT, "
                              "Apache-2.0)", where="--licence") from None


def check_target(path: Path) -> None:
    if path.exists() and not path.is_dir():
        raise ValidationError("exists and is not a folder", where=str(path))
    if path.is_dir() and any(path.iterdir()):
        raise ValidationError("the folder exists and is not empty", where=str(path))


def render(context: dict, output_dir: Path) -> Path:
    """Render the template into ``output_dir``; returns the project folder (``pamong-NAME``)."""
    from cookiecutter.generate import generate_context, generate_files
    from cookiecutter.prompt import prompt_for_config

    # The library calls, not cookiecutter(): no replay file or user config under $HOME.
    ctx = generate_context(context_file=str(TEMPLATE / "cookiecutter.json"), extra_context=context)
    ctx["cookiecutter"].update(prompt_for_config(ctx, no_input=True))
    ctx["cookiecutter"]["_template"] = str(TEMPLATE)
    return Path(generate_files(repo_dir=str(TEMPLATE), context=ctx, output_dir=str(output_dir),
                               accept_hooks=False))


def place(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_dir():
        target.rmdir()  # checked empty
    shutil.move(str(source), str(target))


@click.command("new", help="Render a new module into modules/NAME, or with --standalone into a pip package.")
@click.argument("name")
@click.option("--title-id", help="the module's title in Indonesian (default: the English title)")
@click.option("--title-en", help="the module's title in English (default: from NAME)")
@click.option("--description", default="A Pamong module.", show_default=True)
@click.option("--author", default="Pamong contributors", show_default=True)
@click.option("--licence", default="AGPL-3.0-or-later", show_default=True)
@click.option("--standalone", "standalone", metavar="DIR", type=click.Path(path_type=Path),
              help="render a pip-installable package (pamong-NAME) into DIR instead")
@with_appcontext
def new_module(name, title_id, title_en, description, author, licence, standalone):
    try:
        if not (TEMPLATE / "cookiecutter.json").is_file():
            raise ValidationError("the module template is missing: 'pamong module new' runs from Pamong's "
                                  "source tree", where=str(TEMPLATE))
        check_name(name)
        title_en = check_text(title_en or name.replace("_", " ").title(), "--title-en")
        context = {
            "module_name": name, "title_en": title_en,
            "title_id": check_text(title_id or title_en, "--title-id"),
            "description": check_text(description, "--description"),
            "author": check_text(author, "--author"), "licence": check_licence(licence),
        }
        target = standalone.resolve() if standalone else MODULES_DIR / name
        check_target(target)
        if standalone and find_spec(f"pamong_{name}") is not None:
            raise ValidationError(f"a Python package 'pamong_{name}' is already installed", where="NAME")
        if not standalone and not MODULES_DIR.is_dir():
            raise ValidationError("no modules/ folder here: use --standalone DIR", where=str(MODULES_DIR))
    except ValidationError as exc:
        fail(str(exc))
    scratch = target.parent if target.parent.is_dir() else None
    with tempfile.TemporaryDirectory(prefix=".pamong-new-", dir=scratch) as tmp:
        project = render(context, Path(tmp))
        place(project if standalone else project / f"pamong_{name}", target)
    where = target if standalone else target.relative_to(ROOT)
    click.echo(f"created {where}")
    if standalone:
        click.echo(f"next: pip install -e {where}; pamong db upgrade; pamong tenant enable SLUG {name}")
    else:
        click.echo(f"next: pamong db upgrade; pamong tenant enable SLUG {name}; pytest {where}")
