"""Wall two of tenant isolation (DESIGN §4): PostgreSQL Row Level Security.

Every table with a ``tenant_id`` column gets a FORCEd policy that shows only the rows of the
tenants named in the transaction's ``pamong.tenant_ids`` setting (set by ``scope.py``). The app
logs in as a restricted role (production) or, in a demo, switches to one from the owner's login;
migrations run as the owner (``PAMONG_DATABASE_OWNER_URL``).

Two policies per table, so that the planner estimates the common case well (issue 11, issue 20):

- ``tenant_isolation`` (every role): ``tenant_id = pamong_current_tenant()``, the one tenant in
  scope (NULL, so no rows, when none or several are). Being an equality with a value fixed for the
  statement, PostgreSQL puts it in one equivalence class with the ORM's own ``tenant_id = :id``
  (wall one, ``scope.py``): the pair is estimated, and used in an index, as one condition, and the
  policy becomes a one-time check that the setting names that tenant. The former single form,
  ``tenant_id = ANY (<the list>)``, was estimated as a second, independent condition: the
  selectivities multiplied (~92 rows expected where there were 25,000), so the planner sorted
  bitmap heap scans instead of walking the queue's indexes in order.
- a policy named as the NOLOGIN role ``several_tenants_role(app role)``, for that role only
  (each app role its own, so applying one app role's policies leaves another's in place):
  ``tenant_id = ANY (pamong_current_tenants())``, for a scope naming several tenants (a province
  auditor, ``read_scope``). ``scope.py`` switches the transaction to that role (``SET LOCAL
  ROLE``) with the setting; the role has the app role's grants and nothing else, and the switch
  ends with the transaction. A role that may act as it sees exactly the tenants of the setting,
  as before: isolation is as strong as it was.
"""
from __future__ import annotations

import re

from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from .errors import PamongError

_IDENT = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")

# the role a transaction reading several tenants at once switches to (scope.py): one per app role,
# since roles are the cluster's, not a database's. A role shared by two deployments on one cluster
# would let one deployment's app, connected to the other's database, read it through that role.
SEVERAL_SUFFIX = "_several"


def several_tenants_role(app_role: str) -> str:
    """The NOLOGIN role the app role ``app_role`` switches to for a scope of several tenants
    (``<app_role>_several``); ``ValueError`` if that is not a plain PostgreSQL identifier (the app
    role's name is then longer than 55 characters)."""
    return _check_ident(f"{app_role}{SEVERAL_SUFFIX}")

# the one tenant in scope, or NULL (none or several): an inlinable expression (no function call per row)
CURRENT_TENANT_FN = """
CREATE OR REPLACE FUNCTION pamong_current_tenant() RETURNS integer
LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN current_setting('pamong.tenant_ids', true) ~ '^[0-9]{1,9}$'
              THEN current_setting('pamong.tenant_ids', true)::integer END
$$;
"""

CURRENT_TENANTS_FN = """
CREATE OR REPLACE FUNCTION pamong_current_tenants() RETURNS integer[]
LANGUAGE sql STABLE AS $$
  SELECT coalesce(string_to_array(nullif(current_setting('pamong.tenant_ids', true), ''), ',')::integer[],
                  '{}'::integer[])
$$;
"""

AUDIT_GUARD = """
CREATE OR REPLACE FUNCTION pamong_audit_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR OLD.hash IS NOT NULL THEN
    RAISE EXCEPTION 'audit entries are append-only (entry %)', OLD.id;
  END IF;
  IF NEW.tenant_id IS DISTINCT FROM OLD.tenant_id OR NEW.summary::text IS DISTINCT FROM OLD.summary::text
     OR NEW.action IS DISTINCT FROM OLD.action OR NEW.actor IS DISTINCT FROM OLD.actor
     OR NEW.object_id IS DISTINCT FROM OLD.object_id OR NEW.occurred_at IS DISTINCT FROM OLD.occurred_at THEN
    RAISE EXCEPTION 'only the sealer may update an audit entry, and only to seal it (entry %)', OLD.id;
  END IF;
  RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS audit_append_only ON audit_entries;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit_entries
  FOR EACH ROW EXECUTE FUNCTION pamong_audit_append_only();
"""


def _check_ident(name: str) -> str:
    if not _IDENT.match(name):
        raise ValueError(f"'{name}' is not a plain PostgreSQL identifier")
    return name


