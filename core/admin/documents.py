"""The tenant admin's register of signed documents, and the tenant's documents settings.

- ``/admin/documents``: the register (``core.audit.read``: admins and auditors), newest first, 50 a
  page, filtered by ``kind`` and ``status`` (valid, revoked, expired); each entry links to its public
  verification page. A filter that cannot match (a malformed kind, an unknown status) is the page
  again with the message, answered 400.
  Each entry's kind reads in words (``core/documents/labels.py``); the table is one card per
  document on a phone (the kit's ``table.stacked``).
- ``/admin/documents/<code>/revoke`` (``core.documents.revoke``): GET is the question (no
  JavaScript), with the reason to give; POST with ``confirm=1`` revokes (audited
  ``document.revoked``); no reason, a reason over 1,000 characters or a document already revoked is
  the question again with the message (400); an unknown code is 404.
- ``/admin/documents/settings``: the ``[extra.documents]`` table (signer, BSrE account, number
  pattern) as a form generated from its schema, checked as ``tenant apply`` checks it
  (``core/documents/settings.py``) and audited ``tenant.documents.settings`` (secrets shown as
  their ``env:`` names only).
"""
from __future__ import annotations

from datetime import datetime, timezone

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import and_, or_

from ..auth.permissions import has_permission, requires
from ..documents import service as documents
from ..documents import settings as doc_settings
from ..documents.labels import kind_label
from ..documents.models import Document
from ..errors import PamongError
from ..extensions import db
from ..params import page_arg
from . import settings_form
from .views import _actor, bp

PAGE = 50
STATUSES = ("valid", "revoked", "expired")
READ_PERMISSION = "core.audit.read"


def _filters(args) -> tuple[dict, list[str]]:
    """The register's filters from the query string, and the problems with them."""
    problems, chosen = [], {}
    kind = (args.get("kind") or "").strip()
    if kind:
        if documents.KIND.match(kind):
            chosen["kind"] = kind
        else:
            problems.append(_("A kind is lower-case letters, digits, '_', '.' or '-' (at most 32)."))
    status = (args.get("status") or "").strip()
    if status:
        if status in STATUSES:
            chosen["status"] = status
        else:
            problems.append(_("Unknown status: choose valid, revoked or expired."))
    return chosen, problems


def _query(chosen: dict, now: datetime):
    query = db.select(Document)
    if "kind" in chosen:
        query = query.where(Document.kind == chosen["kind"])
    status = chosen.get("status")
    if status == "revoked":
        query = query.where(Document.status == "revoked")
    elif status == "expired":
        query = query.where(Document.status == "valid", Document.expires_at.is_not(None), Document.expires_at <= now)
    elif status == "valid":
        query = query.where(Document.status == "valid",
                            or_(Document.expires_at.is_(None), and_(Document.expires_at > now)))
    return query.order_by(Document.signed_at.desc(), Document.id.desc())


def _register():
    chosen, problems = _filters(request.args)
    page = page_arg()
    now = datetime.now(timezone.utc)
    rows = db.session.execute(_query(chosen, now).offset((page - 1) * PAGE).limit(PAGE + 1)).scalars().all()
    kinds = db.session.execute(db.select(Document.kind).distinct().order_by(Document.kind)).scalars().all()
    can_revoke = has_permission(current_user, g.tenant, documents.REVOKE_PERMISSION)
    entries = [{"doc": d, "state": d.state(now), "url": url_for("documents.verify", code=d.code),
                "kind": kind_label(d.kind)} for d in rows[:PAGE]]
    args = {k: v for k, v in request.args.items() if k in ("kind", "status")}
    return render_template(
        "admin/documents.html", entries=entries, page=page, has_next=len(rows) > PAGE, args=args,
        kinds=[(k, kind_label(k)) for k in kinds], statuses=STATUSES, problems=problems, can_revoke=can_revoke,
        can_configure=has_permission(current_user, g.tenant, "core.admin"),
    ), (400 if problems else 200)


@bp.route("/documents")
@requires(READ_PERMISSION)
def documents_register():
    return _register()


def _back() -> dict:
    """The register's filters and page the admin came from, kept through the question."""
    return {k: v for k, v in request.args.items() if k in ("kind", "status", "page")}


def _question(document: Document, reason: str = "", error: str | None = None, status: int = 200):
    return render_template("admin/documents_revoke.html", doc=document, kind=kind_label(document.kind),
                           state=document.state(datetime.now(timezone.utc)), reason=reason, error=error,
                           back=_back()), status


