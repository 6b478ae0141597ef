import click
from flask.cli import with_appcontext

from .common import emit_json, manager


@click.group("module", help="Installed modules.")
def module_group():
    pass


@module_group.command("list", help="List installed modules in load order.")
@click.option("--json", "as_json", is_flag=True)
@with_appcontext
def list_(as_json):
    rows = [
        {"name": s.name, "title": str(s.title), "version": s.version, "requires": s.requires, "source": s.source}
        for s in manager().modules.values()
    ]
    if as_json:
        emit_json(rows)
        return
    if not rows:
        click.echo("no modules installed")
    for r in rows:
        req = f" (requires {', '.join(r['requires'])})" if r["requires"] else ""
        click.echo(f"{r['name']:20} {r['version']:8} {r['title']}{req}")


from .scaffold import new_module  # noqa: E402 - pamong module new

module_group.add_command(new_module)
