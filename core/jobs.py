"""Background work on Huey (DESIGN §6): SQLite-backed by default (no server), Redis when scaled out.

Tasks run inside an app context: in a worker process the app is created once, lazily; in the
web process (immediate mode, tests) the current app is used.
"""
from __future__ import annotations

import functools
import os
import threading
from pathlib import Path

from huey import RedisHuey, SqliteHuey, crontab

from .config import _instance_dir
from .locking import writes


def _make_huey():
    redis_url = os.environ.get("PAMONG_REDIS_URL")
    if redis_url:
        return RedisHuey("pamong", url=redis_url)
    instance = _instance_dir()
    instance.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("pamong", filename=str(Path(instance) / "queue.db"))


huey = _make_huey()
_worker_app = None
# the worker's threads start their first tasks at once: one of them makes the app, the others wait
# for it (two made at once compiled their URL rules side by side, which CPython 3.11's compiler
# does not survive: "SystemError: AST constructor recursion depth mismatch", seen in make demo)
_worker_app_lock = threading.Lock()


def _app():
    from flask import current_app, has_app_context

    global _worker_app
    if has_app_context():
        return current_app._get_current_object()
    if _worker_app is None:
        with _worker_app_lock:
            if _worker_app is None:
                from . import create_app

                _worker_app = create_app()
    return _worker_app


def task(**options):
    """Declare a background task; it runs with an app context, and its session transactions begin
    as writers on SQLite (``core.locking``), so what it reads stays true until it commits."""

    def decorate(fn):
        @functools.wraps(fn)
        def inner(*args, **kwargs):
            app = _app()
            with app.app_context(), writes():
                return fn(*args, **kwargs)

        return huey.task(**options)(inner)

    return decorate


def periodic(cron: dict):
    def decorate(fn):
        @functools.wraps(fn)
        def inner():
            with _app().app_context(), writes():
                return fn()

        return huey.periodic_task(crontab(**cron))(inner)

    return decorate


# -- The core's own tasks -------------------------------------------------------------------------

@task(retries=3, retry_delay=5)
def seal_audit(tenant_id: int) -> int:
    from .audit import seal_tenant

    return seal_tenant(tenant_id)


@periodic({"minute": "*"})
def seal_audit_sweep() -> int:
    from .audit import seal_all

    return seal_all()


@task()
def deliver_notification(tenant_id: int, message_id: int, now=None):
    """One delivery attempt of an outbox message (queued after the commit that wrote it)."""
    from .notify import deliver

    return deliver(tenant_id, message_id, now)


@periodic({"minute": "*"})
def notification_sweep() -> int:
    """Queue the outbox messages that are due: retries, and any whose first task was lost."""
    from .notify import sweep

    return sweep()


# -- The worker's heartbeat (the operator console shows its age) ---------------------------------

HEARTBEAT_KEY = "pamong:worker-heartbeat"


def beat(now=None) -> str:
    """Write the worker's heartbeat: the current UTC time (ISO 8601) under ``HEARTBEAT_KEY`` in the
    queue's own key-value store (SQLite file or Redis: no table, no migration). Returns it."""
    from . import clock

    stamp = (now or clock.now()).isoformat()
    huey.put(HEARTBEAT_KEY, stamp)
    return stamp


def last_heartbeat():
    """The UTC datetime of the worker's latest heartbeat, or None if no worker ever beat (read
    without taking it off the store). Raises what the queue's storage raises when unreachable."""
    from datetime import datetime, timezone

    stamp = huey.get(HEARTBEAT_KEY, peek=True)
    if not stamp:
        return None
    moment = datetime.fromisoformat(stamp)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


@huey.periodic_task(crontab(minute="*"))
def worker_heartbeat() -> str:
    """Every minute, on the consumer (``pamong worker`` or ``pamong serve``'s threads): a row-free
    sign of life that needs no app and no database, so it beats even when the database is down."""
    return beat()


def start_in_process_worker(workers: int = 2):
    """Run a consumer in threads of this process (``pamong serve`` on the embedded default).

    Huey's ``start()`` takes over the process's signals for its own run loop, which is not used
    here: the web server's handlers are put back, and SIGTERM exits so the caller can stop it."""
    import signal
    import sys

    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    consumer = huey.create_consumer(workers=workers, worker_type="thread", periodic=True, check_worker_health=False)
    consumer.start()
    for sig, handler in saved.items():
        signal.signal(sig, handler)
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    return consumer
