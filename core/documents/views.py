"""The public verification page of a document, in its tenant's URL space: ``/verify/<code>``.

GET shows the register's entry (number, subject, signer's name and position, date, SHA-256,
status) and nothing else of anyone; POST takes an uploaded PDF and says whether it is exactly that
document (SHA-256). A code of another tenant, or no tenant, is a 404 (with a tenant, this page's
"no document has this code"). Uploads: CSRF-protected,
``PAMONG_VERIFY_MAX_BYTES`` (10 MB) per file (a larger file: the form with a message); a body over
``MAX_CONTENT_LENGTH`` is Werkzeug's 413 before anything is read, answered by this page again with
the message (status 413, the tenant's branding and language), even when the 413 came before the
tenant was resolved (CSRF protection reads the form first).
Uploads are rate-limited per client (``PAMONG_VERIFY_RATE``, 60 per minute).
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from ..auth.permissions import has_permission, public, requires
from ..extensions import db, limiter
from . import service

bp = Blueprint("documents", __name__)

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
CHUNK = 64 * 1024


class VerifyForm(FlaskForm):
    file = FileField(_l("The PDF you were given"), validators=[FileRequired(message=_l("Choose a PDF file."))])


class RevokeForm(FlaskForm):
    reason = TextAreaField(_l("Reason for revoking (shown to anyone who checks the document)"), validators=[
        DataRequired(message=_l("Give the reason.")), Length(max=1000)])


def _max_bytes() -> int:
    return int(current_app.config.get("PAMONG_VERIFY_MAX_BYTES") or DEFAULT_MAX_BYTES)


def read_limited(stream, limit: int) -> bytes | None:
    """At most ``limit`` bytes of ``stream``; None when it holds more (reading stops there)."""
    parts, total = [], 0
    while True:
        chunk = stream.read(CHUNK)
        if not chunk:
            return b"".join(parts)
        total += len(chunk)
        if total > limit:
            return None
        parts.append(chunk)


@bp.route("/verify/<code>", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config.get("PAMONG_VERIFY_RATE", "60 per minute"), methods=["POST"])
def verify(code):
    tenant = getattr(g, "tenant", None)
    if tenant is None:
        abort(404)
    document = service.find(tenant, code)
    if document is None:  # this page's own answer, in the tenant's branding and language
        return render_template("documents/verify_unknown.html"), 404
    form = VerifyForm()
    result = None
    if form.validate_on_submit():
        limit = _max_bytes()
        data = read_limited(form.file.data.stream, limit)
        if data is None:
            form.file.errors.append(_l("The file is larger than %(mb)d MB; this document is much smaller.",
                                       mb=limit // (1024 * 1024)))
        elif not data.startswith(b"%PDF-"):
            form.file.errors.append(_l("This is not a PDF file."))
        else:
            result = "match" if service.matches(document, data) else "mismatch"
    status = 422 if form.file.errors else 200
    return _page(document, form, result=result), status


@bp.errorhandler(413)
def too_large(exc):
    """A body over ``MAX_CONTENT_LENGTH``: the verification page again with the message (not a bare
    error page); elsewhere in this blueprint, or for an unknown code, the core's error page."""
    from ..http_errors import ensure_tenant, handle_http_error

    ensure_tenant()
    code = (request.view_args or {}).get("code")
    tenant = getattr(g, "tenant", None)
    document = service.find(tenant, code) if tenant is not None and request.endpoint == "documents.verify" else None
    if document is None:
        return handle_http_error(exc)
    form = VerifyForm(formdata=None)
    form.file.errors = [_l("The file is larger than %(mb)d MB; this document is much smaller.",
                           mb=_max_bytes() // (1024 * 1024))]
    return _page(document, form), 413


def _page(document, form, result=None, revoke_form=None):
    """The page; the revoke form for those who may revoke a valid document, or with its errors."""
    if revoke_form is None or not revoke_form.errors:
        can_revoke = (document.status != "revoked" and current_user.is_authenticated
                      and has_permission(current_user, g.tenant, service.REVOKE_PERMISSION))
        revoke_form = (revoke_form or RevokeForm(formdata=None)) if can_revoke else None
    state, held = document.state(), None
    if state == "valid":  # a module may hold it suspended (the document_state hook)
        held = module_state(g.tenant, document)
        state = held["state"] if held else state
    return render_template("documents/verify.html", document=document, state=state, held=held, form=form,
                           result=result, revoke_form=revoke_form, subject=module_subject(g.tenant, document))


def module_state(tenant, document) -> dict | None:
    """The issuing module's ``{"state": "suspended", "reason", "since"}`` for ``document``, or None."""
    from ..modules import manager

    answer = manager().for_tenant(tenant).document_state(app=current_app._get_current_object(), tenant=tenant,
                                                         document=document)
    return answer if isinstance(answer, dict) and answer.get("state") == "suspended" else None


def module_subject(tenant, document) -> dict:
    """``{"text", "lang"}``: the subject in the reader's language where the issuing module has it
    (the ``document_subject`` hook: a permit type's English name), else the register's as signed, in
    the tenant's first language."""
    from ..i18n import current_locale
    from ..modules import manager

    answer = manager().for_tenant(tenant).document_subject(app=current_app._get_current_object(), tenant=tenant,
                                                           document=document, locale=current_locale())
    if isinstance(answer, dict) and answer.get("text"):
        return {"text": str(answer["text"]), "lang": str(answer.get("lang") or current_locale())}
    return {"text": document.subject, "lang": tenant.default_locale}


@bp.route("/verify/<code>/revoke", methods=["POST"])
@requires(service.REVOKE_PERMISSION)
def revoke(code):
    """Revoke the document (audited); the reason is shown on its public page from then on."""
    document = service.find(g.tenant, code)
    if document is None:
        abort(404)
    form = RevokeForm()
    if form.validate_on_submit():
        from ..errors import ValidationError

        try:
            service.revoke(g.tenant, document, form.reason.data, current_user)
            db.session.commit()
        except ValidationError as exc:
            db.session.rollback()
            form.reason.errors.append(_l("This document is already revoked.") if exc.code == "already_revoked"
                                      else exc.message)
        else:
            flash(_l("The document is revoked."))
            return redirect(url_for("documents.verify", code=code))
    document = service.find(g.tenant, code)
    return _page(document, VerifyForm(formdata=None), revoke_form=form), 422
