"""Wall one of tenant isolation (DESIGN §4): the ORM scopes every tenant-owned model.

The tenant context is a context variable: a request sets it from the resolved tenant, the CLI and
background jobs set it with ``tenant_scope(tenant)``. Reads (and ORM updates and deletes) of a model that mixes in
``TenantOwned`` are filtered to the tenants in scope (none in scope: no rows); a new row is stamped
with the scope's tenant when it is added, and a row for another tenant refuses to be added.
On PostgreSQL the same scope is handed to Row Level Security per transaction (see ``rls.py``).
"""
from __future__ import annotations

import contextlib
import contextvars
from dataclasses import dataclass

from sqlalchemy import ForeignKey, ForeignKeyConstraint, Integer, PrimaryKeyConstraint, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, MappedColumn, Session, declared_attr, mapped_column, with_loader_criteria


@dataclass(frozen=True)
class Scope:
    tenant_ids: tuple[int, ...]  # tenants whose rows may be read
    write_id: int | None  # the tenant new rows belong to

    @property
    def setting(self) -> str:
        return ",".join(str(i) for i in self.tenant_ids)


EMPTY = Scope((), None)
_current: contextvars.ContextVar[Scope] = contextvars.ContextVar("pamong_scope", default=EMPTY)


class TenantScopeError(RuntimeError):
    """A tenant-owned row was written outside its tenant's scope."""


def current_scope() -> Scope:
    return _current.get()


def _tenant_id(tenant) -> int:
    return tenant if isinstance(tenant, int) else tenant.id


def set_scope(scope: Scope) -> contextvars.Token:
    session = _open_session()
    _flush_pending(session)  # what was added under the old scope is written under it
    token = _current.set(scope)
    _sync_transaction(session, scope)
    return token


def reset_scope(token: contextvars.Token, failed: bool = False, flush: bool = True, sync: bool = True) -> None:
    """Leave a scope. After a failure the transaction is doomed: nothing is flushed or synced.

    ``sync=False`` (the end of a request, whose transaction is rolled back next): the open
    transaction's RLS setting is left as it is rather than sent once more just before the rollback
    drops it (issue 11.5); the ORM wall already reads with the scope left.
    """
    session = None if failed else _open_session()
    if flush:
        _flush_pending(session)
    _current.reset(token)
    if sync:
        _sync_transaction(session, _current.get())


@contextlib.contextmanager
def _scoped(scope: Scope):
    token = set_scope(scope)
    try:
        yield
    except BaseException:
        reset_scope(token, failed=True)
        raise
    reset_scope(token)


@contextlib.contextmanager
def tenant_scope(tenant, *, also_read=()):
    """Run a block as ``tenant``; ``also_read`` names further tenants it may read (explicitly)."""
    tid = _tenant_id(tenant)
    extra = tuple(_tenant_id(t) for t in also_read if _tenant_id(t) != tid)
    with _scoped(Scope((tid, *extra), tid)):
        yield


def within_tenant(tenant):
    """``tenant_scope(tenant)`` for a block that only runs statements (it adds no rows of its own):
    nothing is switched, flushed or synced when the scope already is that tenant's alone (a
    request's own), where entering it again cost a payment eight scope switches."""
    scope = _current.get()
    tid = _tenant_id(tenant)
    if scope.write_id == tid and scope.tenant_ids == (tid,):
        return contextlib.nullcontext()
    return tenant_scope(tenant)


@contextlib.contextmanager
def read_scope(tenants):
    """Read several tenants at once (province auditors, deployment reports). Writes nothing."""
    with _scoped(Scope(tuple(_tenant_id(t) for t in tenants), None)):
        yield


@contextlib.contextmanager
def no_scope():
    with _scoped(EMPTY):
        yield


class TenantOwned:
    """Mixin for every tenant-owned model (DESIGN §4): keys that shard by tenant, scoped automatically.

    It gives the model ``tenant_id`` (NOT NULL, to ``tenants`` ON DELETE CASCADE) and ``id`` (generated
    by the database), with the primary key ``(tenant_id, id)``; the ORM's identity stays ``id``, so
    ``session.get(Model, id)`` works. A reference to another tenant-owned table is ``tenant_ref``:
    the foreign key ``(tenant_id, <column>) -> <table> (tenant_id, id)``. Unique constraints name
    ``tenant_id`` themselves. Migrations build the tables with ``core.tenancy.keys`` (SQLite keeps
    ``id INTEGER PRIMARY KEY`` with a unique ``(tenant_id, id)``: it cannot generate ids in a
    composite key).
    """

    @declared_attr
    def tenant_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True, sort_order=-2)

    @declared_attr
    def id(cls) -> Mapped[int]:
        return mapped_column(Integer, primary_key=True, autoincrement=True, sort_order=-1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"primary_key": [cls.__table__.c.id]}

    def __init_subclass__(cls, **kwargs):
        if "id" in cls.__dict__ and "__tablename__" in cls.__dict__:
            raise TypeError(f"{cls.__name__}: TenantOwned gives the model its id; do not declare one")
        super().__init_subclass__(**kwargs)


