"""Work a transaction asks for, run once it has committed and given its connection back.

``after_commit(kind, items)`` notes items (hashable) in the session's current transaction. When
the outermost transaction commits, the items of every kind are handed to the runner registered for
that kind with ``@runs_after_commit(kind)`` — after the connection went back to the pool, so a
runner that executes at once (Huey's immediate mode in tests) never needs a second connection
while the first is held, which with many concurrent writers could exhaust the pool. A rollback of
the outermost transaction forgets them; a savepoint's rollback keeps them (a runner must accept an
item whose row is gone: the audit sealer and the outbox delivery both find nothing to do then).

Used by the audit trail (seal the chains of the tenants a commit wrote to) and the outbox (deliver
the messages a commit queued).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy import event
from sqlalchemy.orm import Session

_NOTED = "pamong_after_commit_noted"  # kind -> items, in the open transaction
_DUE = "pamong_after_commit_due"  # kind -> items, committed, waiting for the connection's return
_RUNNERS: dict[str, Callable[[set], None]] = {}


def runs_after_commit(kind: str):
    """Register the runner of ``kind``: called with the set of items of one committed transaction."""
    def register(runner: Callable[[set], None]):
        _RUNNERS[kind] = runner
        return runner

    return register


def after_commit(session: Session, kind: str, items: Iterable) -> None:
    """Note ``items`` of ``kind`` to run once the session's outermost transaction has committed."""
    session.info.setdefault(_NOTED, {}).setdefault(kind, set()).update(items)


@event.listens_for(Session, "after_commit")
def _committed(session):
    noted = session.info.pop(_NOTED, None)
    if noted:
        due = session.info.setdefault(_DUE, {})
        for kind, items in noted.items():
            due.setdefault(kind, set()).update(items)


@event.listens_for(Session, "after_transaction_end")
def _run(session, transaction):
    if transaction.parent is not None or transaction.nested:
        return
    due = session.info.pop(_DUE, None)
    for kind, items in sorted((due or {}).items()):
        if items and kind in _RUNNERS:
            _RUNNERS[kind](items)


@event.listens_for(Session, "after_soft_rollback")
def _forget(session, previous_transaction):
    if previous_transaction.parent is None:
        session.info.pop(_NOTED, None)
