"""``pamong clinic ...``: send the SATUSEHAT outbox now (deployments without the worker, operators)."""
from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext


@click.group("clinic", help="Clinic queues: the SATUSEHAT outbox.")
def clinic_group():
    pass


@clinic_group.command("satusehat-send", help="Send the pending SATUSEHAT bundles of TENANT (a slug) now.")
@click.argument("slug")
@with_appcontext
def satusehat_send(slug):
    from core.kit import Tenant, db, enabled_modules

    from .satusehat import send_pending

    tenant = db.session.execute(db.select(Tenant).where(Tenant.slug == slug)).scalar()
    if tenant is None or "clinic" not in enabled_modules(tenant):
        click.echo(f"tenant: '{slug}' is not a tenant with the clinic module enabled", err=True)
        sys.exit(2)
    sent, failed = send_pending(tenant)
    click.echo(f"{slug}: {sent} sent, {failed} failed")