def tenant_ref(table: str, *, ondelete: str | None = None, **column_kw) -> MappedColumn:
    """A column referring to another tenant-owned ``table``: the foreign key is
    ``(tenant_id, <this column>) -> table (tenant_id, id)``, named ``fk_<own table>_<column>_<table>``.

    ``ondelete`` as for ``ForeignKey`` ("CASCADE", "SET NULL", ...); "SET NULL" nulls only this
    column (PostgreSQL 15's ``SET NULL (column)``), never ``tenant_id``. Nullable when the
    annotation says ``Mapped[int | None]``, as for any column. Relationships over such a column
    name it: ``relationship(primaryjoin="Parent.id == foreign(Child.parent_id)")``.
    """
    column_kw.setdefault("info", {})[_REF] = (table, ondelete)
    return mapped_column(Integer, **column_kw)


_REF = "pamong_tenant_ref"


def tenant_fk_ondelete(ondelete: str | None, column: str) -> str | None:
    """The PostgreSQL ON DELETE action of a composite tenant foreign key over ``column``."""
    if ondelete and ondelete.upper() in ("SET NULL", "SET DEFAULT"):
        return f"{ondelete.upper()} ({column})"
    return ondelete


@event.listens_for(TenantOwned, "instrument_class", propagate=True)
def _tenant_foreign_keys(mapper, cls):
    """The primary key ``(tenant_id, id)``; every ``tenant_ref`` column's composite foreign key."""
    table = mapper.local_table
    # from the columns' primary_key flags SQLAlchemy's DDL would put the autoincrement id first
    if getattr(table.primary_key, "_implicit_generated", True) or list(table.primary_key.columns.keys()) != ["tenant_id", "id"]:
        table.append_constraint(PrimaryKeyConstraint("tenant_id", "id"))
    for column in list(table.columns):
        ref = column.info.get(_REF)
        if ref is None or any(fk.parent is column for fk in table.foreign_keys):
            continue
        parent, ondelete = ref
        table.append_constraint(ForeignKeyConstraint(
            ["tenant_id", column.name], [f"{parent}.tenant_id", f"{parent}.id"],
            name=f"fk_{table.name}_{column.name}_{parent}", ondelete=tenant_fk_ondelete(ondelete, column.name),
        ))


@event.listens_for(Session, "do_orm_execute")
def _scope_reads(state):
    if state.is_column_load or state.execution_options.get("skip_tenant_scope"):
        return
    if state.is_select or state.is_update or state.is_delete:
        ids = list(current_scope().tenant_ids)  # none in scope: an empty IN, so no rows
        state.statement = state.statement.options(
            with_loader_criteria(TenantOwned, lambda cls: cls.tenant_id.in_(ids), include_aliases=True)
        )


@event.listens_for(Session, "transient_to_pending")
def _stamp_tenant(session, obj):
    """On ``session.add``: a new tenant-owned row belongs to the scope's tenant, and no other."""
    if not isinstance(obj, TenantOwned):
        return
    scope = current_scope()
    if obj.tenant_id is None and scope.write_id is not None:
        obj.tenant_id = scope.write_id
    elif obj.tenant_id is None or obj.tenant_id != scope.write_id:
        session.expunge(obj)  # refused: it must not be flushed later
        if obj.tenant_id is None:
            raise TenantScopeError(f"{type(obj).__name__} created outside a tenant scope")
        raise TenantScopeError(
            f"{type(obj).__name__} for tenant {obj.tenant_id} added in the scope of tenant {scope.write_id}"
        )


# -- PostgreSQL: hand the scope to Row Level Security, per transaction --------------------------
#
# The setting is transaction-local and sent lazily (issue 11.5): a scope switch only records the
# scope the transaction *wants*; the setting is sent just before the next statement that runs while
# it differs from what the transaction holds. A request that switches scope four times but queries
# under one sends one ``set_config``; a request that queries no tenant table after entering its
# tenant's scope sends none. Every statement still runs under exactly the scope in force.

_APPLIED = "pamong_scope_setting"  # connection.info: what this transaction holds
_WANTED = "pamong_scope_wanted"  # connection.info: what the session's scope asks for (None: no session)
_SET = "SELECT set_config('pamong.tenant_ids', %s, true)"
# Several tenants: the policy that reads a list applies only to the role rls.several_tenants_role(app role),
# which the transaction switches to with the setting (SET LOCAL ROLE: it ends with the transaction);
# a later one-tenant setting in the same transaction switches back to the app role, whose name is
# read once per connection (``current_user`` before any switch: the restricted role, never the
# demo's owner, whose session already switched to it on connecting).
_SET_ROLE = "SELECT set_config('pamong.tenant_ids', %s, true), set_config('role', %s, true)"
_APP_ROLE = APP_ROLE_INFO = "pamong_app_role"  # connection.info: the app's restricted role (set on connect)
_SWITCHED = "pamong_role_switched"  # connection.info: this transaction may be in the several-tenants role