# The roles a login may act as (itself and every role it is a member of, directly or not; in
# PostgreSQL 15 a member may SET ROLE to any of them) and what each could do to Row Level Security.
ROLE_POWERS = """
SELECT r.rolname, r.rolsuper, r.rolbypassrls, r.rolcreaterole,
       EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE c.relowner = r.oid AND n.nspname = current_schema() AND c.relkind IN ('r', 'p'))
       OR EXISTS (SELECT 1 FROM pg_namespace n WHERE n.nspname = current_schema() AND n.nspowner = r.oid)
FROM pg_roles r
WHERE pg_has_role(%(login)s, r.oid, 'MEMBER')
ORDER BY r.rolname <> %(login)s, r.rolname
"""


def bypass_reason(cursor, login: str) -> str | None:
    """Why ``login`` could escape Row Level Security, or None. Checked: superuser, BYPASSRLS,
    CREATEROLE (before PostgreSQL 16 it can grant itself the owner's role), owning a table or
    the schema (an owner may switch RLS off), and being a member of a role that has any of these.
    ``cursor`` is a DB-API cursor (psycopg)."""
    cursor.execute(ROLE_POWERS, {"login": login})
    for name, superuser, bypassrls, createrole, owns in cursor.fetchall():
        power = ("superuser" if superuser else "BYPASSRLS" if bypassrls else "CREATEROLE" if createrole
                 else "owns the schema's tables" if owns else None)
        if power:
            return power if name == login else f"member of '{name}', which is {power}".replace("is owns", "owns")
    return None


# psycopg prepares a statement run five times on a connection, and PostgreSQL may then keep one
# generic plan for it, estimated for an average tenant (tenant_id = $1: 1/number of tenants). A
# tenant with a tenth of the rows then gets the small tenant's plan: at 100,000 complaints the
# Open311 list's deep page took a bitmap scan and a sort of 12,000 rows (62 ms) instead of walking
# its index (20 ms). Lists over a tenant's rows therefore plan for their own tenant (``custom_plans``):
# the rest of their transaction's statements are sent unprepared, and PostgreSQL plans an unnamed
# statement for the values it is given, as ``plan_cache_mode = force_custom_plan`` would, without
# a ``SET LOCAL`` round trip per request (issue 11.5). Everything else keeps psycopg's preparing
# and PostgreSQL's choice, since replanning every statement of every request costs more than it
# saves where a statement finds its rows by a key (the ledger's transfer lost a third of its rate
# to it: bench/ledger.py).
CUSTOM_PLANS = "pamong_custom_plans"  # connection.info: this transaction's statements go unprepared


def custom_plans(session) -> None:
    """Plan the rest of ``session``'s transaction for the tenant at hand (PostgreSQL: its statements
    are not prepared, so each is planned for its own values; it ends with the transaction). For lists
    and counts over a tenant's rows, whose best plan depends on the tenant's size. Sends nothing;
    nothing on SQLite."""
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        conn.info[CUSTOM_PLANS] = True


@event.listens_for(Engine, "begin")
def _prepared_again(connection):
    connection.info.pop(CUSTOM_PLANS, None)


@event.listens_for(Engine, "do_execute")
def _unprepared(cursor, statement, parameters, context):
    return _on_driver_execute(cursor, statement, parameters, context)


@event.listens_for(Engine, "do_execute_no_params")
def _unprepared_no_params(cursor, statement, context):
    return _on_driver_execute(cursor, statement, None, context)


def _on_driver_execute(cursor, statement, parameters, context):
    """Where a statement reaches the driver (psycopg): the tenant scope's setting left for it
    (``tenancy.scope.SCOPE_PENDING``) goes first, in the same round trip (pipeline mode), and a
    statement of a ``custom_plans`` transaction is sent with ``prepare=False``. Otherwise the
    dialect executes it as usual."""
    from .tenancy.scope import SCOPE_PENDING, plain_cursor

    try:
        info = context.root_connection.info
    except NotImplementedError:  # the dialect's first look at a new database (no pooled connection yet)
        return None
    if not plain_cursor(cursor):  # a named (server-side) cursor: never prepared, never left a setting
        return None
    pending = info.pop(SCOPE_PENDING, None)
    prepare = False if info.get(CUSTOM_PLANS) else None
    if pending is not None:
        with cursor.connection.pipeline():
            cursor.connection.execute(*pending)
            cursor.execute(statement, parameters, prepare=prepare)
        return True
    if prepare is False:
        cursor.execute(statement, parameters, prepare=False)
        return True
    return None


