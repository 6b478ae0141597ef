"""``pamong smartcard ...``: issue cards and register terminals from the command line.

Each command's help line starts with its arguments in the order of its usage (``SLUG NUMBER ...``).
Bad input is one line and exit status 2, nothing written: the card's (a bad number, an unknown
tenant) through the core's ``cli_fail``/``cli_tenant`` (``error: ...``, every module's form),
Click's own (a missing argument) as ``error (pamong smartcard CMD): ...``."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from core.kit import Actor, PamongError, cli_fail, cli_tenant, db


@click.group("smartcard", help="City card: cards and terminals.")
def smartcard_group():
    pass


def _fail(message: str):
    """Roll back and end the command: one line ``error: ...``, exit 2 (the core's ``cli_fail``)."""
    cli_fail(message)


def _said(exc: PamongError) -> str:
    """A card error as one line: where it is and what is wrong, or its stable code and what."""
    return str(exc) if exc.where else f"{exc.code}: {exc}"


def _tenant(slug: str):
    """The tenant ``slug`` with the smartcard module, else one line naming the tenant (``cli_tenant``)."""
    return cli_tenant(slug, "smartcard")


def _services():
    from . import services
    return services


@smartcard_group.command("issue", help="SLUG NUMBER: issue card NUMBER (16 digits) in tenant SLUG, optionally to a "
                                       "named holder with a NIK.")
@click.argument("slug")
@click.argument("number")
@click.option("--name", default="", help="the holder's name")
@click.option("--nik", default="", help="the holder's NIK (registers the card: the higher balance limit)")
@with_appcontext
def issue(slug, number, name, nik):
    services = _services()
    tenant = _tenant(slug)
    actor = Actor.system("cli", tenant)
    try:
        holder = services.create_holder(tenant, actor, name, nik=nik or None) if name else None
        card = services.issue_card(tenant, actor, number, holder)
    except PamongError as exc:
        _fail(_said(exc))
    message = f"{slug}: card {card.number} issued"
    db.session.commit()
    click.echo(message)


@smartcard_group.command("terminal", help="SLUG CODE MERCHANT TOKEN_NAME: register terminal CODE of MERCHANT, "
                                          "calling with the API token TOKEN_NAME (make it with: pamong token "
                                          "create SLUG --scope smartcard:terminal).")
@click.argument("slug")
@click.argument("code")
@click.argument("merchant")
@click.argument("token_name")
@with_appcontext
def terminal(slug, code, merchant, token_name):
    tenant = _tenant(slug)
    try:
        _services().register_terminal(tenant, Actor.system("cli", tenant), code, merchant, token_name)
    except PamongError as exc:
        _fail(str(exc))
    db.session.commit()
    click.echo(f"{slug}: terminal {code} of {merchant} registered")


@smartcard_group.command("link", help="SLUG NUMBER: link card NUMBER to a citizen (--nik) or an employee (--nip) "
                                      "named --name; a holder with the same number is reused.")
@click.argument("slug")
@click.argument("number")
@click.option("--name", default="", help="the holder's name")
@click.option("--nik", default="", help="the citizen's NIK")
@click.option("--nip", default="", help="the employee's NIP")
@with_appcontext
def link(slug, number, name, nik, nip):
    services = _services()
    tenant = _tenant(slug)
    actor = Actor.system("cli", tenant)
    if bool(nik) == bool(nip):
        _fail("--nik / --nip: give exactly one (a citizen's NIK or an employee's NIP)")
    try:
        holder = services.holder_for(tenant, actor, "citizen" if nik else "employee", name, nik=nik or None,
                                     nip=nip or None)
        card = services.link(tenant, actor, number, holder)
    except PamongError as exc:
        _fail(_said(exc))
    message = f"{slug}: card {card.number} linked to holder {holder.id}"
    db.session.commit()
    click.echo(message)


def _card_done(slug, tenant, action):
    """Run ``action(actor)`` on a card; print ``SLUG: card NUMBER <status>`` or fail in one line."""
    try:
        card = action(Actor.system("cli", tenant))
    except PamongError as exc:
        _fail(str(exc))
    message = f"{slug}: card {card.number} {card.status}"
    db.session.commit()
    click.echo(message)


@smartcard_group.command("block", help="SLUG NUMBER [REASON]: block card NUMBER (lost, stolen; it can no longer "
                                       "pay or be topped up).")
@click.argument("slug")
@click.argument("number")
@click.argument("reason", nargs=-1)
@with_appcontext
def block(slug, number, reason):
    tenant = _tenant(slug)
    _card_done(slug, tenant, lambda actor: _services().block(tenant, actor, number, " ".join(reason)))


@smartcard_group.command("unblock", help="SLUG NUMBER: unblock card NUMBER.")
@click.argument("slug")
@click.argument("number")
@with_appcontext
def unblock(slug, number):
    tenant = _tenant(slug)
    _card_done(slug, tenant, lambda actor: _services().unblock(tenant, actor, number))


@smartcard_group.command("replace", help="SLUG NUMBER NEW_NUMBER: replace card NUMBER by NEW_NUMBER (its balance "
                                         "moves).")
@click.argument("slug")
@click.argument("number")
@click.argument("new_number")
@with_appcontext
def replace(slug, number, new_number):
    tenant = _tenant(slug)
    _card_done(slug, tenant, lambda actor: _services().replace(tenant, actor, number, new_number))


@smartcard_group.command("close", help="SLUG NUMBER [REASON]: close card NUMBER (its balance is paid out through "
                                       "the bank).")
@click.argument("slug")
@click.argument("number")
@click.argument("reason", nargs=-1)
@with_appcontext
def close(slug, number, reason):
    tenant = _tenant(slug)
    _card_done(slug, tenant, lambda actor: _services().close(tenant, actor, number, " ".join(reason)))
