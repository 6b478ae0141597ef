"""``pamong complaints ...``: run the SLA sweep now (deployments without the worker, operators)."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from core.kit import utcnow


@click.group("complaints", help="Citizen complaints: service levels and escalation, the public figures.")
def complaints_group():
    pass


@complaints_group.command("sla", help="Escalate overdue complaints and close resolved ones past reopening, now.")
@with_appcontext
def sla():
    from .sla import run_all

    counts = run_all(utcnow())
    for slug, count in sorted(counts.items()):
        click.echo(f"{slug}: {count} complaint(s) escalated or closed")


@complaints_group.command(
    "rebuild-summary",
    help="Recount the public figures' counters and rewrite the keyword search's words from the complaints "
         "(repair: after a raw SQL change to complaints or a change of the tenant's time zone). Every tenant "
         "with the module, or TENANT only.")
@click.argument("tenant", required=False)
@with_appcontext
def rebuild_summary(tenant):
    from core.kit import Tenant, db, enabled_modules

    from . import words
    from .summary import rebuild

    query = db.select(Tenant).order_by(Tenant.id)
    if tenant:
        query = query.where(Tenant.slug == tenant)
    tenants = db.session.execute(query).scalars().all()
    if tenant and (not tenants or "complaints" not in enabled_modules(tenants[0])):
        raise click.UsageError(f"TENANT: no tenant '{tenant}' with the complaints module")
    for one in tenants:
        if "complaints" not in enabled_modules(one):
            continue
        counted = rebuild(one)
        worded = words.rebuild(one)
        db.session.commit()
        click.echo(f"{one.slug}: {counted} complaint(s) counted; the words of {worded} complaint(s) rewritten")
