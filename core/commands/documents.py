"""``pamong documents``: the register of signed documents, the local signer, a test signature."""
from __future__ import annotations

import os
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..errors import ValidationError
from .common import actor, emit_json, transaction


@click.group("documents", help="Official documents: the register, the signer, a test signature.")
def documents_group():
    pass


def _row(tenant, doc) -> dict:
    from ..documents import verification_url
    from ..i18n import local_iso
    from ..storage import LocalStorage, storage

    backend = storage()
    path = str(backend._path(doc.storage_key)) if isinstance(backend, LocalStorage) else ""
    return {
        "kind": doc.kind, "number": doc.number, "subject": doc.subject, "signer_name": doc.signer_name,
        "signer_position": doc.signer_position, "signed_at": local_iso(doc.signed_at, tenant.timezone), "status": doc.state(),
        "revoked_reason": doc.revoked_reason or "", "sha256": doc.sha256,
        "verification_url": verification_url(tenant, doc.code), "file": path,
    }


LIST_HEADER = ("kind", "number", "subject", "signer", "signed_at", "status", "verification_url", "file")


@documents_group.command("list", help="The documents of SLUG, oldest first: a header row, then one "
                         "tab-separated row each (none: a note on stderr, nothing on stdout).")
@click.argument("slug")
@click.option("--json", "as_json", is_flag=True)
@with_appcontext
@transaction
def list_documents(slug, as_json):
    from ..documents import listing
    from ..tenancy.service import require_tenant

    tenant = require_tenant(slug)
    rows = [_row(tenant, d) for d in listing(tenant)]
    if as_json:
        emit_json(rows)
        return
    if not rows:  # standard output stays parseable (nothing but rows); the word for people on stderr
        click.echo(f"{slug}: no documents", err=True)
        return
    click.echo("\t".join(LIST_HEADER))
    for r in rows:
        click.echo(f"{r['kind']}\t{r['number']}\t{r['subject']}\t{r['signer_name']} ({r['signer_position']})\t"
                   f"{r['signed_at']}\t{r['status']}\t{r['verification_url']}\t{r['file']}")


@documents_group.command("init-signer", help="Make the local test CA and SLUG's signing certificate "
                         "under instance/signing/ (kept when present unless --replace).")
@click.argument("slug")
@click.option("--replace", is_flag=True, help="a new key and certificate even if one exists")
@with_appcontext
@transaction
def init_signer(slug, replace):
    from ..documents.certs import ensure_tenant_cert
    from ..tenancy.service import require_tenant

    tenant = require_tenant(slug)
    files = ensure_tenant_cert(current_app.config["INSTANCE_DIR"], tenant, replace=replace)
    click.echo(f"{slug}: signing certificate {files.cert}")


def _writable(path: str) -> Path:
    out = Path(path)
    if out.is_dir():
        raise ValidationError("is a directory", where=f"OUT ({path})")
    if not out.parent.is_dir():
        raise ValidationError(f"folder '{out.parent}' does not exist", where=f"OUT ({path})")
    if not os.access(out.parent, os.W_OK):
        raise ValidationError(f"folder '{out.parent}' is not writable", where=f"OUT ({path})")
    return out


@documents_group.command("test-sign", help="Render a sample page on SLUG's letterhead, sign it with the "
                         "tenant's signer, register it (numbered by the tenant's [extra.documents] number_pattern) and write it to OUT.")
@click.argument("slug")
@click.argument("path", metavar="OUT.pdf")
@click.option("--position", default=None, help="the signer's position (default: \"Test signer\" in the "
              "tenant's language)")
@with_appcontext
@transaction
def test_sign(slug, path, position):
    from flask_babel import force_locale, gettext as _

    from ..documents import issue
    from ..storage import storage
    from ..tenancy.service import require_tenant

    tenant = require_tenant(slug)
    out = _writable(path)
    with force_locale(tenant.default_locale):  # the letter and its register entry in the tenant's language
        subject, position = _("Test signature"), position or _("Test signer")
    # the number from the core's counter ("documents", "test") with the tenant's number_pattern
    doc = issue(tenant, "test", None, subject, "documents/sample.html", {}, position, actor())
    data = storage().get(doc.storage_key, tenant=tenant)
    try:
        out.write_bytes(data)
    except OSError as exc:
        storage().delete(doc.storage_key, tenant=tenant)
        raise ValidationError(f"cannot write: {exc.strerror}", where=f"OUT ({path})") from None
    click.echo(f"{out}: {doc.kind} {doc.number} signed ({doc.signer_kind}), sha256 {doc.sha256}")
    click.echo(_row(tenant, doc)["verification_url"])


@documents_group.command("revoke", help="Revoke the document of SLUG with verification CODE (audited).")
@click.argument("slug")
@click.argument("code")
@click.option("--reason", required=True, help="shown on the public verification page")
@with_appcontext
@transaction
def revoke_document(slug, code, reason):
    from ..documents import find, revoke
    from ..tenancy.service import require_tenant

    tenant = require_tenant(slug)
    doc = find(tenant, code)
    if doc is None:
        raise ValidationError(f"no document of '{slug}' with this code", where="CODE", code="not_found")
    revoke(tenant, doc, reason, actor())
    click.echo(f"{doc.kind} {doc.number}: revoked")
