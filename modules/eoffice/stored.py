"""Files stored for rows that are not saved yet, removed again when their transaction does not
commit: storing a file and saving its row are one step seen from outside.

A file has to be in storage before the row that names its key is written, and the row is saved
only when the caller (a request, the outbox worker delivering a post from another tenant) commits,
after this module's code has returned. ``put`` stores the file and notes its key in the session's
open transaction (or savepoint):

- the outermost transaction commits: the files are kept;
- a savepoint rolls back: the files stored inside it are deleted;
- the outermost transaction ends any other way (rolled back after a failed flush or ``COMMIT``,
  or closed without a commit): every file it noted is deleted.

Deleting is best effort (a file that cannot be removed is logged, never raised over the error
that rolled the transaction back). Keys are ``core.storage`` keys of the tenant that stored them.
"""
from __future__ import annotations

import logging

from sqlalchemy import event
from sqlalchemy.orm import Session

from core.kit import db, storage

log = logging.getLogger(__name__)
_NOTED = "eoffice_stored_files"  # [(transaction, tenant id, key)] not yet committed


def put(tenant, data: bytes, filename: str, content_type: str = "application/pdf") -> str:
    """Store ``data`` for ``tenant`` (as ``core.storage``'s ``put``) and return its key; the file
    is deleted again unless the session's current transaction commits."""
    session = db.session()
    transaction = session.get_nested_transaction() or session.get_transaction() or session.begin()
    key = storage().put(tenant, data, content_type, filename=filename)
    session.info.setdefault(_NOTED, []).append((transaction, tenant.id, key))
    return key


def pending(session: Session | None = None) -> list[str]:
    """The keys stored in the open transaction and not yet committed (for tests and logs)."""
    session = session or db.session()
    return [key for _, _, key in session.info.get(_NOTED, [])]


def _remove(entries) -> None:
    for _, tenant_id, key in entries:
        try:
            storage().delete(key, tenant=tenant_id)
            log.info("eoffice: removed %s, stored for rows that were not saved", key)
        except Exception:  # noqa: BLE001 - best effort, never hide the error that rolled back
            log.exception("eoffice: could not remove %s, stored for rows that were not saved", key)


def _within(transaction, ended) -> bool:
    while transaction is not None:
        if transaction is ended:
            return True
        transaction = transaction.parent
    return False


@event.listens_for(Session, "after_commit")
def _kept(session):
    session.info.pop(_NOTED, None)  # fires for the outermost transaction only


@event.listens_for(Session, "after_soft_rollback")
def _savepoint_undone(session, previous_transaction):
    if not previous_transaction.nested or not session.info.get(_NOTED):
        return  # the outermost transaction is handled when it ends
    noted = session.info[_NOTED]
    gone = [e for e in noted if _within(e[0], previous_transaction)]
    session.info[_NOTED] = [e for e in noted if e not in gone]
    _remove(gone)


@event.listens_for(Session, "after_transaction_end")
def _ended(session, transaction):
    if transaction.parent is not None or transaction.nested:
        return
    _remove(session.info.pop(_NOTED, None) or [])  # not committed: after_commit has not kept them
