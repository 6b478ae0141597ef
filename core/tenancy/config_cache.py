"""A tenant's configuration in memory, correct across processes (issue 11.2).

Every request reads its tenant's row anyway (``resolve.py``); the row carries ``config_version``,
which every change to the tenant's configuration bumps in the same transaction (a ``before_flush``
listener below: modules enabled, disabled or re-set, domains, units, positions and their holders,
role grants, people's memberships (roles and agencies), API tokens (created, revoked), and the tenant's own fields — not the audit
chain's head, which moves all day). Each process keeps
the tenant's enabled modules, module settings and organisation units under ``(tenant id, version)``; a change made by
``tenant apply``, the admin pages or another gunicorn worker is therefore seen by every worker at
its next request, and a cache entry can never serve one tenant's configuration for another.
A person's memberships of a tenant are kept the same way (``cached_memberships``), so a signed-in
page does not read them, with a switch of the Row Level Security role, on every request.

A transaction that changed a tenant's configuration fills no cache (``_DIRTY``, ``may_keep``): what
it read may be rolled back, and the version it read would then be reused by the next change. This
holds for every kind kept under a version (the configuration, memberships, and what a module keeps
itself under ``config_version``, which asks ``may_keep`` before it keeps anything).

Changes made with raw SQL (``UPDATE tenant_modules ...``) bypass the listener: use the ORM, or bump
``tenants.config_version`` in the same statement batch.
"""
from __future__ import annotations

import copy
import threading
from dataclasses import dataclass
from types import MappingProxyType

from cachetools import LRUCache
from flask import current_app, has_app_context
from sqlalchemy import event, inspect, update
from sqlalchemy.orm import Session

from ..extensions import db
from .models import Domain, OrgUnit, Position, PositionHolder, Tenant, TenantModule
from .scope import tenant_scope

_EXTENSION = "pamong_tenant_config"
_CONFIG_CLASSES = (TenantModule, Domain, OrgUnit, Position, PositionHolder)  # + RolePermission: _config_classes()
_NOT_CONFIG = {"config_version", "audit_head_seq", "audit_head_hash"}  # tenant columns that are no config
_MEMBERSHIPS = "pamong_memberships"  # app.extensions: (user id, tenant id, version, parent's id and version) -> rows
_DIRTY = "pamong_config_changed"  # session.info: this transaction bumped a tenant's version


@dataclass(frozen=True)
class UnitInfo:
    """One organisation unit (agency, district, village, ...) as a request reads it: a snapshot of
    its ``OrgUnit`` row that no session owns (``extra`` read-only). To change a unit, load the row."""

    id: int
    tenant_id: int
    kind: str
    code: str
    name: str
    parent_id: int | None
    active: bool
    extra: MappingProxyType


@dataclass(frozen=True)
class TenantConfig:
    """What a request needs of a tenant's configuration: which modules are on, each one's stored
    settings, and the organisation units (every kind, active or not, by name)."""

    enabled: frozenset
    settings: dict  # module name -> stored settings (defaults are filled in by core.settings)
    units: tuple = ()  # UnitInfo, ordered by name
    grants: dict = None  # role -> frozenset of the permissions granted to it in this tenant


def _store():
    """This app's cache (one per app: the tests run SQLite and PostgreSQL apps in one process)."""
    app = current_app._get_current_object()
    store = app.extensions.get(_EXTENSION)
    if store is None:
        store = app.extensions[_EXTENSION] = (LRUCache(maxsize=4096), threading.Lock())
    return store


def _shared(name: str, size: int):
    app = current_app._get_current_object()
    store = app.extensions.get(name)
    if store is None:
        store = app.extensions[name] = (LRUCache(maxsize=size), threading.Lock())
    return store


def cached_memberships(user_id: int, tenant, read):
    """``read()`` (a person's membership rows in ``tenant`` and its parent), kept in this process
    while neither tenant's configuration changes: a membership granted, changed or withdrawn bumps
    its tenant's version (``_bump_versions``), so every process reads it afresh at its next request."""
    parent = tenant.parent if tenant.parent_id else None
    key = (user_id, tenant.id, _version(tenant), parent.id if parent else None, _version(parent) if parent else None)
    cache, lock = _shared(_MEMBERSHIPS, 16384)
    with lock:
        found = cache.get(key)
    if found is not None:
        return found
    found = read()
    if may_keep():
        with lock:
            cache[key] = found
    return found


_TOKENS = "pamong_api_tokens"  # app.extensions: (tenant id, version, digest) -> the token's column values


def cached_token(tenant, digest: str, read):
    """``read()`` (the tenant's unrevoked ``ApiToken`` with this digest, or None), its columns kept in
    this process while the tenant's configuration is unchanged: a token created or revoked bumps
    the version (``ApiToken`` is a configuration class). Returns a detached ``ApiToken`` made from
    them (a new one per call: no request shares an object with another), or None (not kept)."""
    from sqlalchemy.orm import make_transient_to_detached

    from ..auth.models import ApiToken

    key = (tenant.id, _version(tenant), digest)
    cache, lock = _shared(_TOKENS, 4096)
    with lock:
        found = cache.get(key)
    if found is None:
        row = read()
        if row is None:
            return None
        found = {c.key: getattr(row, c.key) for c in inspect(ApiToken).column_attrs}
        found["scopes"] = tuple(found["scopes"] or ())
        if may_keep():
            with lock:
                cache[key] = found
    token = ApiToken.__mapper__.class_manager.new_instance()  # as the ORM builds a loaded row
    token.__dict__.update(found, scopes=list(found["scopes"]))
    make_transient_to_detached(token)
    return token


