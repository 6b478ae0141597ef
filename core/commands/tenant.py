import sys

from contextlib import nullcontext
from pathlib import Path

import click
import tomli_w
from flask.cli import with_appcontext

from ..errors import PamongError, ValidationError
from ..extensions import db
from ..tenancy import service
from ..tenancy.export import export_doc
from ..tenancy.models import Tenant
from ..tenancy.schema import KINDS_HELP, load_tenant_file, parse_tenant
from .common import actor, emit_json, fail, manager, transaction


@click.group("tenant", help="Provinces, regencies and cities served by this deployment.")
def tenant_group():
    pass


def tenant_files(paths) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files += sorted(p for p in path.glob("*.toml"))
        elif path.exists():
            files.append(path)
        else:
            raise ValidationError("no such file or folder", where=str(path))
    if not files:
        raise ValidationError("no tenant files (*.toml) found", where=", ".join(map(str, paths)))
    return files


def apply_paths(paths, who) -> list[Tenant]:
    """Validate every file first, then apply them all in the caller's transaction."""
    docs = [(str(f), load_tenant_file(f)) for f in tenant_files(paths)]
    return apply_docs(docs, who, progress=True)


def apply_docs(docs, who, progress: bool = False) -> list[Tenant]:
    """Check a batch of parsed tenant documents ``[(where, TenantFile)]`` together, then apply them
    all in the caller's transaction (the CLI's ``tenant apply`` and the operator console's upload);
    a PamongError names the file (``where``) and the key, and the caller rolls back."""
    checked = service.check_batch(docs, manager())
    applied = []
    shown = (click.progressbar(checked, label="Applying tenants", file=sys.stderr,
                               item_show_func=lambda item: item[1].slug if item else "")
             if progress else nullcontext(checked))
    with shown as items:
        for where, doc in items:
            try:
                applied.append(service.apply_doc(doc, who, manager()))
                db.session.flush()
            except PamongError as exc:  # found while applying (an agency the settings name, ...): name the file
                for problem in [exc, *getattr(exc, "problems", [])]:  # each of a module's ``Problems`` too
                    problem.where = f"{where}: {problem.where}" if problem.where else where
                raise
    return applied


@tenant_group.command("apply", help="Create or update tenants from TOML files or folders (all or nothing).")
@click.argument("paths", nargs=-1, required=True)
@with_appcontext
@transaction
def apply(paths):
    applied = apply_paths(paths, actor())
    click.echo(f"applied {len(applied)} tenant(s): {', '.join(t.slug for t in applied)}")


@tenant_group.command("add", help="Create a tenant from the command line.")
@click.argument("slug")
@click.option("--name", required=True)
@click.option("--kind", required=True, help=KINDS_HELP)
@click.option("--timezone", "tz", required=True,
              help="Asia/Jakarta (WIB), Asia/Makassar (WITA), Asia/Jayapura (WIT), or one in PAMONG_EXTRA_TIMEZONES")
@click.option("--parent", default="", help="slug of the province above it")
@click.option("--domain", "domains", multiple=True, help="a host name that serves this tenant (repeatable)")
@with_appcontext
@transaction
def add(slug, name, kind, tz, parent, domains):
    if service.get_tenant(slug):
        raise ValidationError(f"tenant '{slug}' already exists (use 'tenant apply' to change it)", where="SLUG")
    data = {"slug": slug, "name": name, "kind": kind, "timezone": tz, "parent": parent, "domains": list(domains)}
    try:
        doc = parse_tenant(data, "arguments")
        (_, doc), = service.check_batch([("arguments", doc)], manager())
    except ValidationError as exc:  # name the option, e.g. "--timezone: time zone 'Asia/Tokyo' is not allowed here"
        key = exc.where.removeprefix("arguments").removeprefix(": ").split(".", 1)[0].split("[", 1)[0]
        option = {"slug": "SLUG", "domains": "--domain"}.get(key, f"--{key}")
        raise ValidationError(exc.message, where=option if key else "arguments") from None
    service.apply_doc(doc, actor(), manager())
    click.echo(f"created tenant {slug}")


