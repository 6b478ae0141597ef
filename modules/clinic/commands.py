"""``pamong clinic ...``: send the SATUSEHAT outbox now (deployments without the worker, operators).

The command takes the tenant's slug as every module's command does; bad input and a send that
failed are one line ``error: ...`` and exit status 2, through the core's ``cli_tenant`` /
``cli_fail`` (what was sent stays sent; a failed bundle stays pending with its attempt counted)."""
from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group("clinic", help="Clinic queues: the SATUSEHAT outbox.")
def clinic_group():
    pass


@clinic_group.command("satusehat-send", help="SLUG: send the pending SATUSEHAT bundles of tenant SLUG now.")
@click.argument("slug")
@with_appcontext
def satusehat_send(slug):
    from core.kit import PamongError, cli_fail, cli_tenant

    from .satusehat import send_pending

    tenant = cli_tenant(slug, "clinic")
    errors: list[str] = []
    try:
        sent, failed = send_pending(tenant, errors)
    except PamongError as exc:
        cli_fail(f"{slug}: {exc}")
    if errors:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        cli_fail(f"{slug}: {sent} sent, {len(errors)} not sent: {errors[0]}{more}")
    click.echo(f"{slug}: {sent} sent, {failed} failed")
