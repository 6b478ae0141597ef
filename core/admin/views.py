"""The tenant admin's pages: modules and their settings, users and roles, the audit trail."""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import approvals  # noqa: F401  (its tables are the core's)
from ..audit import AuditEntry
from ..auth.models import ROLES, Membership, User
from ..auth.permissions import requires
from ..auth.service import create_user, find_user, grant_role, is_last_admin, revoke_role
from ..errors import PamongError
from ..extensions import db
from ..params import OutOfBounds, declare, page_arg, parse_date
from ..tenancy import service as tenants
from ..tenancy.models import OrgUnit, TenantModule
from . import settings_form

bp = Blueprint("admin", __name__)
PAGE = 50


def _manager():
    return current_app.extensions["pamong"]


def _actor():
    return current_user._get_current_object()


@bp.route("/")
@requires("core.admin")
def index():
    return redirect(url_for("admin.modules"))


@bp.route("/modules")
@requires("core.admin")
def modules():
    rows = {m.module: m for m in db.session.execute(db.select(TenantModule)).scalars()}
    return render_template("admin/modules.html", modules=_manager().modules.values(), rows=rows)


@bp.route("/modules/<name>/<action>", methods=["POST"])
@requires("core.admin")
def toggle_module(name: str, action: str):
    """Enable a module, or disable it once the admin has confirmed on the page that says what
    citizens will lose (a POST without ``confirm=1`` changes nothing and shows that page)."""
    if action not in ("enable", "disable") or _manager().get(name) is None:
        abort(404)
    if action == "disable" and request.form.get("confirm") != "1":
        return redirect(url_for("admin.confirm_disable", name=name))
    try:
        if action == "enable":
            tenants.enable_module(g.tenant, name, _actor(), _manager())
        else:
            tenants.disable_module(g.tenant, name, _actor(), _manager())
        db.session.commit()
        flash(_("Module enabled.") if action == "enable" else _("Module disabled."))
    except PamongError as exc:
        db.session.rollback()
        for one in getattr(exc, "problems", None) or [exc]:  # a module's check may name several at once
            flash(str(one.local or one.message), "error")
    return redirect(url_for("admin.modules"))


@bp.route("/modules/<name>/disable", methods=["GET"])
@requires("core.admin")
def confirm_disable(name: str):
    """The confirmation before a module is switched off: what citizens lose (the module's
    ``module_info()["disable_notice"]``, ``{"id": ..., "en": ...}``, or a general sentence) and
    which enabled modules need it."""
    spec = _manager().get(name)
    if spec is None:
        abort(404)
    row = tenants.module_row(g.tenant, name)
    if row is None or not row.enabled:
        return redirect(url_for("admin.modules"))
    notice = settings_form.words(spec.info.get("disable_notice"))
    enabled = set(tenants.enabled_modules(g.tenant))
    dependants = [m.title for m in _manager().modules.values() if name in m.requires and m.name in enabled]
    return render_template("admin/module_disable.html", spec=spec, notice=notice, dependants=dependants)


@bp.route("/modules/<name>/settings", methods=["GET", "POST"])
@requires("core.admin")
def module_settings(name: str):
    """The whole settings document of one module as a form generated from its schema
    (``settings_form``): the form posts every field, and a field left out is an error on the form
    (never a reset to its default); every problem is shown on its field in the reader's language,
    and nothing is saved while any remains; saved settings are audited with before and after."""
    spec = _manager().get(name)
    if spec is None:
        abort(404)
    row = tenants.module_row(g.tenant, name)
    values = dict(row.settings) if row else {}
    stored_version = settings_form.version(row.settings if row else None)
    errors, posted, more = {}, None, {}
    if request.method == "POST":
        request.max_form_parts = settings_form.MAX_FIELDS  # a city's categories as rows: more than 1,000 fields
        posted = request.form
        opened_on = request.form.get(settings_form.VERSION_FIELD)
        values, errors = settings_form.parse(spec.schema, request.form)
        settings_form.keep_written(spec.schema, values, row.settings if row else {})
        adding = request.form.get(settings_form.ADD_FIELD)
        if adding:  # "add a row": the form again with one more empty row, nothing checked or saved
            more, errors = {adding: 1}, {}
        else:
            errors = settings_form.merge(errors, settings_form.check(spec.schema, values))
            errors = settings_form.add_deeper(errors, spec, values, g.tenant, _manager(), hook=row is None or row.enabled)
            if opened_on is not None and opened_on != stored_version:
                errors["_form"] = _("These settings were changed by someone else after you opened this page, so "
                                    "nothing was saved. Save again to replace their change with what is shown here, "
                                    "or reload the page to see it.")
        if not errors and not adding:
            try:
                if row is None or row.enabled:
                    tenants.enable_module(g.tenant, name, _actor(), _manager(), settings=values)
                else:
                    _save_disabled(row, spec, values)
                db.session.commit()
                flash(_("Settings saved."))
                return redirect(url_for("admin.modules"))
            except PamongError as exc:
                db.session.rollback()
                for one in getattr(exc, "problems", None) or [exc]:  # a module's check may name several at once
                    field = settings_form.field_of(one.where, spec.schema, values)
                    errors.setdefault(field or "_form", settings_form.setting_message(one, field))
    return render_template(
        "admin/module_settings.html", spec=spec,
        **settings_form.page(spec.schema, values, errors, posted, more=more),
        version_field=settings_form.VERSION_FIELD, version=stored_version,
    ), (400 if errors else 200)


