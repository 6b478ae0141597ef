"""A month's run from the page, in the background (the core's task queue: Huey on its SQLite file,
or Redis when scaled out), so the personnel agency's request answers at once and the page shows the
run's progress while it works (18,000 employees take about a minute; a web request would time out).

The run itself stays one transaction (``runs.run_month``: all of the month or nothing), so its
progress cannot be read from its own uncommitted rows; it is written after every batch of 500 to the
queue's key-value store (no table, no lock on the database) under ``progress_key``, as JSON
``{"state": "queued" | "running" | "done" | "failed", "done", "total", "message", "said"}`` (``said``:
a refusal in each of the tenant's languages, ``{locale: text}``; ``message`` the English). The CLI runs
in the foreground with its own progress bar.
"""
from __future__ import annotations

import json

from core.kit import Actor, PamongError, Tenant, User, db, task


def progress_key(tenant_id: int, year: int, month: int) -> str:
    return f"remuneration:progress:{tenant_id}:{year}-{month:02d}"


def _store():
    return run_in_background.huey  # the queue's own key-value store (SQLite file or Redis)


def write_progress(tenant_id: int, year: int, month: int, **state) -> None:
    _store().put(progress_key(tenant_id, year, month), json.dumps(state))


def read_progress(tenant_id: int, year: int, month: int) -> dict | None:
    """The last progress written for the month's run from the page, or None (never run from the page)."""
    raw = _store().get(progress_key(tenant_id, year, month), peek=True)
    return json.loads(raw) if raw else None


@task()
def run_in_background(tenant_id: int, user_id: int | None, year: int, month: int) -> str:
    """Run (again) ``year``-``month`` for the tenant as the user who asked; returns the final state."""
    from .runs import run_month

    tenant = db.session.get(Tenant, tenant_id)
    user = db.session.get(User, user_id) if user_id else None
    actor = Actor.for_user(user, tenant) if user is not None else Actor.system("remuneration", tenant)

    def progress(done: int, total: int) -> None:
        write_progress(tenant_id, year, month, state="running", done=done, total=total)

    try:
        run = run_month(tenant, actor, year, month, progress)
        total = run.total
        db.session.commit()
    except PamongError as exc:  # a closed month, no rule set or ceiling: the page says why
        db.session.rollback()
        from .refusals import in_each_language

        # the page reads it later in the reader's language: kept in each of the tenant's languages
        said_in = in_each_language(exc.local, tenant.locales or ("id",)) if exc.local is not None else {}
        write_progress(tenant_id, year, month, state="failed", done=0, total=0, message=str(exc.message),
                       said=said_in)
        return "failed"
    except Exception:
        db.session.rollback()
        write_progress(tenant_id, year, month, state="failed", done=0, total=0, message="")
        raise
    write_progress(tenant_id, year, month, state="done", done=total, total=total)
    return "done"
