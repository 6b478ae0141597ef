"""``pamong clinic ...``: send the SATUSEHAT outbox now (deployments without the worker, operators)."""
from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group("clinic", help="Clinic queues: the SATUSEHAT outbox.")
def clinic_group():
    pass


@clinic_group.command("satusehat-send", help="Send the pending SATUSEHAT bundles of TENANT (a slug) now.")
@click.argument("slug")
@with_appcontext
def satusehat_send(slug):
    from core.kit import cli_tenant

    from .satusehat import send_pending

    tenant = cli_tenant(slug, "clinic")
    sent, failed = send_pending(tenant)
    click.echo(f"{slug}: {sent} sent, {failed} failed")
