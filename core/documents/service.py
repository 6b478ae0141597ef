"""Issuing, revoking and checking official documents (issue 13.1); modules reach it through
``core.kit.documents``.

    documents.issue(tenant, kind, number, subject, template, context, signer_position, actor,
                    signer_name=None, expires_at=None, signer=None) -> Document   # number None: allocated
    documents.allocate_number(tenant, kind) -> str
    documents.revoke(tenant, document, reason, actor) -> Document
    documents.find(tenant, code) -> Document | None
    documents.revoked(tenant, codes) -> {code: reason}     # which of these codes are revoked
    documents.matches(document, data: bytes) -> bool
    documents.verification_url(tenant, code) -> str

Order of ``issue``: render, sign (nothing written yet), store the file, then add the register row
and its audit entry in the caller's transaction; the caller commits. A failure before the row
leaves nothing behind (the stored file is deleted again).
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime

from flask import current_app, g, has_request_context
from sqlalchemy.exc import IntegrityError

from ..audit import record as audit
from ..errors import PamongError, ValidationError
from ..extensions import db
from ..storage import storage
from ..tenancy.models import utcnow
from ..tenancy.scope import tenant_scope
from .models import Document
from .signing import SigningError

KIND = re.compile(r"^[a-z][a-z0-9_.-]{0,31}$")
CODE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
REVOKE_PERMISSION = "core.documents.revoke"


def new_code() -> str:
    """An unguessable verification code (192 random bits, URL-safe base64, 32 characters) that
    never starts with "-" (a command line would read it as an option)."""
    while True:
        code = secrets.token_urlsafe(24)
        if not code.startswith("-"):
            return code


def verification_url(tenant, code: str) -> str:
    """The public page of a document. In a request of the same tenant: ``public_root()`` (this
    deployment's address, never the Host header) + ``verify/<code>``; elsewhere (CLI, jobs): the
    address the tenant is really served at (``core.links.tenant_url``: its ``public_url``, else its
    first domain, else ``PAMONG_PUBLIC_URL`` + ``/t/<slug>``) + ``/verify/<code>``."""
    if has_request_context() and getattr(g.get("tenant"), "id", None) == tenant.id:
        from ..proxy import public_root

        return f"{public_root()}verify/{code}"
    from ..links import tenant_url

    return tenant_url(tenant, f"/verify/{code}")


def _text(value, where: str, limit: int) -> str:
    from ..text import clean

    if not isinstance(value, str) or not clean(value).strip():
        raise ValidationError("must not be empty", where=where)
    value = clean(value).strip()
    if len(value) > limit:
        raise ValidationError(f"is longer than {limit} characters", where=where)
    return value


def settings_of(tenant) -> dict:
    """The tenant's ``[extra.documents]`` table with its defaults filled in (signer choice, signer
    name, BSrE account, number pattern; ``core/documents/settings.py``, checked when written)."""
    from .settings import filled

    value = (tenant.extra or {}).get("documents") or {}
    return filled(value if isinstance(value, dict) else {})


def allocate_number(tenant, kind: str) -> str:
    """The next number of ``kind`` from the core's gap-free counter ``("documents", kind)``, written
    with the tenant's ``number_pattern`` (``{kind}`` is the kind in capitals) and restarting every
    ``number_period`` (default: the tenant's local year). Takes the counter row in the caller's
    transaction (locked until it commits; a rollback gives the number back)."""
    from ..numbering import issue as issue_number

    conf = settings_of(tenant)
    with tenant_scope(tenant):
        _, number = issue_number(tenant, ("documents", kind), conf["number_pattern"], conf["number_period"],
                                 placeholders=("kind",), kind=kind.upper())
    return number


def signer_for(tenant):
    """The tenant's configured signer: ``[extra.documents] signer = "local"`` (default) or
    ``"bsre"`` with ``bsre_url`` (else ``PAMONG_BSRE_URL``), ``nik``, ``passphrase`` or ``totp``
    (``env:NAME`` references, core.tenant_secrets). ``PAMONG_TSA_URL`` turns on B-T."""
    from ..tenant_secrets import resolve
    from . import certs
    from .signing import BsreSigner, LocalSigner

    conf = settings_of(tenant)
    kind = conf.get("signer") or "local"
    if kind == "bsre":
        return BsreSigner(
            conf.get("bsre_url") or current_app.config.get("PAMONG_BSRE_URL", ""),
            resolve(tenant, str(conf.get("nik", ""))), passphrase=resolve(tenant, str(conf.get("passphrase", ""))),
            totp=resolve(tenant, str(conf.get("totp", ""))),
            client_user=resolve(tenant, str(conf.get("client_user", ""))),
            client_password=resolve(tenant, str(conf.get("client_password", ""))),
        )
    if kind != "local":
        raise SigningError(f"unknown signer '{kind}' (local or bsre)", where="extra.documents.signer",
                           code="signer_config")
    files = certs.tenant_files(current_app.config["INSTANCE_DIR"], tenant.slug)
    if not (files.key.is_file() and files.cert.is_file() and files.ca.is_file()):
        raise SigningError(f"no local signing certificate for '{tenant.slug}': run "
                           f"`pamong documents init-signer {tenant.slug}`", where="signer", code="signer_missing")
    return LocalSigner.from_files(files, tsa_url=current_app.config.get("PAMONG_TSA_URL", ""),
                                  signer_name=str(conf.get("signer_name", "")))


def issue(tenant, kind: str, number: str | None, subject: str, template: str, context: dict, signer_position: str,
          actor, *, signer_name: str | None = None, expires_at: datetime | None = None, signer=None,
          locale: str | None = None) -> Document:
    """Render ``template`` with ``context`` on ``tenant``'s letterhead, sign it, store it and add it
    to the register (with an audit entry ``document.issued``) in the current transaction.

    ``number``: the document's number as the module's own counter gave it (``core.kit.issue_number``
    with the module's pattern: unique per tenant and kind); ``None``: the core allocates the next
    one from its counter ``("documents", kind)`` with the tenant's ``[extra.documents]
    number_pattern`` (``allocate_number``), after every other field is checked and before
    rendering (the number is printed on the page). A failure later gives the number back when the
    caller rolls back. ``locale``: the language the document is written in (its texts and dates),
    when it is fixed whatever the tenant's (e-office's naskah dinas: always ``id``, Permendagri
    1/2023); None: the tenant's first locale.
    Errors: ``ValidationError`` (bad field, number already used, ``bad_pattern``), ``SigningError``
    (signer refused)."""
    from .render import html_to_pdf, render_html

    kind = kind if isinstance(kind, str) and KIND.match(kind) else None
    if kind is None:
        raise ValidationError("must be lower-case letters, digits, '_', '.' or '-' (at most 32)", where="kind")
    number = None if number is None else _text(number, "number", 100)
    subject = _text(subject, "subject", 300)
    signer_position = _text(signer_position, "signer_position", 200)
    signer_name = _text(signer_name or settings_of(tenant).get("signer_name") or tenant.name, "signer_name", 200)
    if expires_at is not None and expires_at.tzinfo is None:
        raise ValidationError("must carry a time zone (UTC)", where="expires_at")
    if expires_at is not None and expires_at <= utcnow():
        raise ValidationError("is already past", where="expires_at")
    if not isinstance(context, dict):
        raise ValidationError("must be a mapping", where="context")
    if number is not None:
        with tenant_scope(tenant):
            taken = db.session.execute(db.select(Document.id).where(Document.kind == kind, Document.number == number)).first()
        if taken:
            raise ValidationError(f"'{number}' is already a {kind} of this tenant", where="number", code="duplicate")
    signer = signer or signer_for(tenant)
    if number is None:  # last of the checks: the counter row stays locked to the commit
        number = _text(allocate_number(tenant, kind), "number", 100)
    code = new_code()
    now = utcnow()
    html = render_html(tenant, template, context, verification_url=verification_url(tenant, code), number=number,
                       subject=subject, signer_name=signer_name, signer_position=signer_position, issued_at=now,
                       locale=locale)
    try:
        pdf = html_to_pdf(html)
    except PamongError:
        raise
    except Exception as exc:  # noqa: BLE001 - a template WeasyPrint cannot lay out
        raise ValidationError(f"cannot render the PDF: {type(exc).__name__}: {str(exc)[:200]}", where="template") from exc
    signed = signer.sign(pdf, reason=f"{kind} {number}", location=tenant.name)
    key = storage().put(tenant, signed, "application/pdf", filename="document.pdf")
    try:
        with tenant_scope(tenant):
            doc = Document(kind=kind, number=number, subject=subject, signer_name=signer_name,
                           signer_position=signer_position, signed_at=now, sha256=hashlib.sha256(signed).hexdigest(),
                           size=len(signed), status="valid", revoked_reason="", expires_at=expires_at,
                           storage_key=key, code=code, signer_kind=signer.kind, issued_by=_actor_label(actor))
            db.session.add(doc)
            try:
                db.session.flush()
            except IntegrityError:  # the same number issued concurrently: the unique key refused it
                raise ValidationError(f"'{number}' is already a {kind} of this tenant", where="number",
                                      code="duplicate") from None
            audit(tenant, actor, "document.issued", "document", doc.id,
                  after={"kind": kind, "number": number, "subject": subject, "sha256": doc.sha256,
                         "signer_position": signer_position, "signer": signer.kind})
    except BaseException:
        storage().delete(key, tenant=tenant)
        raise
    return doc


def _actor_label(actor) -> str:
    from ..audit.record import actor_fields

    return actor_fields(actor)[1][:254]


def revoke(tenant, document: Document, reason: str, actor) -> Document:
    """Mark ``document`` revoked with ``reason`` (audited ``document.revoked``). The caller checks
    the permission ``core.documents.revoke``; revoking twice is a ValidationError. The tenant's
    modules hear of it in the same transaction (``core.events``: ``document.revoked``, payload
    ``{"code", "kind", "number", "reason"}``): the one that issued it acts on it (e-office tells the
    other governments a revoked letter went to)."""
    from ..events import publish
    from ..locking import write_lock

    reason = _text(reason, "reason", 1000)
    with tenant_scope(tenant):
        write_lock()  # SQLite: a writer from here; PostgreSQL: the row is read FOR UPDATE
        current = db.session.execute(
            db.select(Document).where(Document.id == document.id).with_for_update()
            .execution_options(populate_existing=True)
        ).scalar_one_or_none()
        if current is None:
            raise ValidationError("no such document", where="document", code="not_found")
        if current.status == "revoked":
            raise ValidationError("is already revoked", where="document", code="already_revoked")
        current.status, current.revoked_reason, current.revoked_at = "revoked", reason, utcnow()
        audit(tenant, actor, "document.revoked", "document", current.id, before={"status": "valid"},
              after={"status": "revoked", "reason": reason, "number": current.number})
        db.session.flush()
        publish(tenant, actor, "document.revoked", {"code": current.code, "kind": current.kind,
                                                     "number": current.number, "reason": reason}, source="core")
    return current


def find(tenant, code: str) -> Document | None:
    """The tenant's document with verification ``code``; None for a malformed or unknown code,
    or a code of another tenant."""
    if not isinstance(code, str) or not CODE.match(code):
        return None
    with tenant_scope(tenant):
        return db.session.execute(db.select(Document).where(Document.code == code)).scalar_one_or_none()


def revoked(tenant, codes) -> dict[str, str]:
    """Of the tenant's documents with verification ``codes``, those revoked: ``{code: reason}``, in
    one query (a module's list or counter of what it issued); unknown and malformed codes are left out."""
    codes = {c for c in codes if isinstance(c, str) and CODE.match(c)}
    if not codes:
        return {}
    with tenant_scope(tenant):
        rows = db.session.execute(db.select(Document.code, Document.revoked_reason).where(
            Document.code.in_(codes), Document.status == "revoked")).all()
    return {code: reason for code, reason in rows}


def revoked_codes(tenant) -> set[str]:
    """The verification codes of every revoked document of ``tenant``, in one query: for a count
    over a module's rows that leaves them out in its own statement (revocations are few; a list of
    known codes asks ``revoked`` instead)."""
    with tenant_scope(tenant):
        return set(db.session.execute(db.select(Document.code).where(Document.status == "revoked")).scalars())


def matches(document: Document, data: bytes) -> bool:
    """Is ``data`` exactly the signed file of ``document`` (SHA-256, compared in constant time)?"""
    return hmac.compare_digest(hashlib.sha256(data).hexdigest(), document.sha256)


def listing(tenant) -> list[Document]:
    with tenant_scope(tenant):
        return list(db.session.execute(db.select(Document).order_by(Document.signed_at, Document.id)).scalars())