def assume_app_role(dbapi_conn, cursor, role: str, demo: bool = False) -> None:
    """On each new connection: make sure every statement of the app is subject to RLS.

    Production: the URL logs in as the restricted role itself; the connection is refused
    (``PamongError``, code ``db_login_bypasses_rls``) if that login could become a role that
    bypasses RLS (``bypass_reason``), since one ``RESET ROLE`` or ``SET ROLE`` would then see every
    tenant. Demo (``PAMONG_DEMO=1``): the URL may log in as the owner, which switches to the NOLOGIN
    role ``role`` with SET ROLE (``pamong init`` lets the owner do so; a convenience that a
    ``RESET ROLE`` undoes, so never for real data).
    """
    cursor.execute("SELECT session_user, EXISTS (SELECT 1 FROM pg_roles WHERE rolname = %s)", (role,))
    user, exists = cursor.fetchone()
    if demo:
        if user != role:
            if not exists:
                dbapi_conn.rollback()
                raise PamongError(
                    f"the restricted role '{role}' does not exist yet: run 'pamong init' (or 'pamong db upgrade')",
                    where="PAMONG_DATABASE_URL", code="db_not_initialised",
                )
            import psycopg

            try:
                cursor.execute(f'SET ROLE "{_check_ident(role)}"')
            except psycopg.errors.InsufficientPrivilege:
                dbapi_conn.rollback()
                raise PamongError(
                    f"'{user}' may not switch to the restricted role '{role}': run 'pamong init' with "
                    "this URL (and PAMONG_DEMO=1, without PAMONG_DATABASE_OWNER_URL) to let it",
                    where="PAMONG_DATABASE_URL", code="db_not_initialised",
                ) from None
        dbapi_conn.commit()
        return
    reason = bypass_reason(cursor, user)
    dbapi_conn.rollback()
    if reason:
        raise PamongError(
            f"the app logs in as '{user}', which can bypass Row Level Security ({reason}); log in as "
            "the restricted role that 'pamong init' makes from PAMONG_DATABASE_OWNER_URL "
            "(README: Running it for real), or set PAMONG_DEMO=1 for a demo",
            where="PAMONG_DATABASE_URL", code="db_login_bypasses_rls",
        )


def check_login(app) -> None:
    """Open one connection of ``app`` now, so a login that would bypass RLS (or a database not
    initialised) stops ``serve``/``worker``/gunicorn at start-up with ``PamongError`` instead of
    failing each request. Does nothing on SQLite."""
    from .extensions import db

    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            return
        with db.engine.connect():
            pass


def ensure_app_role(conn, role: str) -> None:
    """Demo set-up: create the NOLOGIN restricted role if missing and let the owner switch to it."""
    role = _check_ident(role)
    exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).scalar()
    if not exists:
        conn.execute(text(f'CREATE ROLE "{role}" NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE'))
    conn.execute(text(f'GRANT "{role}" TO CURRENT_USER'))


def ensure_login_role(conn, role: str, password: str | None) -> None:
    """Production set-up (run as the owner): create or update the app's LOGIN role ``role`` without
    any power over RLS, with ``password`` when given (from PAMONG_DATABASE_URL). Raises
    ``PamongError`` if that login is the owner's own or could still bypass RLS."""
    role = _check_ident(role)
    owner = conn.execute(text("SELECT current_user")).scalar_one()
    if owner == role:
        raise PamongError(
            f"logs in as '{role}', the same role as PAMONG_DATABASE_OWNER_URL; the app needs a restricted "
            "login of its own", where="PAMONG_DATABASE_URL", code="db_login_is_owner",
        )
    from psycopg import sql

    exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).scalar()
    # CREATE ROLE's defaults are NOSUPERUSER NOBYPASSRLS NOCREATEROLE...; an existing role only
    # gets its LOGIN and password (changing the other attributes takes a superuser), then is checked.
    statement = sql.SQL("{} ROLE {} LOGIN").format(sql.SQL("ALTER" if exists else "CREATE"), sql.Identifier(role))
    if password:
        statement += sql.SQL(" PASSWORD {}").format(sql.Literal(password))
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        cursor.execute(statement)  # no parameters: a '%' in the password is only a character
        reason = bypass_reason(cursor, role)
    finally:
        cursor.close()
    if reason:
        raise PamongError(
            f"the app's login '{role}' can bypass Row Level Security ({reason}): revoke that from it",
            where="PAMONG_DATABASE_URL", code="db_login_bypasses_rls",
        )


