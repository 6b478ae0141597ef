"""``pamong clinic ...``: send the SATUSEHAT outbox now (deployments without the worker, operators);
keep a practitioner's NIK, by which SATUSEHAT is asked their IHS number (``practitioners``).

The command takes the tenant's slug as every module's command does; bad input and a send that
failed are one line ``error: ...`` and exit status 2, through the core's ``cli_tenant`` /
``cli_fail`` (what was sent stays sent; a failed bundle stays pending with its attempt counted)."""
from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group("clinic", help="Clinic queues: the SATUSEHAT outbox, practitioners' NIKs.")
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


@clinic_group.command("practitioner-nik", help="SLUG CLINIC CODE NIK: keep the NIK of practitioner CODE of clinic "
                      "CLINIC (codes as tenant SLUG's settings name them), by which SATUSEHAT is asked their IHS "
                      "number when an encounter is sent (not needed where the settings give their ihs_number).")
@click.argument("slug")
@click.argument("clinic")
@click.argument("code")
@click.argument("nik")
@with_appcontext
def practitioner_nik(slug, clinic, code, nik):
    import getpass

    from core.kit import PamongError, cli_fail, cli_tenant, db, mask_identity

    from .practitioners import set_nik

    tenant = cli_tenant(slug, "clinic")
    try:
        who = f"cli:{getpass.getuser()}"
    except Exception:  # noqa: BLE001 - no login name in some containers
        who = "cli"
    try:
        row = set_nik(tenant, who, clinic, code, nik)
        masked = mask_identity(row.nik)
        db.session.commit()
    except PamongError as exc:
        cli_fail(f"{slug}: {exc.where or 'nik'}: {exc.message}")
    click.echo(f"{slug}: {clinic} {code}: NIK {masked} kept")
