"""Keys that shard by tenant (DESIGN §4), for migrations: one call per change, on both databases.

The rule, as PostgreSQL holds it (``tests/test_tenant_keys.py`` walks its catalogue): a tenant-owned
table's primary key is ``(tenant_id, id)``, ``id`` drawn from a sequence; every unique key names
``tenant_id``; every foreign key to another tenant-owned table is ``(tenant_id, col) -> parent
(tenant_id, id)``, and ``ON DELETE SET NULL`` nulls ``col`` only (``SET NULL (col)``, PostgreSQL 15).
That is what lets a deployment distribute the tables by ``tenant_id`` (Citus) unchanged.

SQLite cannot generate ids inside a composite primary key: there ``id`` stays ``INTEGER PRIMARY
KEY`` (unique over all tenants) and a unique index ``uq_<table>_tenant_id_id`` lets the composite
foreign keys refer to it. SQLite's ``SET NULL`` would null ``tenant_id`` too, so such a reference
stays on ``id`` alone there.

In a migration::

    from core.tenancy.keys import create_tenant_table, rekey_tenant_tables, tenant_fk

    create_tenant_table("library_loans", sa.Column("book_id", sa.Integer(), nullable=False), ...,
                        tenant_fk("book_id", "library_books", ondelete="CASCADE"))
    rekey_tenant_tables("library_books")   # an existing table, and every reference to it

Models get the same keys from ``TenantOwned`` and ``tenant_ref`` (``scope.py``).
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from alembic import op

from ..errors import PamongError
from .scope import tenant_fk_ondelete

KEY = ["tenant_id", "id"]


@dataclass(frozen=True)
class TenantFK:
    column: str
    parent: str
    ondelete: str | None = None


def tenant_fk(column: str, parent: str, ondelete: str | None = None) -> TenantFK:
    """A reference from ``column`` to the tenant-owned table ``parent``, for ``create_tenant_table``."""
    return TenantFK(column, parent, ondelete)


def create_tenant_table(name: str, *items, **kw) -> sa.Table:
    """``op.create_table`` for a tenant-owned table: adds ``id``, ``tenant_id`` (to ``tenants``, ON
    DELETE CASCADE) and the keys; ``tenant_fk(...)`` items become the composite foreign keys. Do not
    pass ``id`` or ``tenant_id`` columns or a primary key."""
    sqlite = _is_sqlite()
    refs = [i for i in items if isinstance(i, TenantFK)]
    rest = [i for i in items if not isinstance(i, TenantFK)]
    columns = [
        # SQLite: INTEGER PRIMARY KEY, the rowid; PostgreSQL: a sequence (SERIAL) inside (tenant_id, id)
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
    ]
    keys = [
        sa.PrimaryKeyConstraint(*(["id"] if sqlite else KEY), name=f"pk_{name}"),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=f"fk_{name}_tenant_id_tenants", ondelete="CASCADE"),
        *(_foreign_key(name, ref, sqlite) for ref in refs),
    ]
    table = op.create_table(name, *columns, *rest, *keys, **kw)
    if sqlite:
        op.create_index(f"uq_{name}_tenant_id_id", name, KEY, unique=True)
    return table


def _foreign_key(table: str, ref: TenantFK, sqlite: bool) -> sa.ForeignKeyConstraint:
    name = f"fk_{table}_{ref.column}_{ref.parent}"
    if sqlite and _nulls(ref.ondelete):
        return sa.ForeignKeyConstraint([ref.column], [f"{ref.parent}.id"], name=name, ondelete=ref.ondelete)
    return sa.ForeignKeyConstraint(
        ["tenant_id", ref.column], [f"{ref.parent}.tenant_id", f"{ref.parent}.id"], name=name,
        ondelete=ref.ondelete if sqlite else tenant_fk_ondelete(ref.ondelete, ref.column),
    )


def _nulls(ondelete: str | None) -> bool:
    return bool(ondelete) and ondelete.upper().startswith(("SET NULL", "SET DEFAULT"))


def _is_sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


# -- existing tables ---------------------------------------------------------------------------

def rekey_tenant_tables(*parents: str) -> None:
    """Bring existing tenant-owned tables to the rule without touching a row: each one's primary
    key (PostgreSQL) or its unique ``(tenant_id, id)`` (SQLite), and every single-column foreign key
    to it from any tenant-owned table (of any unit: they are found in the catalogue) made composite
    under the same name and ON DELETE action. Idempotent. Raises ``PamongError`` naming the table
    and column when existing rows refer to a row of another tenant (nothing is changed then)."""
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        _require_sqlite_foreign_keys_off(bind)
    _check_every_reference(bind)  # all of them, before anything changes
    for parent in parents:
        refs = _references(bind, parent)
        if bind.dialect.name == "sqlite":
            _rekey_sqlite(bind, parent, refs)
        else:
            _rekey_postgresql(bind, parent, refs)


def _references(bind, parent: str) -> list[tuple[str, dict]]:
    """Single-column foreign keys to ``parent.id``: [(child table, reflected foreign key)]."""
    inspector = sa.inspect(bind)
    found = []
    for child in inspector.get_table_names():
        for fk in inspector.get_foreign_keys(child):
            if fk["referred_table"] != parent or fk["referred_columns"] != ["id"]:
                continue
            if "tenant_id" not in {c["name"] for c in inspector.get_columns(child)}:
                raise PamongError(f"refers to the tenant-owned table {parent} but {child} has no tenant_id",
                                  where=f"{child}.{fk['constrained_columns'][0]}")
            if not fk.get("name"):
                raise PamongError(f"its foreign key to {parent} has no name; name it first", where=child)
            found.append((child, fk))
    return found


def _check_every_reference(bind) -> None:
    """Every single-column reference between tenant tables stays inside its tenant."""
    inspector = sa.inspect(bind)
    tenant = {t for t in inspector.get_table_names() if "tenant_id" in {c["name"] for c in inspector.get_columns(t)}}
    for child in sorted(tenant):
        for fk in inspector.get_foreign_keys(child):
            if fk["referred_table"] in tenant and fk["referred_columns"] == ["id"]:
                _check_same_tenant(bind, child, fk["constrained_columns"][0], fk["referred_table"])


def tenant_reference(column: str, parent: str, name: str) -> sa.ForeignKeyConstraint:
    """A reference, in a module's revision written before the core's tables were keyed, to a core
    tenant table: ``(tenant_id, column) -> parent (tenant_id, id)`` once ``parent`` is keyed (a
    database made now), else ``column -> parent (id)`` as it was (``rekey_tenant_tables`` in the
    core's revision makes it composite)."""
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    keyed = inspector.get_pk_constraint(parent)["constrained_columns"] == KEY or any(
        i["column_names"] == KEY and i["unique"] for i in inspector.get_indexes(parent))
    if keyed:
        return sa.ForeignKeyConstraint(["tenant_id", column], [f"{parent}.tenant_id", f"{parent}.id"], name=name)
    return sa.ForeignKeyConstraint([column], [f"{parent}.id"], name=name)


def _check_same_tenant(bind, child: str, column: str, parent: str) -> None:
    q = bind.dialect.identifier_preparer.quote
    bad = bind.execute(sa.text(
        f"SELECT count(*) FROM {q(child)} c WHERE c.{q(column)} IS NOT NULL AND NOT EXISTS "
        f"(SELECT 1 FROM {q(parent)} p WHERE p.tenant_id = c.tenant_id AND p.id = c.{q(column)})"
    )).scalar()
    if bad:
        raise PamongError(f"{bad} row(s) refer to a {parent} row of another tenant or to none; correct them, "
                          "then upgrade again", where=f"{child}.{column}", code="cross_tenant_reference")


def _ondelete(fk: dict) -> str | None:
    return (fk.get("options") or {}).get("ondelete")


def _rekey_postgresql(bind, parent: str, refs) -> None:
    for child, fk in refs:
        op.drop_constraint(fk["name"], child, type_="foreignkey")
    pk = sa.inspect(bind).get_pk_constraint(parent)
    if pk["constrained_columns"] != KEY:
        op.drop_constraint(pk["name"], parent, type_="primary")
        op.create_primary_key(f"pk_{parent}", parent, KEY)
    for child, fk in refs:
        column = fk["constrained_columns"][0]
        ondelete = _ondelete(fk)
        if ondelete and "(" in ondelete:  # already SET NULL (col)
            ondelete = ondelete.split("(")[0].strip()
        op.create_foreign_key(fk["name"], child, parent, ["tenant_id", column], KEY,
                              ondelete=tenant_fk_ondelete(ondelete, column))


def _rekey_sqlite(bind, parent: str, refs) -> None:
    inspector = sa.inspect(bind)
    keyed = any(i["column_names"] == KEY and i["unique"] for i in inspector.get_indexes(parent)) or any(
        u["column_names"] == KEY for u in inspector.get_unique_constraints(parent))
    if not keyed:
        op.create_index(f"uq_{parent}_tenant_id_id", parent, KEY, unique=True)
    by_child: dict[str, list[dict]] = {}
    for child, fk in refs:
        if not _nulls(_ondelete(fk)):  # SET NULL stays on id alone (see the module's docstring)
            by_child.setdefault(child, []).append(fk)
    for child, fks in by_child.items():
        with op.batch_alter_table(child, recreate="always") as batch:
            for fk in fks:
                batch.drop_constraint(fk["name"], type_="foreignkey")
                batch.create_foreign_key(fk["name"], parent, ["tenant_id", fk["constrained_columns"][0]], KEY,
                                         ondelete=_ondelete(fk))
        _check_sqlite_foreign_keys(bind, child)


def _require_sqlite_foreign_keys_off(bind) -> None:
    """A table is recreated by copying it: with foreign keys on, dropping the old one would run
    its ON DELETE actions on the rows that refer to it."""
    if bind.exec_driver_sql("PRAGMA foreign_keys").scalar():
        raise PamongError("SQLite foreign keys are on while migrating; migrate with a connection that "
                          "leaves them off (pamong db upgrade does)", where="PAMONG_DATABASE_URL")


def _check_sqlite_foreign_keys(bind, table: str) -> None:
    broken = bind.exec_driver_sql(f"PRAGMA foreign_key_check({bind.dialect.identifier_preparer.quote(table)})").all()
    if broken:
        raise PamongError(f"{len(broken)} row(s) break a foreign key after re-keying", where=table)


def unkey_tenant_tables(*parents: str) -> None:
    """The reverse of ``rekey_tenant_tables`` (for a migration's downgrade): primary key ``id``
    again and single-column foreign keys to it, same names and ON DELETE actions."""
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    if sqlite:
        _require_sqlite_foreign_keys_off(bind)
    for parent in parents:
        inspector = sa.inspect(bind)
        refs = [(child, fk) for child in inspector.get_table_names() for fk in inspector.get_foreign_keys(child)
                if fk["referred_table"] == parent and fk["referred_columns"] == KEY]
        if sqlite:
            by_child: dict[str, list[dict]] = {}
            for child, fk in refs:
                by_child.setdefault(child, []).append(fk)
            for child, fks in by_child.items():
                with op.batch_alter_table(child, recreate="always") as batch:
                    for fk in fks:
                        batch.drop_constraint(fk["name"], type_="foreignkey")
                        batch.create_foreign_key(fk["name"], parent, [fk["constrained_columns"][1]], ["id"],
                                                 ondelete=_ondelete(fk))
            if any(i["name"] == f"uq_{parent}_tenant_id_id" for i in sa.inspect(bind).get_indexes(parent)):
                op.drop_index(f"uq_{parent}_tenant_id_id", table_name=parent)
            continue
        for child, fk in refs:
            op.drop_constraint(fk["name"], child, type_="foreignkey")
        pk = inspector.get_pk_constraint(parent)
        if pk["constrained_columns"] != ["id"]:
            op.drop_constraint(pk["name"], parent, type_="primary")
            op.create_primary_key(f"pk_{parent}", parent, ["id"])
        for child, fk in refs:
            ondelete = _ondelete(fk)
            op.create_foreign_key(fk["name"], child, parent, [fk["constrained_columns"][1]], ["id"],
                                  ondelete=ondelete.split("(")[0].strip() if ondelete else None)


def sqlite_shape(dialect: str, obj, name, type_: str, reflected: bool) -> bool:
    """True for what SQLite holds instead of the rule (its unique ``(tenant_id, id)``, a SET NULL
    reference on ``id`` alone) and the model's form of it: autogenerate passes over these, so a
    revision made on SQLite does not drop them (core/migrations/env.py)."""
    if dialect != "sqlite":
        return False
    if type_ == "index" and reflected:
        table = getattr(obj, "table", None)
        return table is not None and name == f"uq_{table.name}_tenant_id_id"
    if type_ == "foreign_key_constraint":
        ondelete = (obj.ondelete or "").upper()
        if reflected:
            return ondelete.startswith("SET NULL") and len(obj.columns) == 1 and "tenant_id" in obj.referred_table.c
        return ondelete.startswith("SET NULL (")
    return False