def tenant_tables(conn) -> list[str]:
    return list(conn.execute(text(
        "SELECT c.table_name FROM information_schema.columns c "
        "JOIN information_schema.tables t ON t.table_name = c.table_name AND t.table_schema = c.table_schema "
        "WHERE c.table_schema = current_schema() AND c.column_name = 'tenant_id' AND t.table_type = 'BASE TABLE' "
        "AND c.table_name <> 'tenant_domains' ORDER BY c.table_name"
    )).scalars())


def ensure_several_tenants_role(conn, role: str) -> None:
    """The NOLOGIN role ``several_tenants_role(role)`` (no power over RLS), made a role ``role`` may
    switch to. ``role`` is already a plain identifier.

    ``role`` becomes NOINHERIT: a policy ``TO`` a role also applies to every role that inherits its
    privileges, so without it the app role would get the several-tenants policy OR-ed to its own and
    the planner would again see two independent conditions. Being a member still lets it SET ROLE."""
    several = several_tenants_role(role)
    exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": several}).scalar()
    if not exists:
        conn.execute(text(f'CREATE ROLE "{several}" NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE'))
    # each step only when needed, so that a DBA may make all this beforehand for an owner without CREATEROLE
    if conn.execute(text("SELECT rolinherit FROM pg_roles WHERE rolname = :r"), {"r": role}).scalar():
        conn.execute(text(f'ALTER ROLE "{role}" NOINHERIT'))
    if not conn.execute(text("SELECT pg_has_role(:r, :s, 'MEMBER')"), {"r": role, "s": several}).scalar():
        conn.execute(text(f'GRANT "{several}" TO "{role}"'))


def apply_policies(conn, role: str) -> list[str]:
    """Grant the app role (and the several-tenants role) their rights and (re)create the two
    policies on every tenant-owned table (module docstring)."""
    role = _check_ident(role)
    ensure_several_tenants_role(conn, role)
    conn.execute(text(CURRENT_TENANTS_FN))
    conn.execute(text(CURRENT_TENANT_FN))
    for grantee in (role, several_tenants_role(role)):
        conn.execute(text(f'GRANT USAGE ON SCHEMA public TO "{grantee}"'))
        conn.execute(text(f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{grantee}"'))
        conn.execute(text(f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{grantee}"'))
        conn.execute(text(f'REVOKE UPDATE, DELETE ON audit_entries FROM "{grantee}"'))
        conn.execute(text(f'GRANT UPDATE (seq, prev_hash, hash) ON audit_entries TO "{grantee}"'))
        for (version_table,) in conn.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE 'alembic_version_%'"
        )):
            conn.execute(text(f'REVOKE ALL ON "{_check_ident(version_table)}" FROM "{grantee}"'))
    conn.execute(text(AUDIT_GUARD))
    tables = tenant_tables(conn)
    for table in tables:
        table = _check_ident(table)
        conn.execute(text(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY'))
        conn.execute(text(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY'))
        conn.execute(text(f'DROP POLICY IF EXISTS tenant_isolation ON "{table}"'))
        several = several_tenants_role(role)
        conn.execute(text(f'DROP POLICY IF EXISTS "{several}" ON "{table}"'))
        conn.execute(text(f'DROP POLICY IF EXISTS tenant_isolation_several ON "{table}"'))  # an early name, shared
        conn.execute(text(
            f'CREATE POLICY tenant_isolation ON "{table}" '
            "USING (tenant_id = pamong_current_tenant()) WITH CHECK (tenant_id = pamong_current_tenant())"
        ))
        conn.execute(text(
            f'CREATE POLICY "{several}" ON "{table}" TO "{several}" '
            "USING (tenant_id = ANY (pamong_current_tenants())) "
            "WITH CHECK (tenant_id = ANY (pamong_current_tenants()))"
        ))
    return tables
