"""``pamong ledger``: check the journal against the balances; export a tenant's journal."""
import sys

import click
from flask.cli import with_appcontext
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from ..tenancy.models import Tenant
from ..tenancy.service import require_tenant
from .common import fail


@click.group("ledger", help="The core ledger: double-entry transfers in rupiah.")
def ledger_group():
    pass


@ledger_group.command("check", help="Recompute every balance of SLUG (or every tenant) from the journal and "
                      "check that debits equal credits. Exit 1 with one line per problem.")
@click.argument("slug", required=False)
@with_appcontext
def check(slug):
    from ..errors import PamongError
    from ..ledger import check as run_check

    try:
        tenants = [require_tenant(slug)] if slug else db.session.execute(
            db.select(Tenant).order_by(Tenant.slug)).scalars().all()
    except PamongError as exc:
        fail(str(exc))
    try:
        stats = {}
        problems = run_check(tenants, stats)
    except SQLAlchemyError as exc:
        fail(f"cannot read the ledger: {str(exc.orig if hasattr(exc, 'orig') else exc).splitlines()[0]}", code=1)
    for line in problems:
        click.echo(line)
    if problems:
        sys.exit(1)
    click.echo(f"ok: {stats.get('accounts', 0)} accounts, {stats.get('transfers', 0)} transfers of "
               f"{stats.get('tenants', 0)} tenants")


@ledger_group.command("export", help="Write SLUG's journal to standard output as Beancount or CSV.")
@click.argument("slug")
@click.option("--format", "fmt", type=click.Choice(["beancount", "csv"]), default="beancount", show_default=True)
@with_appcontext
def export(slug, fmt):
    from ..errors import PamongError
    from ..ledger import beancount, csv_text

    try:
        tenant = require_tenant(slug)
    except PamongError as exc:
        fail(str(exc))
    click.echo(beancount(tenant) if fmt == "beancount" else csv_text(tenant), nl=False)
