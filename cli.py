"""``pamong``: the command regional IT teams install and run the kit with.

Thin Click groups on Flask's CLI; each command parses its arguments and calls core services.
Bad input exits 2 with one line naming the file, key or argument and what is wrong.
"""
from __future__ import annotations

import sys

import click
from flask.cli import FlaskGroup
from sqlalchemy.exc import OperationalError


def _create_app():
    from core import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=True, load_dotenv=False,
             set_debug_flag=False)
def cli():
    """Pamong: a shareable, multi-tenant e-government kit."""


def _register():
    from core.commands.accounts import role_group, token_group, user_group
    from core.commands.audit import audit_group
    from core.commands.db import db_group
    from core.commands.documents import documents_group
    from core.commands.ledger import ledger_group
    from core.commands.modules import module_group
    from core.commands.scaffold import new_module
    from core.commands.server import demo, init, serve, worker
    from core.commands.sms import sms_group
    from core.commands.tenant import tenant_group

    for command in (init, demo, serve, worker, db_group, tenant_group, module_group, user_group,
                    role_group, token_group, audit_group, sms_group, documents_group, ledger_group):
        cli.add_command(command)
    module_group.add_command(new_module)  # pamong module new


_register()


def main(argv=None) -> None:
    from core.errors import PamongError

    try:
        rv = cli.main(args=argv, prog_name="pamong", standalone_mode=False)
    except click.UsageError as exc:
        where = f" ({exc.ctx.command_path})" if exc.ctx else ""
        click.echo(f"error{where}: {exc.format_message()}", err=True)
        sys.exit(2)
    except click.Abort:
        click.echo("aborted", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        click.echo(f"error: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except PamongError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except OperationalError as exc:
        click.echo(f"error: PAMONG_DATABASE_URL: cannot reach the database ({str(exc.orig).splitlines()[0]})", err=True)
        sys.exit(2)
    sys.exit(rv if isinstance(rv, int) else 0)


if __name__ == "__main__":
    main()
