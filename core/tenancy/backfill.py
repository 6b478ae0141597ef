"""Backfills over every tenant's rows, for data migrations (DESIGN §4): one tenant at a time.

PostgreSQL guards tenant-owned tables with FORCEd Row Level Security (``core/rls.py``): the owner
that runs ``pamong db upgrade`` in production is held by the policies as the app's role is (only a
superuser or a BYPASSRLS role is not, and the owner is neither). The policy every role has shows
the rows of the *one* tenant ``pamong.tenant_ids`` names; a list of several tenants shows them
only to the ``<app role>_several`` role, so a migration that named every tenant at once read and
wrote nothing as soon as there were two. ``each_tenant`` names each tenant alone instead::

    from core.kit import each_tenant

    def upgrade():
        bind = op.get_bind()
        each_tenant(bind, lambda tenant: bind.execute(sa.text(
            "UPDATE library_loans SET late = true WHERE tenant_id = :tenant AND due < now()"
        ), {"tenant": tenant}))

The backfill's statements name the tenant themselves (``tenant_id = :tenant``): a role that bypasses
Row Level Security (a superuser: the tests, a demo) sees every tenant's rows, and the statement must
do the same there. SQLite has no Row Level Security; the walk is the same there, so one code path
serves both databases.
"""
from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

_SCOPE = sa.text("SELECT set_config('pamong.tenant_ids', :ids, true)")


def each_tenant(bind, backfill: Callable[[int], object]) -> int:
    """Call ``backfill(tenant_id)`` once per tenant, in id order, on the migration's connection
    ``bind``. On PostgreSQL, before each call ``pamong.tenant_ids`` names that tenant alone, for this
    transaction only (``set_config(..., true)``); afterwards it names none. Returns the sum of what
    the calls return that is a number (a result's ``rowcount`` counts as one), e.g. rows changed."""
    postgres = bind.dialect.name == "postgresql"
    total = 0
    for tenant_id in bind.execute(sa.text("SELECT id FROM tenants ORDER BY id")).scalars().all():
        if postgres:
            bind.execute(_SCOPE, {"ids": str(tenant_id)})
        done = backfill(tenant_id)
        if isinstance(done, sa.engine.CursorResult):
            done = done.rowcount
        if isinstance(done, int) and not isinstance(done, bool) and done > 0:
            total += done
    if postgres:
        bind.execute(_SCOPE, {"ids": ""})
    return total
