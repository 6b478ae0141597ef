"""Does the database hold DESIGN §4's keys? ``key_violations(connection)`` lists what breaks it.

A tenant table is any base table with a ``tenant_id`` column, except the tenant registry's
``tenant_domains`` (read to find the tenant before any scope exists, like ``tenants``; not under
Row Level Security, see ``core/rls.py``; under Citus a reference table, as ``tenants``).

PostgreSQL (the rule; read from ``pg_catalog``): the primary key, every unique constraint and every
unique index includes ``tenant_id``; every foreign key to another tenant table maps ``tenant_id``
to ``tenant_id``. SQLite (its variant, see ``keys.py``): ``id`` is the primary key and a unique
``(tenant_id, id)`` exists; unique keys include ``tenant_id``; foreign keys to tenant tables are
composite unless they are ``ON DELETE SET NULL``.
"""
from __future__ import annotations

import sqlalchemy as sa

REGISTRY = frozenset({"tenant_domains"})

_PG_TABLES = """
SELECT c.oid, c.relname FROM pg_class c
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
"""
_PG_UNIQUE = """
SELECT i.indexrelid::regclass::text, i.indisprimary,
       array(SELECT a.attname FROM unnest(i.indkey) k JOIN pg_attribute a
             ON a.attrelid = i.indrelid AND a.attnum = k)::text[]
FROM pg_index i WHERE i.indrelid = :oid AND i.indisunique
"""
_PG_FOREIGN = """
SELECT con.conname, con.confrelid,
       array(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a
             ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.o)::text[],
       array(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a
             ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.o)::text[]
FROM pg_constraint con WHERE con.conrelid = :oid AND con.contype = 'f'
"""


def key_violations(connection, tables=None) -> list[str]:
    """One line per key that breaks the rule, e.g. ``"complaints: primary key pk_complaints (id)
    lacks tenant_id"``; [] when all hold. ``tables`` limits the check to those tenant tables."""
    check = _postgresql if connection.dialect.name == "postgresql" else _sqlite
    only = None if tables is None else set(tables)
    found, out = check(connection, only)
    return [f"{t}: not a tenant table here (missing, or no tenant_id)" for t in sorted((only or set()) - found)] + out


def _postgresql(conn, only) -> tuple[set[str], list[str]]:
    tenant = {oid: name for oid, name in conn.execute(sa.text(_PG_TABLES)) if name not in REGISTRY}
    found, out = set(tenant.values()), []
    for oid, table in sorted(tenant.items(), key=lambda item: item[1]):
        if only is not None and table not in only:
            continue
        primary = False
        for index, is_primary, columns in conn.execute(sa.text(_PG_UNIQUE), {"oid": oid}):
            primary = primary or is_primary
            if "tenant_id" not in columns:
                kind = "primary key" if is_primary else "unique key"
                out.append(f"{table}: {kind} {index} ({', '.join(columns)}) lacks tenant_id")
        if not primary:
            out.append(f"{table}: no primary key")
        for name, referred, columns, referred_columns in conn.execute(sa.text(_PG_FOREIGN), {"oid": oid}):
            if referred in tenant and ("tenant_id", "tenant_id") not in zip(columns, referred_columns):
                out.append(f"{table}: foreign key {name} ({', '.join(columns)}) -> {tenant[referred]} "
                           f"({', '.join(referred_columns)}) does not pair tenant_id with tenant_id")
    return found, out


def _sqlite(conn, only) -> tuple[set[str], list[str]]:
    inspector = sa.inspect(conn)
    tenant = {t for t in inspector.get_table_names()
              if "tenant_id" in {c["name"] for c in inspector.get_columns(t)}} - REGISTRY
    found, out = tenant, []
    for table in sorted(tenant):
        if only is not None and table not in only:
            continue
        if inspector.get_pk_constraint(table)["constrained_columns"] != ["id"]:
            out.append(f"{table}: the primary key is not id (SQLite generates ids only there)")
        uniques = [(u["name"], u["column_names"]) for u in inspector.get_unique_constraints(table)]
        uniques += [(i["name"], i["column_names"]) for i in inspector.get_indexes(table) if i["unique"]]
        if ["tenant_id", "id"] not in [columns for _, columns in uniques]:
            out.append(f"{table}: no unique (tenant_id, id) for composite foreign keys to refer to")
        for name, columns in uniques:
            if "tenant_id" not in columns:
                out.append(f"{table}: unique key {name} ({', '.join(map(str, columns))}) lacks tenant_id")
        for fk in inspector.get_foreign_keys(table):
            ondelete = (fk.get("options") or {}).get("ondelete") or ""
            if fk["referred_table"] not in tenant or ondelete.upper().startswith("SET NULL"):
                continue
            if ("tenant_id", "tenant_id") not in zip(fk["constrained_columns"], fk["referred_columns"]):
                out.append(f"{table}: foreign key {fk['name']} ({', '.join(fk['constrained_columns'])}) -> "
                           f"{fk['referred_table']} does not pair tenant_id with tenant_id")
    return found, out
