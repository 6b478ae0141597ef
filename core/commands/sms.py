"""``pamong sms reprocess``: process again the inbound SMS whose processing failed."""
import sys

import click
from flask.cli import with_appcontext

from ..errors import PamongError
from ..extensions import db
from ..sms.models import FAILED
from ..sms.service import handle, reprocessable
from ..tenancy.models import Tenant
from ..tenancy.service import require_tenant
from .common import fail


@click.group("sms", help="Inbound SMS kept by the gateway webhook.")
def sms_group():
    pass


@sms_group.command("reprocess", help="Process again the stored SMS of SLUG (or every tenant) that were "
                                     "not processed: received, failed, or whose module's handler failed.")
@click.argument("slug", required=False)
@click.option("--id", "ids", type=int, multiple=True, help="only this stored SMS (repeatable)")
@with_appcontext
def reprocess(slug, ids):
    try:
        tenants = [require_tenant(slug)] if slug else db.session.execute(
            db.select(Tenant).order_by(Tenant.slug)).scalars().all()
    except PamongError as exc:
        fail(str(exc))
    counts: dict[str, int] = {}
    for tenant in tenants:
        pending = reprocessable(tenant)
        unknown = sorted(set(ids) - set(pending)) if ids and slug else []
        if unknown:
            fail(f"--id: {unknown[0]} is not a stored SMS of {tenant.slug} waiting to be processed")
        for sms_id in pending:
            if ids and sms_id not in ids:
                continue
            outcome = handle(tenant, sms_id)
            counts[outcome.status] = counts.get(outcome.status, 0) + 1
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "nothing to do"
    click.echo(f"reprocessed: {summary}")
    if counts.get(FAILED):
        sys.exit(1)