@bp.route("/documents/<code>/revoke", methods=["GET", "POST"])
@requires(documents.REVOKE_PERMISSION)
def revoke_document(code: str):
    """GET: the question (which document, what revoking means) with the reason to give. POST with
    ``confirm=1``: revoke with the reason typed; the public page shows the reason from then on. A
    POST without ``confirm=1`` changes nothing and is the question again."""
    document = documents.find(g.tenant, code)
    if document is None:
        abort(404)
    reason = (request.form.get("reason") or "").strip()
    if request.method == "GET" or request.form.get("confirm") != "1":
        return _question(document, reason)
    if not reason:
        return _question(document, reason, _("Give the reason."), 400)
    if len(reason) > 1000:
        return _question(document, reason, _("The reason is longer than 1,000 characters."), 400)
    try:
        documents.revoke(g.tenant, document, reason, _actor())
        db.session.commit()
    except PamongError as exc:
        db.session.rollback()
        message = _("This document is already revoked.") if exc.code == "already_revoked" else exc.message
        return _question(document, reason, message, 400)
    flash(_("The document %(number)s is revoked.", number=document.number))
    return redirect(url_for("admin.documents_register", **_back()))


def _shown(settings: dict) -> dict:
    """Settings for the audit trail: a secret written in the table itself is not repeated there."""
    from ..tenant_secrets import is_reference, secret_paths

    out = dict(settings)
    for (key,) in (p for p in secret_paths(doc_settings.SCHEMA) if len(p) == 1):
        if out.get(key) and not is_reference(out[key]):
            out[key] = "********"
    return out


@bp.route("/documents/settings", methods=["GET", "POST"])
@requires("core.admin")
def documents_settings():
    """The whole ``[extra.documents]`` table: every field posted, checked as ``tenant apply`` does."""
    from ..audit import record
    from ..tenancy.models import Tenant

    tenant = db.session.get(Tenant, g.tenant.id)
    stored = dict((tenant.extra or {}).get("documents") or {})
    version = settings_form.version(stored)
    values, errors, posted = doc_settings.filled(stored), {}, None
    if request.method == "POST":
        posted = request.form
        values, errors = settings_form.parse(doc_settings.SCHEMA, request.form)
        errors = settings_form.merge(errors, settings_form.check(doc_settings.SCHEMA, values))  # on its field, translated
        if request.form.get(settings_form.VERSION_FIELD) not in (None, version):
            errors["_form"] = _("These settings were changed by someone else after you opened this page, so nothing "
                                "was saved. Save again to replace their change with what is shown here, or reload "
                                "the page to see it.")
        # every problem at once, each on its field, in the reader's language: the schema's (kept
        # first, translated) and the semantic checks on every field the schema did not refuse
        for exc in doc_settings.problems(values, "extra.documents", tenant.slug):
            key = exc.where.removeprefix("extra.documents").lstrip(".").split(".", 1)[0]
            field = key if key in doc_settings.SCHEMA["properties"] else "_form"
            errors.setdefault(field, str(exc.local) if exc.local is not None
                              else _("Not a valid value: %(detail)s", detail=exc.message))
        if not errors:
            if values != stored:
                record(tenant, _actor(), "tenant.documents.settings", "tenant", tenant.slug,
                       before=_shown(stored), after=_shown(values))
                tenant.extra = {**(tenant.extra or {}), "documents": values}
            db.session.commit()
            flash(_("Settings saved."))
            return redirect(url_for("admin.documents_register"))
    # a secret written in place (refused now; stored before references were required) is never
    # shown again: its field is empty, and says why
    status = 400 if errors else 200
    hidden = doc_settings.literal_secrets(values)
    if posted is not None:
        hidden += [key for key in doc_settings.literal_secrets(posted.to_dict()) if key not in hidden]
        posted = posted.copy()
        for key in hidden:
            posted[key] = ""
    values = {**values, **{key: "" for key in hidden}}
    for key in hidden:
        errors.setdefault(key, _("A secret was written here; it is not shown. Write a reference env:NAME instead."))
    spec = {"title": _("Documents"), "name": "documents"}
    return render_template(
        "admin/module_settings.html", spec=spec, **settings_form.page(doc_settings.SCHEMA, values, errors, posted),
        version_field=settings_form.VERSION_FIELD, version=version,
    ), status
