"""``pamong smartcard ...``: issue cards and register terminals from the command line.

Bad input is one line naming the field and what is wrong, exit status 2; nothing is written."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from core.kit import Actor, PamongError, cli_fail as _fail, cli_tenant, db


@click.group("smartcard", help="City card: cards and terminals.")
def smartcard_group():
    pass


def _tenant(slug: str):
    return cli_tenant(slug)


@smartcard_group.command("issue", help="Issue card NUMBER (16 digits), optionally to a named holder with a NIK.")
@click.argument("slug")
@click.argument("number")
@click.option("--name", default="", help="the holder's name")
@click.option("--nik", default="", help="the holder's NIK (registers the card: the higher balance limit)")
@with_appcontext
def issue(slug, number, name, nik):
    from . import services

    tenant = _tenant(slug)
    actor = Actor.system("cli", tenant)
    try:
        holder = services.create_holder(tenant, actor, name, nik=nik or None) if name else None
        card = services.issue_card(tenant, actor, number, holder)
    except PamongError as exc:
        _fail(str(exc) if exc.where else f"{exc.code}: {exc}")
    message = f"{slug}: card {card.number} issued"
    db.session.commit()
    click.echo(message)


@smartcard_group.command("terminal", help="Register terminal CODE of MERCHANT, calling with the API token TOKEN_NAME "
                                          "(make it with: pamong token create SLUG --scope smartcard:terminal).")
@click.argument("slug")
@click.argument("code")
@click.argument("merchant")
@click.argument("token_name")
@with_appcontext
def terminal(slug, code, merchant, token_name):
    from . import services

    tenant = _tenant(slug)
    try:
        services.register_terminal(tenant, Actor.system("cli", tenant), code, merchant, token_name)
    except PamongError as exc:
        _fail(str(exc))
    db.session.commit()
    click.echo(f"{slug}: terminal {code} of {merchant} registered")


@smartcard_group.command("link", help="Link card NUMBER to a citizen (--nik) or an employee (--nip) named --name; "
                                      "a holder with the same number is reused.")
@click.argument("slug")
@click.argument("number")
@click.option("--name", default="", help="the holder's name")
@click.option("--nik", default="", help="the citizen's NIK")
@click.option("--nip", default="", help="the employee's NIP")
@with_appcontext
def link(slug, number, name, nik, nip):
    from . import services

    tenant = _tenant(slug)
    actor = Actor.system("cli", tenant)
    if bool(nik) == bool(nip):
        _fail("--nik / --nip: give exactly one (a citizen's NIK or an employee's NIP)")
    try:
        holder = services.holder_for(tenant, actor, "citizen" if nik else "employee", name, nik=nik or None,
                                     nip=nip or None)
        card = services.link(tenant, actor, number, holder)
    except PamongError as exc:
        _fail(str(exc) if exc.where else f"{exc.code}: {exc}")
    message = f"{slug}: card {card.number} linked to holder {holder.id}"
    db.session.commit()
    click.echo(message)


def _card_command(name, help_text, action):
    @smartcard_group.command(name, help=help_text)
    @click.argument("slug")
    @click.argument("number")
    @click.argument("rest", nargs=-1)
    @with_appcontext
    def command(slug, number, rest):
        tenant = _tenant(slug)
        try:
            card = action(tenant, Actor.system("cli", tenant), number, *rest)
        except PamongError as exc:
            _fail(str(exc))
        except TypeError:
            _fail(f"{name}: wrong arguments (see --help)")
        message = f"{slug}: card {card.number} {card.status}"
        db.session.commit()
        click.echo(message)
    return command


def _services():
    from . import services
    return services


_card_command("block", "Block card NUMBER [REASON].", lambda t, a, n, *r: _services().block(t, a, n, " ".join(r)))
_card_command("unblock", "Unblock card NUMBER.", lambda t, a, n: _services().unblock(t, a, n))
_card_command("replace", "Replace card NUMBER by NEW_NUMBER (its balance moves).",
              lambda t, a, n, new: _services().replace(t, a, n, new))
_card_command("close", "Close card NUMBER [REASON] (its balance is paid out through the bank).",
              lambda t, a, n, *r: _services().close(t, a, n, " ".join(r)))