def may_keep() -> bool:
    """Whether what the current transaction read of a tenant's configuration may be kept in memory
    under the version it read: not once the transaction changed configuration (``_DIRTY``), since
    it may still roll back, and the next change would then reuse that version number for something
    else. Ask after reading (a read may flush a change, which bumps the version)."""
    return not db.session.info.get(_DIRTY)


def _version(tenant) -> int:
    """The tenant's version: from the row this session holds, else read afresh (a detached tenant
    object, e.g. one kept by a job or a test, may predate a change)."""
    state = inspect(tenant)
    if state.session is db.session() and not state.detached:
        return tenant.config_version
    return db.session.execute(
        db.select(Tenant.config_version).where(Tenant.id == tenant.id)
    ).scalar_one()


def tenant_config(tenant) -> TenantConfig:
    """The tenant's enabled modules and stored module settings, from memory when current."""
    cache, lock = _store()
    key = (tenant.id, _version(tenant))
    with lock:
        found = cache.get(key)
    if found is not None:
        return found
    from ..auth.models import RolePermission

    with tenant_scope(tenant):
        rows = db.session.execute(
            db.select(TenantModule.module, TenantModule.enabled, TenantModule.settings)
        ).all()
        grants: dict[str, set] = {}
        for role, permission in db.session.execute(db.select(RolePermission.role, RolePermission.permission)):
            grants.setdefault(role, set()).add(permission)
        units = db.session.execute(
            db.select(OrgUnit.id, OrgUnit.tenant_id, OrgUnit.kind, OrgUnit.code, OrgUnit.name, OrgUnit.parent_id,
                      OrgUnit.active, OrgUnit.extra).order_by(OrgUnit.name, OrgUnit.id)
        ).all()
    found = TenantConfig(
        enabled=frozenset(module for module, enabled, _ in rows if enabled),
        settings={module: copy.deepcopy(settings or {}) for module, _, settings in rows},
        units=tuple(UnitInfo(*row[:7], MappingProxyType(copy.deepcopy(row[7] or {}))) for row in units),
        grants={role: frozenset(found) for role, found in grants.items()},
    )
    if may_keep():  # after the reads: they may have flushed a change (the key's version is then gone)
        with lock:
            cache[key] = found
    return found


def org_units(tenant, kind: str | None = None, active_only: bool = True) -> list[UnitInfo]:
    """The tenant's organisation units of ``kind`` (every kind when None), ordered by name; only the
    active ones unless ``active_only`` is False. From memory while the tenant's configuration is
    unchanged (no query on a warm request: issue 11.2); snapshots, not ORM rows."""
    return [u for u in tenant_config(tenant).units
            if (kind is None or u.kind == kind) and (u.active or not active_only)]


def granted(tenant, roles) -> set[str]:
    """The permissions ``roles`` are granted in ``tenant`` (``role_permissions``), from memory while
    the tenant's configuration is unchanged: a grant or withdrawal bumps its version."""
    grants = tenant_config(tenant).grants
    return set().union(*(grants.get(role, ()) for role in roles))


def _config_classes() -> tuple:
    from ..auth.models import ApiToken, Membership, RolePermission  # the auth models build on the tenancy ones

    return _CONFIG_CLASSES + (RolePermission, Membership, ApiToken)


def _changed_tenants(session: Session) -> set[int]:
    ids = set()
    classes = _config_classes()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, classes):
            if obj.tenant_id is not None:
                ids.add(obj.tenant_id)
        elif isinstance(obj, Tenant) and obj.id is not None and obj not in session.new:
            state = inspect(obj)
            if any(attr.key not in _NOT_CONFIG and attr.history.has_changes() for attr in state.attrs):
                ids.add(obj.id)
    return ids


@event.listens_for(Session, "before_flush")
def _bump_versions(session, flush_context, instances):
    ids = _changed_tenants(session)
    if not ids:
        return
    session.info[_DIRTY] = True
    session.execute(
        update(Tenant).where(Tenant.id.in_(sorted(ids))).values(config_version=Tenant.config_version + 1)
        .execution_options(synchronize_session=False)
    )
    for obj in session.identity_map.values():
        if isinstance(obj, Tenant) and obj.id in ids:
            session.expire(obj, ["config_version"])


@event.listens_for(Session, "after_transaction_end")
def _transaction_over(session, transaction):
    if transaction.parent is None:  # the outermost: committed or rolled back, what it read is settled
        session.info.pop(_DIRTY, None)


def clear(app=None) -> None:
    """Drop this process's cached configurations (tests; a manual `flask shell` fix)."""
    if app is None and not has_app_context():
        return
    (app or current_app).extensions.pop(_EXTENSION, None)
    (app or current_app).extensions.pop(_MEMBERSHIPS, None)
    (app or current_app).extensions.pop(_TOKENS, None)
