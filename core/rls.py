"""Wall two of tenant isolation (DESIGN §4): PostgreSQL Row Level Security.

Every table with a ``tenant_id`` column gets a FORCEd policy that shows only the rows of the
tenants named in the transaction's ``pamong.tenant_ids`` setting (set by ``scope.py``). The app
connects as (or switches to) a restricted role without BYPASSRLS; migrations run as the owner.
"""
from __future__ import annotations

import re

from sqlalchemy import text

from .errors import PamongError

_IDENT = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")

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


def assume_app_role(dbapi_conn, cursor, role: str) -> None:
    """On each new connection: become the restricted role (kept for the connection's life).

    Unless the URL already logs in as that role, the login role (the owner) must be a member of
    it, which ``pamong init`` arranges; before that the app refuses to run rather than bypass RLS.
    """
    cursor.execute("SELECT current_user, EXISTS (SELECT 1 FROM pg_roles WHERE rolname = %s)", (role,))
    user, exists = cursor.fetchone()
    if user != role:
        if not exists:
            dbapi_conn.rollback()
            raise PamongError(
                f"the restricted role '{role}' does not exist yet: run 'pamong init' (or 'pamong db upgrade')",
                where="PAMONG_DATABASE_URL", code="db_not_initialised",
            )
        cursor.execute(f'SET ROLE "{_check_ident(role)}"')
    dbapi_conn.commit()


def ensure_app_role(conn, role: str) -> None:
    """Create the restricted role if missing and let the owner switch to it."""
    role = _check_ident(role)
    exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).scalar()
    if not exists:
        conn.execute(text(f'CREATE ROLE "{role}" NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE'))
    conn.execute(text(f'GRANT "{role}" TO CURRENT_USER'))


def tenant_tables(conn) -> list[str]:
    return list(conn.execute(text(
        "SELECT c.table_name FROM information_schema.columns c "
        "JOIN information_schema.tables t ON t.table_name = c.table_name AND t.table_schema = c.table_schema "
        "WHERE c.table_schema = current_schema() AND c.column_name = 'tenant_id' AND t.table_type = 'BASE TABLE' "
        "AND c.table_name <> 'tenant_domains' ORDER BY c.table_name"
    )).scalars())


def apply_policies(conn, role: str) -> list[str]:
    """Grant the app role its rights and (re)create the policy on every tenant-owned table."""
    role = _check_ident(role)
    conn.execute(text(CURRENT_TENANTS_FN))
    conn.execute(text(f'GRANT USAGE ON SCHEMA public TO "{role}"'))
    conn.execute(text(f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"'))
    conn.execute(text(f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{role}"'))
    conn.execute(text(f'REVOKE UPDATE, DELETE ON audit_entries FROM "{role}"'))
    conn.execute(text(f'GRANT UPDATE (seq, prev_hash, hash) ON audit_entries TO "{role}"'))
    for (version_table,) in conn.execute(text(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE 'alembic_version_%'"
    )):
        conn.execute(text(f'REVOKE ALL ON "{_check_ident(version_table)}" FROM "{role}"'))
    conn.execute(text(AUDIT_GUARD))
    tables = tenant_tables(conn)
    for table in tables:
        table = _check_ident(table)
        conn.execute(text(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY'))
        conn.execute(text(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY'))
        conn.execute(text(f'DROP POLICY IF EXISTS tenant_isolation ON "{table}"'))
        conn.execute(text(
            f'CREATE POLICY tenant_isolation ON "{table}" '
            "USING (tenant_id = ANY (pamong_current_tenants())) "
            "WITH CHECK (tenant_id = ANY (pamong_current_tenants()))"
        ))
    return tables
