"""``pamong``: the command regional IT teams install and run the kit with.

Click groups; each command parses its arguments and calls core services. Bad input exits 2 with
one line naming the file, key or argument and what is wrong.

Fast to ask: ``pamong --help`` and ``pamong --version`` import only Click (and package metadata)
and never create the app. Each command's module is imported when that command runs
(``COMMANDS``: name -> where it lives and its one-line help, so the help lists every command
without importing any). Flask's own development commands (``run``, ``shell``, ``routes``, and
its extensions' such as ``limiter``) are under ``pamong dev``. A module's own commands
(``register_commands`` hook) are found on the app when their name is asked for.
"""
from __future__ import annotations

import sys

import click

# name -> (module, attribute, one-line help). tests/test_cli_help.py checks each help against
# the command's own, so this table cannot drift from the commands.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "init": ("core.commands.server", "init", "Create or upgrade the database (and PostgreSQL's restricted app role)."),
    "demo": ("core.commands.server", "demo", "Set up the demo (SQLite by default) and serve it."),
    "serve": ("core.commands.server", "serve", "Serve with Flask's server (production: gunicorn 'core.wsgi:app')."),
    "worker": ("core.commands.server", "worker", "Run the background worker (deliveries, audit sealing, escalations)."),
    "db": ("core.commands.db", "db_group", "Database schema: migrations of the core and every module."),
    "tenant": ("core.commands.tenant", "tenant_group", "Provinces, regencies and cities served by this deployment."),
    "module": ("core.commands.modules", "module_group", "Installed modules."),
    "user": ("core.commands.accounts", "user_group", "People who sign in."),
    "role": ("core.commands.accounts", "role_group", "Which permissions each role has, per tenant."),
    "token": ("core.commands.accounts", "token_group", "API tokens per tenant."),
    "audit": ("core.commands.audit", "audit_group", "The audit trail's hash chain."),
    "sms": ("core.commands.sms", "sms_group", "Inbound SMS kept by the gateway webhook."),
    "documents": ("core.commands.documents", "documents_group",
                  "Official documents: the register, the signer, a test signature."),
    "ledger": ("core.commands.ledger", "ledger_group", "The core ledger: double-entry transfers in rupiah."),
    "dev": ("core.commands.dev", "dev_group", "Flask's development commands (run, shell, routes, ...)."),
}


def _create_app():
    from core import create_app

    return create_app()


def _script_info():
    from flask.cli import ScriptInfo

    return ScriptInfo(create_app=_create_app, set_debug_flag=False, load_dotenv_defaults=False)