def _save_disabled(row, spec, values):
    from ..audit import record
    from ..settings import validate_settings

    settings = validate_settings(spec.schema, values, f"modules.{spec.name}.settings", slug=g.tenant.slug)
    if settings != row.settings:
        record(g.tenant, _actor(), "tenant.module.settings", "module", spec.name, before=row.settings, after=settings)
    row.settings = settings


@bp.route("/users", methods=["GET", "POST"])
@requires("core.admin")
def users():
    agencies = db.session.execute(
        db.select(OrgUnit).where(OrgUnit.kind == "agency", OrgUnit.active.is_(True)).order_by(OrgUnit.name)
    ).scalars().all()
    errors: dict[str, str] = {}
    if request.method == "POST":
        email = request.form.get("email", "").strip().lower()
        role = request.form.get("role", "")
        agency = request.form.get("agency") or None
        phone = request.form.get("phone", "").strip() or None
        try:
            user = find_user(email) or create_user(email)
            grant_role(g.tenant, user, role, _actor(), agency=agency)
            invited = not user.password_hash  # nobody can sign in without one: an invitation (19.1)
            if invited:
                from ..auth.invitations import invite

                invite(g.tenant, user, _actor(), phone=phone)
            db.session.commit()
            flash(_("Role granted.") + (" " + _("An invitation to set a password was sent.") if invited else ""))
            return redirect(url_for("admin.users"))
        except PamongError as exc:
            db.session.rollback()
            errors[GRANT_FIELDS.get(exc.where, "_form")] = _grant_message(exc, phone)
    role = request.args.get("role", "")
    if role not in ROLES:
        role = ""
    page = page_arg()
    rows = _people(role, page)
    names = {a.id: a.name for a in agencies}
    from ..auth.invitations import invitation_channels

    invited_by = invitation_channels(g.tenant, {r["user"].id for r in rows[:PAGE] if r["state"] == "invited"})
    return render_template(
        "admin/users.html", rows=rows[:PAGE], page=page, has_next=len(rows) > PAGE, role=role,
        roles=ROLES, agencies=agencies, agency_names=names, errors=errors, invited_by=invited_by,
    ), (400 if errors else 200)


# a service's ``where`` (the CLI's option or argument) -> the field of the "Grant a role" form
GRANT_FIELDS = {"EMAIL": "email", "--role": "role", "--agency": "agency", "phone": "phone"}


def _grant_message(exc: PamongError, phone: str | None) -> str:
    """A service error on the "Grant a role" form, in the reader's language: the service's own
    translation (``exc.local``), never the CLI's English line."""
    if exc.code == "phone_not_allowed":
        return _("Only someone new, without a role in another service, can be invited by SMS: leave the "
                 "phone empty to send the invitation to their e-mail address.")
    if exc.where == "phone":
        return _("Not a phone number: %(phone)s", phone=phone)
    return str(exc.local) if exc.local else _("This could not be done: check the form and try again.")


def _people(role: str, page: int) -> list[dict]:
    """One page (and one row more) of the Users page, by e-mail address: every role granted here
    (a membership) and every citizen who registered an account here (``core.auth.registration``:
    no membership, the tenant's ``auth.register`` audit entry names the address), each with the
    state of their account. ``role`` ("" for all) narrows it; "citizen" includes the registered."""
    from sqlalchemy import Integer, String, and_, cast, literal, null, union_all

    tenant_id = g.tenant.id
    granted = (db.select(User.email.label("email"), Membership.role.label("role"), Membership.id.label("member_id"),
                         User.id.label("user_id"))
               .join(User, User.id == Membership.user_id).where(Membership.tenant_id == tenant_id))
    if role:
        granted = granted.where(Membership.role == role)
    parts = [granted]
    if role in ("", "citizen"):
        citizen_here = db.select(Membership.id).where(
            Membership.tenant_id == tenant_id, Membership.user_id == User.id, Membership.role == "citizen")
        parts.append(
            db.select(User.email, literal("citizen", String), cast(null(), Integer), User.id)
            .join(AuditEntry, and_(AuditEntry.tenant_id == tenant_id, AuditEntry.action == "auth.register",
                                   AuditEntry.object_type == "user", AuditEntry.object_id == User.email))
            .where(~citizen_here.exists()).distinct())
    both = union_all(*parts).subquery()
    found = db.session.execute(
        db.select(both).order_by(both.c.email, both.c.role, both.c.member_id).offset((page - 1) * PAGE).limit(PAGE + 1)
    ).all()
    users = {u.id: u for u in db.session.execute(
        db.select(User).where(User.id.in_({r.user_id for r in found}))).scalars()} if found else {}
    members = {m.id: m for m in db.session.execute(
        db.select(Membership).where(Membership.id.in_({r.member_id for r in found if r.member_id}))).scalars()}
    return [{"user": users[r.user_id], "role": r.role, "member": members.get(r.member_id),
             "state": _account_state(users[r.user_id])} for r in found]


