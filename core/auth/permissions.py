"""Permissions: declared by the core and by modules, granted to roles per tenant, checked per route.

Every view is either ``@requires("perm")``, ``@public`` or (JSON API) ``@api_scope("scope")``;
a test walks the URL map and fails on any route that is none of these.
"""
from __future__ import annotations

import functools

from flask import abort, g, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.orm import Session

from ..extensions import db
from ..tenancy.scope import read_scope
from .models import Membership, RolePermission, User

IMPLICIT_ROLE = "citizen"  # every signed-in person is a citizen of every tenant


def csrf_exempt(target):
    """Exempt a blueprint or a view from the CSRF check (machine clients that authenticate by a
    token or a signature, not by the session cookie); returns ``target``, so it is a decorator too.
    ``@signed_webhook`` and ``@api_scope`` views are exempt already."""
    from ..extensions import csrf

    csrf.exempt(target)
    return target


def public(view):
    """Mark a view as open to anyone, signed in or not."""
    view._pamong_public = True
    return view


def requires(permission: str, *alternatives: str):
    """The view needs ``permission`` in the current tenant (sign-in first if anonymous), or any one
    of ``alternatives`` (``@requires("eoffice.work", "eoffice.oversee")``: an officer's page an
    auditor may also read; the view itself then tells them apart)."""
    accepted = (permission, *alternatives)

    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            if getattr(g, "tenant", None) is None:
                abort(404)
            if not current_user.is_authenticated:
                return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
            if not any(has_permission(current_user, g.tenant, p) for p in accepted):
                abort(403)
            return view(*args, **kwargs)

        wrapper._pamong_permission = " | ".join(accepted)
        return wrapper

    return decorate


def signed_in(view):
    """The view needs a signed-in user and no particular permission (e.g. own profile)."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    wrapper._pamong_permission = "signed-in"
    return wrapper


_MEMBERSHIPS = "_pamong_memberships"  # g: (user id, tenant id) -> the rows memberships_of read


def memberships_of(user: User, tenant) -> tuple:
    """The user's memberships in ``tenant`` and in its parent (a province's auditor): ``(tenant_id,
    role, agency_id)`` rows. Read once per request (roles, permissions and the agencies an officer
    serves all come from them: issue 11), and kept in the process while neither tenant's
    configuration changes (``config_cache.cached_memberships``: a membership changed bumps its
    tenant's version); a flush that changes any membership drops the request's copy."""
    key = (user.id, tenant.id)
    cache = g.setdefault(_MEMBERSHIPS, {}) if _in_request() else {}
    if key not in cache:
        from ..tenancy.config_cache import cached_memberships

        def read():
            scope = [tenant] + ([tenant.parent] if tenant.parent_id else [])
            with read_scope(scope):
                return tuple(tuple(row) for row in db.session.execute(
                    db.select(Membership.tenant_id, Membership.role, Membership.agency_id)
                    .where(Membership.user_id == user.id)
                ))

        cache[key] = cached_memberships(user.id, tenant, read)
    return cache[key]


@event.listens_for(Session, "before_flush")
def _forget_memberships(session, flush_context, instances):
    """Roles or agencies changed in this request: read them afresh (and the permissions they give)."""
    if _in_request() and any(isinstance(o, Membership) for o in (*session.new, *session.dirty, *session.deleted)):
        g.pop(_MEMBERSHIPS, None)
        g.pop("_pamong_permissions", None)


def roles_of(user: User, tenant) -> set[str]:
    """The user's roles in ``tenant``; an auditor of a province is an auditor of its children."""
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    rows = [(tenant_id, role) for tenant_id, role, _agency in memberships_of(user, tenant)]
    roles = {IMPLICIT_ROLE}
    for tenant_id, role in rows:
        if tenant_id == tenant.id:
            roles.add(role)
        elif role == "auditor":
            roles.add("auditor")
    return roles


def permissions_of(user: User, tenant) -> set[str]:
    cache = g.setdefault("_pamong_permissions", {}) if _in_request() else {}
    key = (getattr(user, "id", None), tenant.id)
    if key not in cache:
        if getattr(user, "is_operator", False):
            from ..modules import manager

            cache[key] = set(manager().all_permissions())
        else:
            from ..tenancy.config_cache import granted

            cache[key] = granted(tenant, roles_of(user, tenant))
    return cache[key]


def has_permission(user: User, tenant, permission: str) -> bool:
    return permission in permissions_of(user, tenant)


def _in_request() -> bool:
    from flask import has_request_context

    return has_request_context()


def grant_defaults(tenant, declared: list[dict]) -> None:
    """Grant each declared permission to its default roles in ``tenant`` (missing grants only)."""
    existing = set(db.session.execute(
        db.select(RolePermission.role, RolePermission.permission).where(RolePermission.tenant_id == tenant.id)
    ).all())
    for perm in declared:
        for role in perm.get("roles", []):
            if (role, perm["name"]) not in existing:
                db.session.add(RolePermission(tenant_id=tenant.id, role=role, permission=perm["name"]))
                existing.add((role, perm["name"]))
