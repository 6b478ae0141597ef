import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from .. import migrate
from .common import emit_json, fail


@click.group("db", help="Database schema: migrations of the core and every module.")
def db_group():
    pass


def run_upgrade(app) -> list[str]:
    units = migrate.units(app.extensions["pamong"])
    with click.progressbar(length=len(units), label="Migrating", file=sys.stderr) as bar:
        return migrate.upgrade(app, progress=lambda unit: bar.update(1))


@db_group.command("upgrade", help="Take the core and every installed module to their newest schema.")
@with_appcontext
def upgrade():
    names = run_upgrade(current_app)
    click.echo(f"upgraded: {', '.join(names)}")


@db_group.command("current", help="Show each unit's applied and newest revision.")
@click.option("--json", "as_json", is_flag=True)
@with_appcontext
def current(as_json):
    state = migrate.current(current_app)
    if as_json:
        emit_json({k: {"applied": a, "head": h} for k, (a, h) in state.items()})
        return
    for unit, (applied, head) in state.items():
        mark = "ok" if applied == head else "behind"
        click.echo(f"{unit:20} {applied or '-':16} head {head or '-':16} {mark}")


@db_group.command("revision", help="Autogenerate a migration for UNIT (core or a module).")
@click.argument("unit")
@click.option("-m", "--message", required=True)
@with_appcontext
def revision(unit, message):
    from ..errors import PamongError

    try:
        migrate.revision(current_app, unit, message)
    except PamongError as exc:
        fail(str(exc))