def _account_state(user: User) -> str:
    """What the admin needs to know of an account: ``disabled``, ``unverified`` (registered, the
    address not yet confirmed: cannot sign in), ``invited`` (no password set yet) or ``active``."""
    if not user.active:
        return "disabled"
    if user.needs_verification:
        return "unverified"
    if not user.password_hash:
        return "invited"
    return "active"


def _member_or_404(member_id: int) -> Membership:
    member = db.session.get(Membership, member_id)  # tenant-owned: another tenant's row is not found
    if member is None:
        abort(404)
    return member


def _confirm_revoke(member_id: int):
    """The question before a role is withdrawn (no JavaScript): whose role, what it means when it
    is your own admin role, and a refusal without a button when it is the tenant's last admin."""
    member = _member_or_404(member_id)
    last = member.role == "admin" and is_last_admin(g.tenant, member.user)
    own = member.user_id == current_user.id
    agency = db.session.get(OrgUnit, member.agency_id) if member.agency_id else None
    return render_template("admin/revoke_role.html", member=member, last=last, own=own, agency=agency)


@bp.route("/users/<int:member_id>/revoke", methods=["GET", "POST"])  # one rule: an id past an integer is a 404
@requires("core.admin")
def revoke(member_id: int):
    """GET: the question (``_confirm_revoke``). POST: withdraw a role once the admin confirmed it on
    the question page (a POST without ``confirm=1`` changes nothing and shows that page). The
    tenant's last admin keeps the role (``revoke_role`` refuses, the page says why, answered 400)."""
    if request.method == "GET":
        return _confirm_revoke(member_id)
    member = _member_or_404(member_id)
    if request.form.get("confirm") != "1":
        return redirect(url_for("admin.revoke", member_id=member_id))
    own = member.user_id == current_user.id and member.role == "admin"
    try:
        revoke_role(g.tenant, member.user, member.role, _actor())
    except PamongError as exc:
        db.session.rollback()
        agency = db.session.get(OrgUnit, member.agency_id) if member.agency_id else None
        return render_template("admin/revoke_role.html", member=member, own=own, agency=agency,
                               last=exc.code == "last_admin", error=str(exc.local or exc.message)), 400
    db.session.commit()
    flash(_("Role withdrawn."))
    if own:  # the admin pages are closed to them from now on
        return redirect(url_for("portal.home"))
    return redirect(url_for("admin.users"))


_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _date(name: str, label: str, problems: list[str]):
    """The filter's date ``name`` within the kit's bounds (``core/params.py``), or None with the
    problem noted (the page is shown again with it, answered 400)."""
    declare(name, "date")
    value = request.args.get(name)
    if not (value or "").strip():
        return None
    try:
        return parse_date(value)
    except OutOfBounds as exc:
        try:  # a real day, but out of bounds: say so; anything else: how dates are written
            out_of_bounds = bool(_DAY.fullmatch(value.strip()) and date.fromisoformat(value.strip()))
        except ValueError:
            out_of_bounds = False
        problems.append(f"{label}: {exc.message}" if out_of_bounds else _("Dates are written as YYYY-MM-DD."))
        return None


@bp.route("/audit")
@requires("core.audit.read")
def audit():
    from zoneinfo import ZoneInfo

    args = request.args
    query = db.select(AuditEntry)
    if args.get("action"):
        query = query.where(AuditEntry.action.startswith(args["action"]))
    if args.get("actor"):
        query = query.where(AuditEntry.actor == args["actor"].strip().lower())
    if args.get("object"):
        query = query.where(AuditEntry.object_id == args["object"])
    zone = ZoneInfo(g.tenant.timezone)  # the tenant's days, compared in UTC as stored
    problems: list[str] = []
    start, end = _date("from", _("From"), problems), _date("to", _("To"), problems)
    if start:
        query = query.where(AuditEntry.occurred_at >= datetime.combine(start, time(), zone).astimezone(timezone.utc))
    if end:
        day_after = datetime.combine(end + timedelta(days=1), time(), zone).astimezone(timezone.utc)
        query = query.where(AuditEntry.occurred_at < day_after)
    page = page_arg()
    entries = db.session.execute(
        query.order_by(AuditEntry.id.desc()).offset((page - 1) * PAGE).limit(PAGE + 1)
    ).scalars().all()
    return render_template(
        "admin/audit.html", entries=entries[:PAGE], page=page, has_next=len(entries) > PAGE, args=args,
        bad_dates=" ".join(dict.fromkeys(problems)),
    ), (400 if problems else 200)


from . import tokens  # noqa: E402,F401  (the API tokens page, on this blueprint)
from . import organisation  # noqa: E402,F401  (units, positions and their holders)
from . import documents  # noqa: E402,F401  (the register of signed documents, the signer's settings)
from . import official  # noqa: E402,F401  (a person's NIP and rank, as signed letters print them)