@tenant_group.command("export", help="Print a tenant as TOML that 'tenant apply' takes back unchanged.")
@click.argument("slug")
@with_appcontext
def export(slug):
    tenant = service.get_tenant(slug)
    if tenant is None:
        fail(f"tenant '{slug}' not found")
    click.echo(tomli_w.dumps(export_doc(tenant)), nl=False)


def _describe(tenant: Tenant) -> dict:
    return {
        "slug": tenant.slug, "name": tenant.name, "kind": tenant.kind, "timezone": tenant.timezone,
        "parent": tenant.parent.slug if tenant.parent else None, "domains": sorted(d.host for d in tenant.domains),
        "locales": list(tenant.locales), "modules": sorted(service.enabled_modules(tenant)),
    }


@tenant_group.command("list", help="List tenants.")
@click.option("--json", "as_json", is_flag=True)
@with_appcontext
def list_(as_json):
    tenants = db.session.execute(db.select(Tenant).order_by(Tenant.slug)).scalars().all()
    rows = [_describe(t) for t in tenants]
    if as_json:
        emit_json(rows)
        return
    for r in rows:
        click.echo(f"{r['slug']:24} {r['kind']:9} {r['timezone']:16} {r['name']}")


@tenant_group.command("show", help="Show one tenant.")
@click.argument("slug")
@click.option("--json", "as_json", is_flag=True)
@with_appcontext
def show(slug, as_json):
    tenant = service.get_tenant(slug)
    if tenant is None:
        fail(f"tenant '{slug}' not found")
    data = _describe(tenant)
    if as_json:
        emit_json(data)
        return
    for key, value in data.items():
        click.echo(f"{key:10} {', '.join(value) if isinstance(value, list) else (value or '-')}")


@tenant_group.command("enable", help="Enable MODULE for the tenant SLUG.")
@click.argument("slug")
@click.argument("module")
@with_appcontext
@transaction
def enable(slug, module):
    tenant = service.require_tenant(slug)
    service.enable_module(tenant, module, actor(), manager())
    click.echo(f"enabled {module} for {slug}")


@tenant_group.command("disable", help="Disable MODULE for the tenant SLUG (its data is kept).")
@click.argument("slug")
@click.argument("module")
@with_appcontext
@transaction
def disable(slug, module):
    tenant = service.require_tenant(slug)
    service.disable_module(tenant, module, actor(), manager())
    click.echo(f"disabled {module} for {slug}")


@tenant_group.command("set", help="Change only the named settings of MODULE for tenant SLUG: KEY=VALUE ... "
                                  "(VALUE as JSON for numbers, lists and tables; every other setting is kept).")
@click.argument("slug")
@click.argument("module")
@click.argument("pairs", nargs=-1, required=True)
@with_appcontext
@transaction
def set_(slug, module, pairs):
    import json

    tenant = service.require_tenant(slug)
    spec = manager().get(module)
    if spec is None:
        raise ValidationError(f"unknown module '{module}' (installed: {', '.join(manager().modules) or 'none'})",
                              where="MODULE")
    changes = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key:
            raise ValidationError(f"'{pair}' is not KEY=VALUE", where="PAIRS")
        kind = ((spec.schema.get("properties") or {}).get(key) or {}).get("type", "string")
        try:
            changes[key] = raw if kind == "string" else json.loads(raw)
        except ValueError:
            article = "an" if kind[:1] in ("a", "e", "i", "o", "u") else "a"
            raise ValidationError(f"'{raw}' is not JSON ({article} {kind})", where=f"modules.{module}.settings.{key}") from None
    service.change_module_settings(tenant, module, changes, actor(), manager())
    click.echo(f"changed {', '.join(sorted(changes))} of {module} for {slug}")
