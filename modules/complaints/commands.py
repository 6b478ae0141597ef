"""``pamong complaints ...``: run the SLA sweep now (deployments without the worker, operators)."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from core.kit import utcnow


@click.group("complaints", help="Citizen complaints: service levels and escalation.")
def complaints_group():
    pass


@complaints_group.command("sla", help="Escalate overdue complaints and close resolved ones past reopening, now.")
@with_appcontext
def sla():
    from .sla import run_all

    counts = run_all(utcnow())
    for slug, count in sorted(counts.items()):
        click.echo(f"{slug}: {count} complaint(s) escalated or closed")
