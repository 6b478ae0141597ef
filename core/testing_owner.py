"""Migrations run as production runs them (tests): by an owner that is not a superuser.

The tests' PostgreSQL login is a superuser, which Row Level Security never holds; the owner that
runs ``pamong db upgrade`` in production is not one, and the FORCEd policies (``core/rls.py``) hold
it as they hold the app. ``plain_owner_config(url)`` hands a scratch database built by the
superuser (every table, sequence, function, and the database itself) to a role of its own that is
neither superuser nor BYPASSRLS, and returns the settings of an app that migrates as that role,
with a restricted login of its own, as deployed::

    app = create_app({**plain_owner_config(scratch_url), "SECRET_KEY": "x", ...})
    migrate.upgrade(app)   # a data migration now sees what that owner would see

Policies are the previous release's: apply them first (``migrate.set_up_roles``) where the database
was built without ``migrate.upgrade``. On SQLite (no roles, no Row Level Security) the settings are
the URL's alone. The roles are named after the database (``<database>_owner``, ``<database>_login``),
so scratch databases of different test runs do not share them.
"""
from __future__ import annotations

import re

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PASSWORD = "owner-in-test"

_OWNED = """
SELECT CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                      ELSE 'TABLE' END, quote_ident(c.relname)
FROM pg_class c
WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                  AND d.deptype IN ('a', 'i'))  -- a column's own sequence follows its table
UNION ALL
SELECT 'FUNCTION', p.oid::regprocedure::text FROM pg_proc p
WHERE p.pronamespace = current_schema()::regnamespace AND p.prokind = 'f'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                  AND d.deptype = 'e')  -- an extension's functions stay the extension's
"""


def plain_owner_config(url: str) -> dict:
    """The settings (``DATABASE_URL``, ``DATABASE_OWNER_URL``) of an app on the scratch database
    ``url`` (a superuser's login) that migrates as an owner without power over Row Level Security;
    on PostgreSQL the database is handed to that owner first (module docstring)."""
    base = make_url(url)
    if base.get_backend_name() != "postgresql":
        return {"DATABASE_URL": url}
    database = re.sub(r"[^a-z0-9_]", "_", (base.database or "db").lower())[:50]
    owner, login = f"{database}_owner", f"{database}_login"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            made = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": owner}).scalar()
            verb = "ALTER" if made else "CREATE"
            conn.execute(text(f'{verb} ROLE "{owner}" LOGIN NOSUPERUSER NOBYPASSRLS CREATEROLE '
                              f"PASSWORD '{PASSWORD}'"))
            conn.execute(text(f'ALTER DATABASE "{base.database}" OWNER TO "{owner}"'))
            for kind, name in conn.execute(text(_OWNED)).all():
                conn.execute(text(f'ALTER {kind} {name} OWNER TO "{owner}"'))
    finally:
        admin.dispose()
    return {
        "DATABASE_URL": base.set(username=login, password=PASSWORD).render_as_string(hide_password=False),
        "DATABASE_OWNER_URL": base.set(username=owner, password=PASSWORD).render_as_string(hide_password=False),
    }
