"""Signing many letters at once (tests and bench/eoffice.py): each signer in its own thread with
its own application context and transactions, as concurrent requests would (``review.sign``'s two
transactions: the number, then the signature)."""
from __future__ import annotations

import os
import threading
import time
import traceback

from core.kit import Actor, User, db, tenant_scope


def sign_concurrently(app, tenant, signer_email: str, letter_ids: list[int], step: int, threads: int = 8,
                      signer=None, timings: list | None = None) -> list[tuple[int, str | None, str]]:
    """Sign ``letter_ids`` from ``threads`` threads started together; returns ``(letter id,
    number or None, error code or "")`` per letter. ``signer``: a ``documents.Signer`` to use.
    ``timings``: a list that gets ``(seconds the number's transaction took, seconds the
    signature's took)`` per letter signed (the first is how long the counter row stayed locked)."""
    from .review import finish_signing, take_number

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
                        db.session.rollback()  # the user's read is not part of the number's transaction
                        actor = Actor.for_user(user, tenant)
                        began = time.perf_counter()
                        number = take_number(tenant, actor, letter_id, step).number
                        db.session.commit()  # the counter row is free again here
                        numbered = time.perf_counter()
                        finish_signing(tenant, actor, letter_id, signer=signer)
                        db.session.commit()
                        done = time.perf_counter()
                    row = (letter_id, number, "")
                    if timings is not None:
                        with lock:
                            timings.append((numbered - began, done - numbered))
                except Exception as exc:  # noqa: BLE001 - reported per letter
                    db.session.rollback()
                    row = (letter_id, None, getattr(exc, "code", None) or type(exc).__name__)
                    if os.environ.get("EOFFICE_DEBUG"):
                        traceback.print_exc()
            with lock:
                results.append(row)

    pool = [threading.Thread(target=work) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return results
