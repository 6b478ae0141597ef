"""A request whose database work failed must not fail a second time while it is being answered.

When a flush fails (say the database refuses a value), SQLAlchemy deactivates the session's
transaction: every later use of the session, by an error handler rendering the error page or by
the teardown that leaves the tenant scope, raises ``PendingRollbackError`` and turns a clear error
into a 500 (or a second traceback). ``discard_failed_transaction()`` rolls such a transaction back,
and one whose statement failed in the database (a ``DBAPIError``: PostgreSQL then refuses every
further statement of the transaction until it is rolled back). The app calls it before any error
handler runs and when a request is torn down; a transaction in good order is left alone.
"""
from __future__ import annotations

from sqlalchemy.exc import DBAPIError, PendingRollbackError


def discard_failed_transaction(exc: BaseException | None = None) -> bool:
    """Roll the app session's transaction back if it failed (or ``exc`` is a database error).
    Returns True when it rolled back. Never raises."""
    try:
        from flask import has_app_context

        from .extensions import db

        if not has_app_context():
            return False
        session = db.session()
        transaction = session.get_transaction()
        if transaction is None:
            return False
        failed = not transaction.is_active or isinstance(exc, (DBAPIError, PendingRollbackError))
        if failed:
            session.rollback()
        return failed
    except Exception:  # noqa: BLE001 - answering the request matters more; the session is removed anyway
        return False
