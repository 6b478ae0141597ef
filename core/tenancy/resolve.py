"""Which tenant a request is for (DESIGN §3): its host, else the path prefix ``/t/<slug>/``."""
from __future__ import annotations

import functools
import re

from flask import abort, g, request
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import NotFound

from ..extensions import db
from .config_cache import tenant_config
from .models import Domain, Tenant
from .scope import Scope, reset_scope, set_scope

_PREFIX = re.compile(r"^/t/([a-z][a-z0-9-]{1,62})(/.*)?$")


class UnknownTenant(NotFound):
    """404 for ``/t/<slug>/`` naming no tenant; answered in the path's format (``http_errors``)."""

    pamong_code = "unknown_tenant"


class PathPrefixMiddleware:
    """Moves ``/t/<slug>`` from PATH_INFO to SCRIPT_NAME, so the same routes serve both modes
    and ``url_for`` builds links that keep the prefix."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        match = _PREFIX.match(environ.get("PATH_INFO", ""))
        if match:
            slug, rest = match.group(1), match.group(2) or "/"
            environ["pamong.slug"] = slug
            environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + f"/t/{slug}"
            environ["PATH_INFO"] = rest
        return self.wsgi_app(environ, start_response)


def resolve_tenant():
    """before_request: set ``g.tenant`` (or None), ``g.enabled_modules`` and the tenant scope."""
    g.tenant = None
    g.enabled_modules = frozenset()
    slug = request.environ.get("pamong.slug")
    if slug:
        tenant = _first_statement(_by_slug(), {"slug": slug})
    else:
        tenant = _first_statement(_by_host(), {"host": request.host.split(":")[0].lower()})
    if tenant is None and slug:
        raise UnknownTenant()
    if tenant is None:
        return None
    enter_tenant(tenant)
    return None


# built once, only their parameters change: building the statement anew was a tenth of the
# request's tenant lookup (bench/smartcard.py). Neither table is tenant-owned (no tenant is in scope
# yet): the ORM's tenant filter, which every other read gets, has nothing to filter here and is not
# added (it was a fifth of the statement's time).
@functools.cache
def _by_slug():
    return db.select(Tenant).where(Tenant.slug == db.bindparam("slug")).execution_options(skip_tenant_scope=True)


@functools.cache
def _by_host():
    return (db.select(Tenant).join(Domain).where(Domain.host == db.bindparam("host"))
            .execution_options(skip_tenant_scope=True))


def _first_statement(query, params: dict):
    """The request's first statement, run once more on a fresh connection when the pooled one turns
    out to be dead (a database restart, a proxy's idle timeout): the pool does no ping per checkout
    (issue 11.5), it recycles connections after ``PAMONG_DB_POOL_RECYCLE`` seconds instead."""
    try:
        return db.session.execute(query, params).scalar_one_or_none()
    except DBAPIError as exc:
        if not exc.connection_invalidated:
            raise
        db.session.rollback()  # the pool has dropped every connection it held from before
        return db.session.execute(query, params).scalar_one_or_none()


def enter_tenant(tenant: Tenant) -> None:
    """Make ``tenant`` the request's tenant: ``g.tenant``, its enabled modules and its scope."""
    g.tenant = tenant
    g._scope_token = set_scope(Scope((tenant.id,), tenant.id))
    g.enabled_modules = tenant_config(tenant).enabled  # from memory while the tenant is unchanged


def release_tenant(exc=None):
    from ..failed_transaction import discard_failed_transaction

    discard_failed_transaction(exc)  # a failed flush must not fail the teardown a second time
    token = g.pop("_scope_token", None)
    if token is not None:
        # what the view did not commit is discarded with the request's session: no flush, and no
        # RLS setting sent for a transaction about to be rolled back
        reset_scope(token, flush=False, sync=False)


def deployment_wide(blueprint, find_tenant):
    """Let ``blueprint`` also answer on the deployment's own host, where no tenant is resolved.

    ``find_tenant()`` runs only then (never when the host or ``/t/<slug>/`` named a tenant); it reads
    the request (e.g. Open311's ``jurisdiction_id``) and returns the Tenant, or None for a 404; it
    may raise an exception the blueprint's error handlers answer in their own format. The tenant it
    returns becomes the request's tenant (scope included), and the module guard applies as usual.
    """
    blueprint.pamong_find_tenant = find_tenant
    return blueprint


def module_guard(name: str, find_tenant=None):
    """A blueprint's before_request: 404 unless the request's tenant has enabled module ``name``.

    With ``find_tenant`` (a ``deployment_wide`` blueprint), a request with no tenant asks it first.
    """

    def guard():
        if getattr(g, "tenant", None) is None and find_tenant is not None:
            tenant = find_tenant()
            if tenant is not None:
                enter_tenant(tenant)
                g.deployment_wide = True
        if getattr(g, "tenant", None) is None or name not in g.enabled_modules:
            abort(404)

    return guard
