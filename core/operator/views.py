"""The operator console (issue 19, item 2): at the deployment's own address (``/operator/``, no
tenant), for the deployment operator (``User.is_operator``) only.

- ``/operator/``: health (``core.operator.health``), every tenant with its modules and links into its
  admin, and the form that onboards a tenant from an uploaded TOML file;
- ``POST /operator/tenants``: that upload, checked and applied by the very code of
  ``pamong tenant apply`` (``core.commands.tenant.apply_docs``); a bad file gets the CLI's one-line
  message (``<file name>: <key>: <problem>``), status 400, and nothing changes;
- ``/operator/outbox``: the outbox of every tenant, newest first, paged, recipients masked as the
  demo's terminal masks them (``core.notify.providers.mask_recipient``).

Under a tenant (its host or ``/t/<slug>/``) the console does not exist (404); anonymous visitors are
sent to sign in; a signed-in person who is not an operator gets 403.
"""
from __future__ import annotations

import functools
from pathlib import PurePath

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from ..audit import record
from ..errors import PamongError, ValidationError
from ..extensions import db
from ..i18n import local_datetime
from ..links import tenant_base_url
from ..notify.models import STATUSES, OutboxMessage
from ..notify.providers import mask_recipient
from ..params import page_arg
from ..tenancy.models import Tenant, TenantModule
from ..tenancy.scope import read_scope, tenant_scope
from .health import deployment_health

bp = Blueprint("operator", __name__)
PAGE = 50
MAX_TOML_BYTES = 256 * 1024  # a tenant file with its whole organisation is a few kB


def operator_only(view):
    """The view is the deployment operator's: 404 under a tenant, sign-in first when anonymous,
    403 for anyone else (a tenant admin included)."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if getattr(g, "tenant", None) is not None:
            abort(404)
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        if not current_user.is_operator:
            abort(403)
        return view(*args, **kwargs)

    wrapper._pamong_permission = "operator"
    return wrapper


class TenantFileForm(FlaskForm):
    file = FileField(_l("Tenant file (TOML)"), validators=[FileRequired(message=_l("Choose a TOML file."))])


def _manager():
    return current_app.extensions["pamong"]


def _tenants(page: int, q: str) -> tuple[list[dict], bool]:
    """One page of the tenants (provinces, regencies, cities, each by name) whose slug or name holds
    ``q`` (any case), with their modules: each installed module as ``{"name", "title", "state"}``,
    state ``enabled``, ``disabled`` or ``off`` (never configured); and whether a next page exists."""
    manager = _manager()
    query = select(Tenant).options(selectinload(Tenant.domains))  # core/links reads them: one query a page
    if q:
        query = query.where(or_(Tenant.slug.contains(q.lower(), autoescape=True),
                                func.lower(Tenant.name).contains(q.lower(), autoescape=True)))
    tenants = db.session.execute(
        query.order_by(Tenant.kind, Tenant.name, Tenant.id).offset((page - 1) * PAGE).limit(PAGE + 1)
    ).unique().scalars().all()
    has_next, tenants = len(tenants) > PAGE, tenants[:PAGE]
    rows = []
    if tenants:
        with read_scope(tenants):
            rows = db.session.execute(select(TenantModule.tenant_id, TenantModule.module, TenantModule.enabled)).all()
    states: dict[int, dict[str, str]] = {}
    for tenant_id, module, enabled in rows:
        states.setdefault(tenant_id, {})[module] = "enabled" if enabled else "disabled"
    listed = []
    for tenant in tenants:
        own = states.get(tenant.id, {})
        modules = [{"name": name, "title": spec.title, "state": own.get(name, "off")}
                   for name, spec in sorted(manager.modules.items())]
        modules += [{"name": name, "title": name, "state": state}  # configured, no longer installed
                    for name, state in sorted(own.items()) if name not in manager.modules]
        listed.append({
            "tenant": tenant, "modules": modules,
            "admin_url": tenant_base_url(tenant) + "/admin/",  # where the tenant is really served
            "admin_here": f"{request.script_root}/t/{tenant.slug}/admin/",  # this host, this session
        })
    return listed, has_next


def _console(form: TenantFileForm, error: str | None = None, status: int = 200):
    from ..clock import now

    page = page_arg()
    q = request.args.get("q", "").strip()[:100]
    health = deployment_health(now())
    tenants, has_next = _tenants(page, q)
    return render_template("operator/index.html", health=health, tenants=tenants, page=page, has_next=has_next,
                           q=q, form=form, upload_error=error), status


@bp.route("/")
@operator_only
def home():
    return _console(TenantFileForm())


def _file_name(upload) -> str:
    """The uploaded file's own name (no folders), as the CLI would name a file given by name."""
    from ..text import clean

    name = PurePath(clean(upload.filename or "").replace("\\", "/")).name
    return name[:120] or "upload.toml"


