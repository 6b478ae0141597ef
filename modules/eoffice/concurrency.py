"""Signing many letters at once (tests and bench/eoffice.py): each signer in its own thread with
its own application context and transaction, as concurrent requests would."""
from __future__ import annotations

import threading

from core.kit import Actor, User, db, tenant_scope


def sign_concurrently(app, tenant, signer_email: str, letter_ids: list[int], step: int, threads: int = 8,
                      signer=None) -> list[tuple[int, str | None, str]]:
    """Sign ``letter_ids`` from ``threads`` threads started together; returns ``(letter id,
    number or None, error code or "")`` per letter. ``signer``: a ``documents.Signer`` to use."""
    from .review import sign

    results, lock = [], threading.Lock()
    queue = list(letter_ids)
    start = threading.Barrier(threads)

    def work():
        start.wait()
        while True:
            with lock:
                if not queue:
                    return
                letter_id = queue.pop()
            with app.app_context():
                try:
                    with tenant_scope(tenant):
                        user = db.session.execute(db.select(User).where(User.email == signer_email)).scalar_one()
                        letter = sign(tenant, Actor.for_user(user, tenant), letter_id, step, signer=signer)
                        number = letter.number
                        db.session.commit()
                    row = (letter_id, number, "")
                except Exception as exc:  # noqa: BLE001 - reported per letter
                    db.session.rollback()
                    row = (letter_id, None, getattr(exc, "code", type(exc).__name__))
            with lock:
                results.append(row)

    pool = [threading.Thread(target=work) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return results