@event.listens_for(Engine, "begin")
def _new_transaction(connection):
    """A new transaction holds no tenant; only a session transaction asks for one (after_begin)."""
    connection.info.pop(_WANTED, None)
    connection.info.pop(SCOPE_PENDING, None)
    connection.info[_APPLIED] = EMPTY.setting
    connection.info[_SWITCHED] = False


@event.listens_for(Engine, "rollback_savepoint")
def _savepoint_undone(connection, name, context):
    """A savepoint rolled back may have taken a setting sent inside it: send it again if needed."""
    connection.info[_APPLIED] = None
    connection.info[_SWITCHED] = True  # the role it holds now is not known: name it with the next setting


@event.listens_for(Session, "after_begin")
def _set_pg_scope(session, transaction, connection):
    if connection.dialect.name == "postgresql":
        connection.info[_WANTED] = current_scope().setting


# The setting due before a statement goes in the same round trip as the statement (psycopg's
# pipeline mode: both sent, then one sync): ``_send_wanted_scope`` leaves it here and the driver-level
# execution (``core.rls._on_driver_execute``) sends it first. Not for an executemany nor a named
# (server-side) cursor: those get it at once, as code that runs statements straight on the driver does.
SCOPE_PENDING = "pamong_scope_pending"  # connection.info: (sql, parameters) to send with the next statement


def plain_cursor(cursor) -> bool:
    """A psycopg client-side cursor (a named, server-side one is a ``psycopg.Cursor`` too)."""
    import psycopg

    return isinstance(cursor, psycopg.Cursor) and not isinstance(cursor, psycopg.ServerCursor)


@event.listens_for(Engine, "before_cursor_execute")
def _send_wanted_scope(connection, cursor, statement, parameters, context, executemany):
    send_scope(connection, with_next=not executemany and plain_cursor(cursor))


def send_scope(connection, with_next: bool = False) -> None:
    """Send the transaction's Row Level Security setting on ``connection`` (a SQLAlchemy
    Connection) if it has not gone yet: before every statement, and by code that runs one
    straight on the driver (``core.ledger.fast``). ``with_next``: leave it for the statement about
    to run, which sends it in its own round trip (``SCOPE_PENDING``)."""
    info = connection.info
    pending = info.pop(SCOPE_PENDING, None)
    if pending is not None:  # left for a statement that did not go (nothing should): sent now
        connection.connection.dbapi_connection.execute(*pending)
    wanted = info.get(_WANTED)
    if wanted is None or info.get(_APPLIED) == wanted:
        return
    from psycopg.pq import TransactionStatus

    if connection.connection.dbapi_connection.info.transaction_status == TransactionStatus.INERROR:
        # a failed transaction reads nothing until rolled back (this statement may be the ROLLBACK
        # TO SAVEPOINT itself); the setting goes with the first statement after that
        return
    _send_setting(connection, wanted, with_next)
    info[_APPLIED] = wanted


def _send_setting(connection, setting: str, with_next: bool = False) -> None:
    # on the DBAPI connection, not the statement's cursor (which may be a named server-side cursor)
    dbapi = connection.connection.dbapi_connection
    info = connection.info
    if "," in setting:
        from ..rls import several_tenants_role

        if _APP_ROLE not in info:  # a connection the app's connect hook did not make (core/app.py): read
            info[_APP_ROLE] = dbapi.execute("SELECT current_user").fetchone()[0]  # before its first switch
        statement = (_SET_ROLE, (setting, several_tenants_role(info[_APP_ROLE])))
        info[_SWITCHED] = True
    elif info.get(_SWITCHED) and info.get(_APP_ROLE):
        statement = (_SET_ROLE, (setting, info[_APP_ROLE]))
        info[_SWITCHED] = False
    else:
        statement = (_SET, (setting,))
    if with_next:
        info[SCOPE_PENDING] = statement
    else:
        dbapi.execute(*statement)


def _open_session():
    """The app's session if it is inside a transaction, else None."""
    try:
        from flask import has_app_context

        from ..extensions import db

        if not has_app_context():
            return None
        session = db.session()
    except Exception:  # noqa: BLE001 - no app, nothing to sync
        return None
    return session if session.in_transaction() else None


def _flush_pending(session) -> None:
    if session is not None and (session.new or session.dirty or session.deleted):
        session.flush()


def _sync_transaction(session, scope: Scope) -> None:
    """Move an open PostgreSQL transaction's RLS setting along with the scope (sent with the next
    statement, ``_send_wanted_scope``)."""
    if session is None:
        return
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        conn.info[_WANTED] = scope.setting