@bp.route("/tenants", methods=["POST"])
@operator_only
def onboard():
    """Create or update one tenant from an uploaded TOML file, all or nothing, audited."""
    from ..commands.tenant import apply_docs
    from ..tenancy.schema import parse_tenant_bytes

    form = TenantFileForm()
    if not form.validate_on_submit():
        return _console(form, status=400)
    upload = form.file.data
    where = _file_name(upload)
    user = current_user._get_current_object()
    try:
        raw = upload.read(MAX_TOML_BYTES + 1)
        if len(raw) > MAX_TOML_BYTES:
            raise ValidationError(f"is larger than {MAX_TOML_BYTES // 1024} kB", where=where)
        tenant, = apply_docs([(where, parse_tenant_bytes(raw, where))], user)
        with tenant_scope(tenant):
            record(tenant, user, "operator.tenant_apply", "tenant", tenant.slug, file=where)
        db.session.commit()
    except PamongError as exc:
        db.session.rollback()
        return _console(TenantFileForm(formdata=None), error=str(exc), status=400)
    except BaseException:
        db.session.rollback()
        raise
    flash(_("Tenant %(slug)s applied from %(file)s.", slug=tenant.slug, file=where), "success")
    return redirect(url_for("operator.home", q=tenant.slug))


@bp.route("/outbox")
@operator_only
def outbox():
    """The outbox of every tenant, newest first; ``status`` and ``tenant`` (a slug) narrow it."""
    args = request.args
    page = page_arg()
    tenants = db.session.execute(select(Tenant).order_by(Tenant.slug)).unique().scalars().all()
    by_id = {t.id: t for t in tenants}
    status = args.get("status", "")
    slug = args.get("tenant", "")
    problems = []
    if status and status not in STATUSES:
        problems.append(_("Unknown status %(status)s.", status=status))
    chosen = [t for t in tenants if t.slug == slug] if slug else tenants
    if slug and not chosen:
        problems.append(_("There is no tenant %(slug)s.", slug=slug))
    messages = []
    if chosen and not problems:
        query = select(OutboxMessage)
        if status:
            query = query.where(OutboxMessage.status == status)
        with read_scope(chosen):
            rows = db.session.execute(
                query.order_by(OutboxMessage.id.desc()).offset((page - 1) * PAGE).limit(PAGE + 1)
            ).scalars().all()
            for m in rows:
                tenant = by_id[m.tenant_id]
                messages.append({
                    "id": m.id, "tenant": tenant, "channel": m.channel, "to": mask_recipient(m.recipient),
                    "subject": m.subject, "status": m.status, "attempts": m.attempts, "error": m.last_error,
                    # the deployment's zone, named (operator pages have no tenant): one clock for
                    # messages of tenants in different zones
                    "created": local_datetime(m.created_at), "sent": local_datetime(m.sent_at),
                })
    return render_template(
        "operator/outbox.html", messages=messages[:PAGE], page=page, has_next=len(messages) > PAGE,
        args=args, tenants=tenants, statuses=STATUSES, problems=problems,
    ), (400 if problems else 200)


def deployment_admin():
    """``/admin/`` at the deployment's own address (no tenant) leads to the operator console."""
    if getattr(g, "tenant", None) is None and request.endpoint == "admin.index":
        return redirect(url_for("operator.home"))
    return None


def init_app(app) -> None:
    """Register the console and its ``/admin/`` redirect (a step of the admin blueprint's own, so it
    runs after the tenant is resolved)."""
    app.register_blueprint(bp, url_prefix="/operator")
    app.before_request_funcs.setdefault("admin", []).insert(0, deployment_admin)