def pamong_version() -> str:
    """Pamong's installed version (package metadata), or ``unknown`` when not installed."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pamong")
    except PackageNotFoundError:
        return "unknown"


def module_versions() -> list[tuple[str, str]]:
    """(name, version) of every installed module, from its ``module_info()``; no app is created."""
    from core.modules import discover

    rows = []
    for name, plugin, _source in discover():
        info_fn = getattr(plugin, "module_info", None)
        info = (info_fn() if callable(info_fn) else None) or {}
        rows.append((name, str(info.get("version", "0"))))
    return rows


def installed_module_names() -> list[str]:
    """Names of the installed modules (built-in packages and entry points), importing none of them."""
    import pkgutil
    from importlib.metadata import entry_points
    from importlib.util import find_spec

    spec = find_spec("modules")
    names = {m.name for m in pkgutil.iter_modules(spec.submodule_search_locations or [])
             if m.ispkg} if spec else set()
    return sorted(names | {ep.name for ep in entry_points(group="pamong.modules")})


def _print_version(ctx, _param, value):
    if not value or ctx.resilient_parsing:
        return
    click.echo(f"pamong {pamong_version()}")
    try:
        for name, version in module_versions():
            click.echo(f"  {name} {version}")
    except Exception as exc:  # noqa: BLE001 - a module that fails to import is named, not a traceback
        click.echo(f"error: {exc}", err=True)
        ctx.exit(1)
    ctx.exit()


class NoCommandsOfItsOwn(click.UsageError):
    """``pamong MODULE ...`` for an installed module that adds no commands (not "no such command")."""

    def __init__(self, name: str, ctx):
        super().__init__(f"The {name} module has no commands of its own (its pages and API do its work).", ctx)


class PamongGroup(click.Group):
    """The top-level group: commands imported when run, the app created only by a command."""

    def list_commands(self, ctx):
        return sorted(set(COMMANDS) | set(self.commands))

    def get_command(self, ctx, name):
        if name in self.commands:
            return self.commands[name]
        if name in COMMANDS:
            import importlib

            module, attr, _help = COMMANDS[name]
            command = getattr(importlib.import_module(module), attr)
            self.commands[name] = command
            return command
        return self._module_command(ctx, name)

    def _module_command(self, ctx, name):
        """A command a module added to ``app.cli`` (``register_commands``): needs the app."""
        if ctx.resilient_parsing:
            return None
        info = ctx.obj if ctx.obj is not None else _script_info()
        try:
            app = info.load_app()
        except Exception:  # noqa: BLE001 - the app does not load: an unknown command, said as such
            return None
        ctx.obj = info
        command = app.cli.get_command(ctx, name)
        if command is None and name in installed_module_names():
            raise NoCommandsOfItsOwn(name, ctx)
        return command

    def resolve_command(self, ctx, args):
        try:
            return super().resolve_command(ctx, args)
        except NoCommandsOfItsOwn as exc:
            if any(a in ctx.help_option_names for a in args[1:]):  # asked for help: the answer, not an error
                click.echo(exc.format_message())
                ctx.exit(0)
            raise

    def format_commands(self, ctx, formatter):
        # the one-line helps from the table: listing the commands imports none of them
        rows = []
        for name in self.list_commands(ctx):
            if name in COMMANDS and name not in self.commands:
                rows.append((name, COMMANDS[name][2]))
            else:
                command = self.commands[name]
                if not command.hidden:
                    rows.append((name, command.get_short_help_str(formatter.width - 6 - len(name))))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def format_epilog(self, ctx, formatter):
        names = installed_module_names()
        if names:
            formatter.write_paragraph()
            formatter.write_text(f"Installed modules: {', '.join(names)}. A module with commands of its own has "
                                 f"them under its name (pamong MODULE --help).")
        super().format_epilog(ctx, formatter)

    def invoke(self, ctx):
        if ctx.obj is None:  # what flask.cli.with_appcontext loads the app from
            ctx.obj = _script_info()
        return super().invoke(ctx)


@click.group(cls=PamongGroup, context_settings={"help_option_names": ["-h", "--help"]},
             epilog="Each command explains itself: pamong COMMAND --help.")
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help="Show Pamong's version and each installed module's, and exit.")
def cli():
    """Pamong: a shareable, multi-tenant e-government kit."""


def main(argv=None) -> None:
    try:
        rv = cli.main(args=argv, prog_name="pamong", standalone_mode=False)
    except click.UsageError as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":  # ``pamong`` or ``pamong tenant`` alone: the help
            click.echo(exc.ctx.get_help())
            sys.exit(0)
        where = f" ({exc.ctx.command_path})" if exc.ctx else ""
        click.echo(f"error{where}: {exc.format_message()}", err=True)
        sys.exit(2)
    except click.Abort:
        click.echo("aborted", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        click.echo(f"error: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except Exception as exc:  # the kit's classes are imported only when something failed (fast --help)
        from sqlalchemy.exc import OperationalError

        from core.errors import PamongError

        if isinstance(exc, PamongError):
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)
        if isinstance(exc, OperationalError):
            click.echo(f"error: PAMONG_DATABASE_URL: cannot reach the database ({str(exc.orig).splitlines()[0]})",
                       err=True)
            sys.exit(2)
        raise
    sys.exit(rv if isinstance(rv, int) else 0)


if __name__ == "__main__":
    main()
