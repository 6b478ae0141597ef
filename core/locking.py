"""Serialised read-modify-write on both databases (DESIGN §4: "a transaction that reads then writes
takes its write lock first").

A transaction that will write what it read must say so before it reads:

- ``write_transaction(engine=None)``: a new transaction on its own connection, a writer from its
  first statement (the audit sealer, jobs that own their transaction).
- ``write_lock(bind=None, key=None, ident=0)``: inside the current transaction (``db.session``'s
  by default), before its reads: counters, anything loaded to be changed.
- ``read_snapshot(engine=None)``: a read-only transaction that sees one committed state from its
  first read to its end (``audit verify``), so a concurrent commit never looks like a tear.

How, per database:

- SQLite has no ``SELECT ... FOR UPDATE``, and in WAL mode a transaction that has read cannot safely
  become a writer later (``SQLITE_BUSY_SNAPSHOT``). The write lock is therefore taken when the
  transaction begins (``BEGIN IMMEDIATE``); other writers wait up to the busy timeout
  (``PAMONG_SQLITE_BUSY_TIMEOUT`` seconds) instead of failing. The driver starts its own
  transactions only at the first INSERT/UPDATE/DELETE, so before that a session has no open
  transaction and ``write_lock`` begins one as a writer; after it, the transaction already holds
  the lock. Requests with an unsafe method (POST, PUT, PATCH, DELETE) and background jobs begin
  their session transaction as writers on SQLite as well, so every read-then-write of theirs is
  serialised; ``GET`` requests and the CLI stay readers until they write.
- PostgreSQL: ``write_lock(key=..., ident=...)`` takes a transaction-level advisory lock on
  ``(key, ident)`` (e.g. ``("audit.seal", tenant_id)``); without a key the caller locks its rows
  itself with ``.with_for_update()``, which is then the statement it reads them with.
"""
from __future__ import annotations

import contextlib
import contextvars
import zlib

from sqlalchemy import event, text
from sqlalchemy.orm import Session

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_READ_SNAPSHOT = "pamong_read_snapshot"
_write_intent: contextvars.ContextVar[bool] = contextvars.ContextVar("pamong_write_intent", default=False)


class LockError(RuntimeError):
    """A read snapshot was asked to become a writer (it cannot, safely, on SQLite)."""


def advisory_key(key: str) -> int:
    """A stable signed 32-bit number for ``key`` (PostgreSQL's two-key advisory locks take int4)."""
    return zlib.crc32(key.encode()) - 2**31


def _connection(bind):
    if bind is None:
        from .extensions import db

        bind = db.session
    return bind.connection() if isinstance(bind, Session) or hasattr(bind, "get_bind") else bind


def _begin_immediate(conn) -> None:
    """SQLite: make the connection's transaction a writer, beginning it if none is open."""
    dbapi = conn.connection.dbapi_connection
    if dbapi.in_transaction:
        if conn.info.get(_READ_SNAPSHOT):
            raise LockError("a read snapshot cannot become a write transaction; begin it as one")
        return  # the driver opened it at a write, which took the database's write lock
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def write_lock(bind=None, key: str | None = None, ident: int = 0) -> None:
    """Hold the write lock for the rest of the current transaction of ``bind`` (a Session or a
    Connection; default ``db.session``). Call it before the reads whose result will be written.

    SQLite: the whole database's write lock (``BEGIN IMMEDIATE``, waiting up to the busy timeout;
    ``sqlite3.OperationalError: database is locked`` after it). PostgreSQL: the advisory lock on
    ``(key, ident)`` if ``key`` is given, held until commit or rollback; otherwise nothing, and the
    caller reads its rows ``.with_for_update()``. Raises ``LockError`` inside a ``read_snapshot``.
    """
    conn = _connection(bind)
    if conn.dialect.name == "sqlite":
        _begin_immediate(conn)
    elif conn.dialect.name == "postgresql" and key is not None:
        conn.execute(text("SELECT pg_advisory_xact_lock(:k, :i)"), {"k": advisory_key(key), "i": int(ident)})


def for_change(query, *entities, skip_locked: bool = False, bind=None):
    """``query`` (a ``select``) made to read rows about to be changed: the write lock is taken
    (``write_lock``), and on PostgreSQL the rows of ``entities`` are locked ``FOR UPDATE`` (``SKIP
    LOCKED`` with ``skip_locked``: a sweep leaves rows someone is changing right now for its next
    run); rows already in the session are refreshed from what is read, so the change is made to the
    current row. On SQLite the transaction is already the only writer."""
    write_lock(bind)
    locked = query.with_for_update(of=list(entities) or None, skip_locked=skip_locked)
    return locked.execution_options(populate_existing=True)


@contextlib.contextmanager
def write_transaction(engine=None, key: str | None = None, ident: int = 0):
    """``with write_transaction(engine, "audit.seal", tenant_id) as conn:`` a new transaction that
    is a writer from its start; commits at the end of the block, rolls back on an exception."""
    if engine is None:
        from .extensions import db

        engine = db.engine
    with engine.begin() as conn:
        write_lock(conn, key, ident)
        yield conn


@contextlib.contextmanager
def read_snapshot(engine=None):
    """``with read_snapshot(engine) as conn:`` a read-only transaction on one committed state
    (PostgreSQL: REPEATABLE READ, READ ONLY; SQLite: a deferred transaction, whose first read fixes
    its snapshot in WAL mode). Always rolled back."""
    if engine is None:
        from .extensions import db

        engine = db.engine
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        conn.begin()
        try:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("BEGIN")
                conn.info[_READ_SNAPSHOT] = True
            yield conn
        finally:
            conn.info.pop(_READ_SNAPSHOT, None)
            conn.rollback()


@contextlib.contextmanager
def writes():
    """Mark the block as one that writes (background jobs): on SQLite its session transactions
    begin as writers."""
    token = _write_intent.set(True)
    try:
        yield
    finally:
        _write_intent.reset(token)


def writing() -> bool:
    """Whether the current context has declared that it writes: a request with an unsafe method
    (POST, PUT, PATCH, DELETE) or a background job. Loaders of a thing about to be changed lock
    its row when this is true (``.with_for_update()`` on PostgreSQL; the transaction is already a
    writer on SQLite), so the change is made to what is current, not to what another request
    overwrote meanwhile."""
    return _wants_write()


def _wants_write() -> bool:
    if _write_intent.get():
        return True
    try:
        from flask import has_request_context, request

        return has_request_context() and request.method in UNSAFE_METHODS
    except Exception:  # noqa: BLE001 - no Flask here
        return False


@event.listens_for(Session, "after_begin")
def _begin_as_writer(session, transaction, connection):
    if connection.dialect.name == "sqlite" and _wants_write():
        _begin_immediate(connection)
