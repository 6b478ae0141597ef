import sys

import click
from sqlalchemy.exc import SQLAlchemyError
from flask.cli import with_appcontext

from ..audit import seal_tenant, verify_tenant
from ..extensions import db
from ..tenancy.models import Tenant
from ..tenancy.service import require_tenant
from .common import emit_json, fail


@click.group("audit", help="The audit trail's hash chain.")
def audit_group():
    pass


def _tenants(slug):
    if slug:
        return [require_tenant(slug)]
    return db.session.execute(db.select(Tenant).order_by(Tenant.slug)).scalars().all()


@audit_group.command("verify", help="Recompute the chain of SLUG (or every tenant); never seals.")
@click.argument("slug", required=False)
@click.option("--json", "as_json", is_flag=True)
@with_appcontext
def verify(slug, as_json):
    from ..errors import PamongError

    try:
        tenants = _tenants(slug)
    except PamongError as exc:
        fail(str(exc))
    try:
        if len(tenants) < 2:
            verdicts = [verify_tenant(t) for t in tenants]
        else:
            with click.progressbar(tenants, label="Verifying", file=sys.stderr) as bar:
                verdicts = [verify_tenant(t) for t in bar]
    except SQLAlchemyError as exc:
        fail(f"cannot read the audit trail: {_first_line(exc)}", code=1)
    if as_json:
        emit_json([v.__dict__ for v in verdicts])
    else:
        for v in verdicts:
            state = "ok" if v.ok else f"BROKEN: {v.broken}"
            click.echo(f"{v.tenant}: {v.checked} sealed entries checked, {v.unsealed} not yet sealed, {state}")
    broken = [v for v in verdicts if not v.ok]
    if broken:
        click.echo(f"error: audit chain of {broken[0].tenant} is broken: {broken[0].broken}", err=True)
        sys.exit(1)


@audit_group.command("seal", help="Seal unsealed entries now (the worker does this within seconds). "
                    "Safe to run while the worker seals too: they take turns.")
@click.argument("slug", required=False)
@with_appcontext
def seal(slug):
    """Exit 2: no such tenant; exit 1: the database refused (unreachable, locked past the busy
    timeout, or the chain could not be extended); nothing is half sealed either way."""
    from ..audit.chain import SealError
    from ..errors import PamongError

    try:
        count = seal_tenant(require_tenant(slug).id) if slug else _seal_every_tenant()
    except PamongError as exc:
        fail(str(exc))
    except (SQLAlchemyError, SealError) as exc:
        fail(f"sealing stopped, nothing half sealed (run it again): {_first_line(exc)}", code=1)
    click.echo(f"sealed {count} entries")


def _seal_every_tenant() -> int:
    """``seal_all`` tenant by tenant, with a progress bar on standard error."""
    with db.engine.connect() as conn:
        ids = [r[0] for r in conn.execute(db.select(Tenant.id).order_by(Tenant.id))]
    with click.progressbar(ids, label="Sealing", file=sys.stderr) as bar:
        return sum(seal_tenant(tenant_id) for tenant_id in bar)


def _first_line(exc: Exception) -> str:
    orig = getattr(exc, "orig", None) or exc
    return (str(orig).strip().splitlines() or [type(orig).__name__])[0]
